// The client form's field texts, apart from the page: how a client's values
// are shown in the fields, compared, merged three ways after a conflict, and
// turned back into the client to send. Pure functions (unit-tested in
// ui/_test/client-form-texts.test.js).

import { formatDate, formatNin, formatPhone, parseDate, phoneKey } from '../format.js';
import { EDITABLE } from './client-fields.js';

/** The text each field should show for client c. */
export function textsOf(c) {
  const out = {};
  for (const f of EDITABLE) {
    const v = c[f.name] ?? '';
    if (f.kind === 'nin') out[f.name] = formatNin(String(v));
    else if (f.kind === 'date') out[f.name] = formatDate(String(v));
    else if (f.name === 'phone') out[f.name] = formatPhone(String(v));
    else if (f.name === 'addressProtection') out[f.name] = v || 'None';
    else out[f.name] = String(v);
  }
  return out;
}

/** Comparable form of a field text, so "010190 12345" equals "01019012345". */
export function normal(f, text) {
  const s = String(text ?? '').trim();
  if (f.kind === 'nin') return s.replace(/\s+/g, '');
  if (f.name === 'phone') return phoneKey(s);
  if (f.kind === 'date') {
    const d = parseDate(s);
    return d.ok ? d.iso : s;
  }
  return s;
}

/** The client to send: base plus the typed fields; dates that cannot be read are reported. */
export function payloadFrom(texts, base, t) {
  const payload = { ...base };
  const bad = {};
  for (const f of EDITABLE) {
    const text = texts[f.name];
    if (f.kind === 'date') {
      const d = parseDate(text);
      if (d.ok) payload[f.name] = d.iso;
      else bad[f.name] = t('form.dateFormat');
    } else if (f.kind === 'nin') {
      payload[f.name] = text.trim();
    } else if (f.name === 'phone') {
      // The number as shown ("952 90 748") is stored as "+4795290748": the
      // same number sends the stored text, so formatting alone is never a
      // change; a new number is sent in that stored form.
      const key = phoneKey(text);
      payload[f.name] = key === phoneKey(base.phone) ? (base.phone ?? '') : key;
    } else {
      payload[f.name] = text;
    }
  }
  return { payload, bad };
}

/**
 * The three-way merge of field texts: {texts, mine, theirs, both}; mine
 * lists the fields kept as this user typed them, theirs the fields taken
 * from the stored version, both the fields both changed differently.
 */
export function threeWay(baseTexts, mineTexts, theirTexts) {
  const texts = {};
  const mine = [];
  const theirs = [];
  const both = [];
  for (const f of EDITABLE) {
    const b = normal(f, baseTexts[f.name]);
    const m = normal(f, mineTexts[f.name]);
    const o = normal(f, theirTexts[f.name]);
    if (m !== b) {
      texts[f.name] = mineTexts[f.name];
      if (m !== o) mine.push(f.name);
      if (o !== b && o !== m) both.push(f.name);
    } else {
      texts[f.name] = theirTexts[f.name];
      if (o !== b) theirs.push(f.name);
    }
  }
  return { texts, mine, theirs, both };
}
