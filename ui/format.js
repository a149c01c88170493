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
 * A phone number as it is shown everywhere (list, card, form): a Norwegian
 * number in the usual groups without its country code, "+4795290748" and
 * "95290748" -> "952 90 748"; a foreign number keeps its + prefix
 * ("0046701234567" -> "+46701234567"). Anything else is returned unchanged.
 */
export function formatPhone(phone) {
  if (typeof phone !== 'string') return '';
  const key = phoneKey(phone);
  const m = /^\+47(\d{3})(\d{2})(\d{3})$/.exec(key);
  if (m) return `${m[1]} ${m[2]} ${m[3]}`;
  return key.startsWith('+') && phone.trim().startsWith('00') ? key : phone.trim();
}

/**
 * A phone number reduced to what it means, for comparing (as the server's
 * register.PhoneKey): groups and hyphens dropped, 00 written as +, and an
 * 8-digit number given +47. Text that is no phone number is only trimmed.
 */
export function phoneKey(phone) {
  const s = String(phone ?? '').trim();
  if (!/^\+?[\d -]+$/.test(s)) return s;
  const digits = s.replace(/[ -]/g, '');
  const count = digits.replace('+', '').length;
  if (count < 8 || count > 15) return s;
  if (digits.startsWith('+')) return digits;
  if (digits.startsWith('00')) return `+${digits.slice(2)}`;
  return digits.length === 8 ? `+47${digits}` : digits;
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
