// Every text exists in both languages with the same placeholders: the shell's
// texts (ui/i18n.js) and each page's (ui/pages/index.js).

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { I18n, LANGUAGES } from '../i18n.js';
import { PAGES } from '../pages/index.js';

const noStorage = { getItem: () => null, setItem: () => {} };

function placeholders(text) {
  return [...String(text).matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
}

test('the languages are nb and en', () => {
  assert.deepEqual(LANGUAGES.map((l) => l.code), ['nb', 'en']);
});

test('each page brings texts in both languages with the same keys', () => {
  for (const page of PAGES) {
    assert.ok(page.messages, `page ${page.id} has messages`);
    const nb = Object.keys(page.messages.nb).sort();
    const en = Object.keys(page.messages.en).sort();
    assert.deepEqual(en, nb, `page ${page.id}: nb and en keys differ`);
  }
});

test('all texts: same keys, same placeholders, none empty', () => {
  const i18n = new I18n(noStorage);
  for (const page of PAGES) i18n.add(page.messages);
  const nb = i18n.messages.nb;
  const en = i18n.messages.en;
  const onlyNb = Object.keys(nb).filter((k) => !(k in en));
  const onlyEn = Object.keys(en).filter((k) => !(k in nb));
  assert.deepEqual(onlyNb, [], 'keys without English text');
  assert.deepEqual(onlyEn, [], 'keys without bokmål text');
  for (const k of Object.keys(nb)) {
    assert.equal(typeof nb[k], 'string', `${k} (nb) is text`);
    assert.equal(typeof en[k], 'string', `${k} (en) is text`);
    assert.notEqual(nb[k].trim(), '', `${k} (nb) is empty`);
    assert.notEqual(en[k].trim(), '', `${k} (en) is empty`);
    assert.deepEqual(placeholders(en[k]), placeholders(nb[k]), `${k}: placeholders differ`);
  }
});

test('t fills placeholders and falls back to bokmål, then the key', () => {
  const i18n = new I18n(noStorage);
  i18n.add({ nb: { 'x.hello': 'Hei {name}', 'x.only': 'Bare bokmål' }, en: { 'x.hello': 'Hello {name}' } });
  i18n.setLang('en', false);
  assert.equal(i18n.t('x.hello', { name: 'Kari' }), 'Hello Kari');
  assert.equal(i18n.t('x.only'), 'Bare bokmål');
  assert.equal(i18n.t('x.missing'), 'x.missing');
  assert.equal(i18n.t('x.hello'), 'Hello {name}');
  i18n.setLang('xx', false);
  assert.equal(i18n.lang, 'en');
});
