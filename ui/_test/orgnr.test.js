// The organisation number check (ui/orgnr.js): 9 digits, mod-11 check digit.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { validOrgNumber } from '../orgnr.js';

// checkDigit computes the mod-11 check digit the way the register does, or -1
// where none exists; the test builds its valid numbers with it.
function checkDigit(first8) {
  const w = [3, 2, 7, 6, 5, 4, 3, 2];
  const sum = [...first8].reduce((acc, d, i) => acc + w[i] * Number(d), 0);
  const c = 11 - (sum % 11);
  return c === 11 ? 0 : c === 10 ? -1 : c;
}

test('validOrgNumber accepts correct check digits', () => {
  for (const n of ['974760673', '923609016', '983544622', '987654325']) assert.equal(validOrgNumber(n), true, n);
});

test('validOrgNumber refuses wrong digits, lengths and characters', () => {
  for (const n of ['974760674', '97476067', '9747606730', '', '97476067a', ' 974760673', '974 760 673', '123456789']) {
    assert.equal(validOrgNumber(n), false, n);
  }
});

test('validOrgNumber agrees with the mod-11 rule for every check digit', () => {
  for (let i = 0; i < 2000; i += 1) {
    const first8 = String(10000000 + i * 44987).slice(0, 8);
    const c = checkDigit(first8);
    for (let d = 0; d <= 9; d += 1) {
      assert.equal(validOrgNumber(first8 + d), d === c, first8 + d);
    }
  }
});
