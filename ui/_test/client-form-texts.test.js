// The client form's field texts (ui/pages/client-form-texts.js).

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { payloadFrom, textsOf, threeWay } from '../pages/client-form-texts.js';

const t = (k) => k;

test('textsOf shows stored values as the fields show them', () => {
  const x = textsOf({ nin: '01019012345', birthDate: '1990-01-01', phone: '+4795290748', givenName: 'Kari' });
  assert.equal(x.nin, '010190 12345');
  assert.equal(x.birthDate, '01.01.1990');
  assert.equal(x.givenName, 'Kari');
  assert.equal(x.addressProtection, 'None');
  assert.equal(textsOf({}).familyName, '');
});

test('payloadFrom sends the typed fields on the base and reports unreadable dates', () => {
  const base = { id: 7, version: 3, phone: '+4795290748' };
  const texts = { ...textsOf(base), givenName: 'Kari', familyName: 'Nordmann', birthDate: '1.1.1990', phone: '952 90 748' };
  const { payload, bad } = payloadFrom(texts, base, t);
  assert.deepEqual(bad, {});
  assert.equal(payload.version, 3);
  assert.equal(payload.birthDate, '1990-01-01');
  assert.equal(payload.phone, '+4795290748', 'the same number formatted otherwise is no change');
  const wrong = payloadFrom({ ...texts, birthDate: '31.02.1990' }, base, t);
  assert.deepEqual(wrong.bad, { birthDate: 'form.dateFormat' });
});

test('threeWay keeps my edits, takes theirs elsewhere and names the fields both changed', () => {
  const base = textsOf({ givenName: 'Kari', familyName: 'Nordmann', city: 'Oslo', notes: 'a' });
  const mine = { ...base, givenName: 'Karin', notes: 'mine' };
  const theirs = { ...base, familyName: 'Hansen', notes: 'theirs' };
  const m = threeWay(base, mine, theirs);
  assert.equal(m.texts.givenName, 'Karin');
  assert.equal(m.texts.familyName, 'Hansen');
  assert.equal(m.texts.notes, 'mine');
  assert.deepEqual(m.mine, ['givenName', 'notes']);
  assert.deepEqual(m.theirs, ['familyName']);
  assert.deepEqual(m.both, ['notes']);
  // Formatting alone is no change.
  const same = threeWay(base, { ...base, nin: '' }, base);
  assert.deepEqual([same.mine, same.theirs, same.both], [[], [], []]);
});
