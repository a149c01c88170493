// Display and input formats. The API speaks ISO dates (YYYY-MM-DD) and bare
// 11-digit identity numbers; people read and type dd.mm.åååå and 6+5 digits.

/** "1990-01-31" -> "31.01.1990". Anything that is not an ISO date is returned unchanged. */
export function formatDate(iso) {
  if (typeof iso !== 'string') return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}.${m[2]}.${m[1]}` : iso;
}

/**
 * Reads a date the way receptionists type it and returns {ok, iso}.
 * Accepts "31.01.1990", "31.1.1990", "31/01/1990", "31-01-1990", "31 01 1990",
 * "31011990" and ISO "1990-01-31". Empty input is ok and gives "".
 * Two-digit years are refused on purpose: "01.01.20" could be 1920 or 2020.
 */
export function parseDate(input) {
  const s = String(input ?? '').trim();
  if (s === '') return { ok: true, iso: '' };
  let y;
  let mo;
  let d;
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  if (m) {
    [y, mo, d] = [m[1], m[2], m[3]];
  } else if ((m = /^(\d{1,2})[.\/\- ](\d{1,2})[.\/\- ](\d{4})$/.exec(s))) {
    [d, mo, y] = [m[1], m[2], m[3]];
  } else if ((m = /^(\d{2})(\d{2})(\d{4})$/.exec(s))) {
    [d, mo, y] = [m[1], m[2], m[3]];
  } else {
    return { ok: false, iso: '' };
  }
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (year < 1800 || month < 1 || month > 12 || day < 1) return { ok: false, iso: '' };
  // Day 0 of the next month is the last day of this one.
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return { ok: false, iso: '' };
  const pad = (n, w) => String(n).padStart(w, '0');
  return { ok: true, iso: `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}` };
}

/** "01019012345" -> "010190 12345". Anything else is returned unchanged. */
export function formatNin(nin) {
  if (typeof nin !== 'string') return '';
  const digits = nin.replace(/\s+/g, '');
  return /^\d{11}$/.test(digits) ? `${digits.slice(0, 6)} ${digits.slice(6)}` : nin;
}

/**
 * A Norwegian phone number in the usual groups: "+4795290748" ->
 * "+47 952 90 748", "41322908" -> "413 22 908". Anything else (foreign
 * numbers, odd lengths) is returned unchanged.
 */
export function formatPhone(phone) {
  if (typeof phone !== 'string') return '';
  const m = /^(\+47|0047)?(\d{3})(\d{2})(\d{3})$/.exec(phone.replace(/\s+/g, ''));
  if (!m) return phone;
  const local = `${m[2]} ${m[3]} ${m[4]}`;
  return m[1] ? `+47 ${local}` : local;
}

/** The name as lists sort it: "Family, Given Middle". */
export function listName(c) {
  const first = [c.givenName, c.middleName].filter(Boolean).join(' ');
  if (c.familyName && first) return `${c.familyName}, ${first}`;
  return c.familyName || first || '';
}

/** The name as it is spoken: "Given Middle Family". */
export function fullName(c) {
  return [c.givenName, c.middleName, c.familyName].filter(Boolean).join(' ');
}

/**
 * An RFC 3339 timestamp in local time as "31.01.2024 14:05". Empty,
 * unparsable or zero input gives "".
 */
export function formatDateTime(value) {
  if (!value) return '';
  const t = new Date(value);
  // Go's zero time (0001-01-01T00:00:00Z) means "never": nothing to show.
  if (Number.isNaN(t.getTime()) || t.getUTCFullYear() < 1800) return '';
  const pad = (n) => String(n).padStart(2, '0');
  return `${pad(t.getDate())}.${pad(t.getMonth() + 1)}.${t.getFullYear()} ${pad(t.getHours())}:${pad(t.getMinutes())}`;
}
