// Display and input formats (ui/format.js).

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { formatDate, formatDateTime, formatNin, formatPhone, fullName, listName, parseDate } from '../format.js';

test('formatDate shows ISO dates as dd.mm.yyyy and leaves anything else alone', () => {
  assert.equal(formatDate('1990-01-31'), '31.01.1990');
  assert.equal(formatDate(''), '');
  assert.equal(formatDate('31.01.1990'), '31.01.1990');
  assert.equal(formatDate(null), '');
  assert.equal(formatDate(undefined), '');
});

test('parseDate reads the ways receptionists type dates', () => {
  const ok = [
    ['31.01.1990', '1990-01-31'],
    ['31.1.1990', '1990-01-31'],
    ['1.2.1990', '1990-02-01'],
    ['31/01/1990', '1990-01-31'],
    ['31-01-1990', '1990-01-31'],
    ['31 01 1990', '1990-01-31'],
    ['31011990', '1990-01-31'],
    ['1990-01-31', '1990-01-31'],
    [' 29.02.2024 ', '2024-02-29'],
    ['', ''],
    [null, ''],
  ];
  for (const [input, iso] of ok) assert.deepEqual(parseDate(input), { ok: true, iso }, String(input));
  const bad = ['01.01.20', '31.02.1990', '29.02.2023', '00.01.1990', '01.13.1990', '01.01.1799', 'i går', '1990-1-32', '3101199'];
  for (const input of bad) assert.deepEqual(parseDate(input), { ok: false, iso: '' }, input);
});

test('formatNin groups 6+5 digits', () => {
  assert.equal(formatNin('01019012345'), '010190 12345');
  assert.equal(formatNin('010190 12345'), '010190 12345');
  assert.equal(formatNin('0101901234'), '0101901234');
  assert.equal(formatNin(''), '');
  assert.equal(formatNin(12), '');
});

test('formatPhone groups Norwegian numbers and leaves others', () => {
  assert.equal(formatPhone('41322908'), '413 22 908');
  assert.equal(formatPhone('+4795290748'), '+47 952 90 748');
  assert.equal(formatPhone('004795290748'), '+47 952 90 748');
  assert.equal(formatPhone('952 90 748'), '952 90 748');
  assert.equal(formatPhone('+46 70 123 45 67'), '+46 70 123 45 67');
  assert.equal(formatPhone('1234'), '1234');
  assert.equal(formatPhone(''), '');
  assert.equal(formatPhone(undefined), '');
});

test('listName and fullName', () => {
  assert.equal(listName({ givenName: 'Kari', middleName: 'Marit', familyName: 'Nordmann' }), 'Nordmann, Kari Marit');
  assert.equal(listName({ givenName: 'Kari', familyName: '' }), 'Kari');
  assert.equal(listName({ familyName: 'Nordmann' }), 'Nordmann');
  assert.equal(listName({}), '');
  assert.equal(fullName({ givenName: 'Kari', middleName: 'Marit', familyName: 'Nordmann' }), 'Kari Marit Nordmann');
  assert.equal(fullName({ givenName: 'Kari', familyName: 'Nordmann' }), 'Kari Nordmann');
});

test('formatDateTime shows local time and nothing for never', () => {
  const t = new Date(2024, 0, 31, 14, 5);
  assert.equal(formatDateTime(t.toISOString()), '31.01.2024 14:05');
  assert.equal(formatDateTime('0001-01-01T00:00:00Z'), '');
  assert.equal(formatDateTime('not a time'), '');
  assert.equal(formatDateTime(''), '');
});
