import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { filterAnswer, matchesSearch, narrows, parseSearch, phoneKey, prepareAnswer, warmUp } from '../pages/client-match.js';

// Searches the store answered (store/searchcases_test.go writes and checks the file).
const cases = JSON.parse(readFileSync(new URL('./search-cases.json', import.meta.url), 'utf8'));

test('the page answers every search in the shared table as the server did', () => {
  assert.ok(cases.cases.length > 500, 'the table has cases');
  let sure = 0;
  for (const c of cases.cases) {
    const parsed = parseSearch(c.q);
    if (parsed === null) continue; // the page asks the server
    const got = [];
    let unsure = false;
    for (const client of cases.clients) {
      const m = matchesSearch(client, parsed);
      if (m === null) unsure = true;
      else if (m) got.push(client.id);
    }
    if (unsure) continue;
    sure += 1;
    // The table's clients are in name order, so the ids come in the server's order.
    assert.deepEqual(got, c.ids, `search ${JSON.stringify(c.q)}`);
  }
  assert.ok(sure > cases.cases.length * 0.9, `answered ${sure} of ${cases.cases.length} itself`);
});

test('the page is unsure of letters it may fold differently from the server', () => {
  assert.equal(parseSearch('İstanbul'), null);
  assert.equal(parseSearch('ΣΟΦΙΑ'), null);
  assert.equal(matchesSearch({ givenName: 'İpek', familyName: 'Ay' }, parseSearch('ay')), null);
  assert.notEqual(parseSearch('Åse Ærø-Øyen'), null);
});

test('phone numbers are compared without +47 and 0047', () => {
  for (const [phone, key] of [
    ['+47 912 34 567', '91234567'],
    ['0047 91234567', '91234567'],
    ['4791234567', '91234567'],
    ['479123456', '479123456'],
    ['+46 8 123 456', '468123456'],
    ['+47', '47'],
    ['00', ''],
  ]) {
    assert.equal(phoneKey(phone), key, phone);
  }
});

test('a longer name search narrows a shorter one; digits do not', () => {
  const p = (q) => parseSearch(q);
  assert.ok(narrows(p('han'), p('hans')));
  assert.ok(narrows(p('hans'), p('hansen k')));
  assert.ok(narrows(p(''), p('h')));
  assert.ok(narrows(p('kari h'), p('hansen kari')));
  assert.ok(!narrows(p('hans'), p('han')));
  assert.ok(!narrows(p('0101199'), p('01011990')));
  assert.ok(!narrows(p('hans 19'), p('hans 1990')));
  assert.ok(!narrows(p('zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz 12345678901234567890'), p('zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz 12345678901234567890')));
});

test('the matches of a page are the first matches of the longer search, complete when the page was', () => {
  const parsedAll = parseSearch('');
  const page = { results: cases.clients.slice(0, 50), total: cases.clients.length };
  for (const q of ['a', 'aa', 'be', 'hans']) {
    const want = cases.cases.find((c) => c.q === q);
    if (!want) continue;
    const got = filterAnswer(page, parsedAll, parseSearch(q));
    assert.equal(got.complete, false);
    const ids = got.results.map((c) => c.id);
    // A prefix of the server's answer: the same clients, in the same order, as far as the page went.
    assert.deepEqual(ids, want.ids.filter((id) => page.results.some((c) => c.id === id)), q);
    assert.deepEqual(ids, want.ids.slice(0, ids.length), q);
  }
  const whole = { results: cases.clients, total: cases.clients.length };
  for (const c of cases.cases.slice(0, 200)) {
    const narrower = parseSearch(c.q);
    const got = filterAnswer(whole, parsedAll, narrower);
    if (got === null) continue;
    assert.equal(got.complete, true);
    assert.deepEqual(
      got.results.map((x) => x.id),
      c.ids,
      c.q,
    );
  }
  assert.equal(filterAnswer(page, parseSearch('hans'), parseSearch('han')), null);
});

test('the warm-up matches its made-up client, and again', () => {
  assert.equal(warmUp(), true);
  assert.equal(warmUp(), true);
});

test('prepareAnswer matches a name answer once beforehand, and leaves the matches as they were', () => {
  const answer = {
    results: [
      { givenName: 'Hans', familyName: 'Hansen', birthDate: '1980-01-02' },
      { givenName: 'Åse', middleName: 'Haug', familyName: 'Berg', birthDate: '1990-05-12' },
      { givenName: 'Ήλιος', familyName: 'Hara', birthDate: '1970-01-01' },
    ],
    total: 3,
  };
  const before = answer.results.slice(0, 2).map((c) => matchesSearch(c, parseSearch('hau')));
  assert.equal(prepareAnswer('h', { results: answer.results.slice(0, 2), total: 2 }), true);
  assert.equal(prepareAnswer('1', answer), false, 'digits do not narrow');
  assert.equal(prepareAnswer('h', answer), false, 'a Greek name: the page cannot be sure');
  assert.deepEqual(answer.results.slice(0, 2).map((c) => matchesSearch(c, parseSearch('hau'))), before);
  assert.deepEqual(before, [false, true]);
  assert.equal(matchesSearch(answer.results[2], parseSearch('hara')), null);
});
