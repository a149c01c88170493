import { test } from 'node:test';
import assert from 'node:assert/strict';

import { AHEAD_KEEP_MS, CACHE_FRESH_MS, createAheadAnswers, createSearchCache, isTypingKey, searchKey } from '../pages/client-search.js';

function setup(opts = {}) {
  const clock = { t: 0, w: 0 };
  const cache = createSearchCache({ now: () => clock.t, writes: () => clock.w, ...opts });
  return { clock, cache };
}

test('an answer is kept and found again', () => {
  const { cache } = setup();
  cache.set(searchKey('hans', 1), { total: 3 }, 0);
  assert.deepEqual(cache.get(searchKey('hans', 1)), { total: 3 });
  assert.equal(cache.get(searchKey('hans', 2)), undefined);
  assert.equal(cache.get(searchKey('han', 1)), undefined);
});

test('any write empties the cache', () => {
  const { clock, cache } = setup();
  cache.set('a', 1, 0);
  clock.w = 1;
  assert.equal(cache.get('a'), undefined);
  assert.equal(cache.size, 0);
});

test('an answer asked before a write is not kept', () => {
  const { clock, cache } = setup();
  const asked = clock.w;
  clock.w += 1; // saved while the search was on its way
  cache.set('a', 1, asked);
  assert.equal(cache.get('a'), undefined);
  cache.set('a', 2, clock.w);
  assert.equal(cache.get('a'), 2);
});

test('an old answer is not used', () => {
  const { clock, cache } = setup({ freshMs: 1000 });
  cache.set('a', 1, 0);
  clock.t = 1000;
  assert.equal(cache.get('a'), 1);
  clock.t = 1001;
  assert.equal(cache.get('a'), undefined);
});

test('the least recently used answer goes first', () => {
  const { cache } = setup({ size: 2 });
  cache.set('a', 1, 0);
  cache.set('b', 2, 0);
  cache.get('a');
  cache.set('c', 3, 0);
  assert.equal(cache.get('b'), undefined);
  assert.equal(cache.get('a'), 1);
  assert.equal(cache.get('c'), 3);
  assert.equal(cache.size, 2);
});

test('typing keys leave the address for later; other keys write it', () => {
  const key = (k, mods = {}) => ({ key: k, altKey: false, ctrlKey: false, metaKey: false, ...mods });
  for (const k of ['a', 'Å', 'ø', ' ', '-', '1', 'Backspace', 'Delete', 'Dead']) {
    assert.equal(isTypingKey(key(k)), true, k);
  }
  for (const [k, mods] of [['Enter'], ['ArrowDown'], ['Tab'], ['Escape'], ['F5'], ['n', { altKey: true }], ['k', { ctrlKey: true }], ['l', { metaKey: true }]]) {
    assert.equal(isTypingKey(key(k, mods)), false, `${k} ${JSON.stringify(mods || {})}`);
  }
});

function aheadSetup() {
  const clock = { t: 0, w: 0 };
  const ahead = createAheadAnswers({ now: () => clock.t, writes: () => clock.w });
  return { clock, ahead };
}

const answers = [
  { q: 'a', results: [{ id: 1 }], total: 1 },
  { q: 'å', results: [{ id: 2 }, { id: 3 }], total: 40 },
  { q: '1', results: [], total: 0 },
];

test('answers asked ahead: due until kept, fresh, then early rows only, then gone', () => {
  const { clock, ahead } = aheadSetup();
  assert.equal(ahead.due(), true);
  assert.equal(ahead.get('a'), undefined);
  ahead.set(answers, 0);
  assert.equal(ahead.due(), false);
  assert.deepEqual(ahead.get('a'), { key: searchKey('a', 1), data: { results: [{ id: 1 }], total: 1 }, at: 0, fresh: true });
  // Any case, and a decomposed letter, find the same answer; the key is the search's own.
  assert.equal(ahead.get('Å').data.total, 40);
  assert.equal(ahead.get('Å').key, searchKey('Å', 1));
  assert.equal(ahead.get('a\u030a').data.total, 40);
  assert.equal(ahead.get('1').data.total, 0);
  assert.equal(ahead.get('ab'), undefined);
  assert.equal(ahead.get(''), undefined);
  clock.t = CACHE_FRESH_MS + 1;
  assert.equal(ahead.due(), true);
  assert.equal(ahead.get('a').fresh, false);
  clock.t = AHEAD_KEEP_MS + 1;
  assert.equal(ahead.get('a'), undefined);
  // Asked again: fresh again.
  ahead.set(answers, 0);
  assert.equal(ahead.get('a').fresh, true);
  assert.equal(ahead.get('a').at, AHEAD_KEEP_MS + 1);
});

test('answers asked ahead: a write drops them, and an answer asked before it is not kept', () => {
  const { clock, ahead } = aheadSetup();
  ahead.set(answers, 0);
  clock.w = 2;
  assert.equal(ahead.get('a'), undefined);
  assert.equal(ahead.due(), true);
  ahead.set(answers, 1); // asked while the write was on its way
  assert.equal(ahead.get('a'), undefined);
  ahead.set(answers, 2);
  assert.equal(ahead.get('a').fresh, true);
});
