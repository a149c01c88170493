// The register's search rules, in the page: which clients of an answer the
// server already gave also match a longer search. While the receptionist
// types "hans" → "hanse", the rows of "hans" that match "hanse" are the
// first rows of the answer to "hanse" (the server answers in name order), so
// they can be shown in the same frame as the key; when the answer to "hans"
// held every match (fewer than a page), they are the whole answer and no
// request is made at all (client-list.js).
//
// The rules are the server's (store/query.go parseQuery, and the search
// index in memory, store/names.go): name words match the start of any word
// of the given, middle or family name; digits the start of the identity
// number or the phone number (+47 / 0047 ignored), 11 digits the whole
// identity number, 8 digits a birth date, 4 a birth year; dd.mm.yyyy and
// yyyy-mm-dd a birth date. ui/_test/search-cases.json holds cases the server
// answered (written and checked by TestSearchCasesForTheBrowser in store),
// and the node tests check that these functions answer them the same.
// Where the page cannot be sure to fold a text as the server does (letters
// outside Latin, where JavaScript's and Go's lower-casing differ), it says
// so (null) and the list asks the server. Pure: no DOM.

/** More terms than this match nobody (store/query.go maxTerms). */
const MAX_TERMS = 32;
const MAX_PHONE_DIGITS = 15;

// Go's unicode.IsSpace (strings.Fields splits on it).
const SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/u;
const WORD = /[\p{L}\p{M}\p{N}]/u;

/**
 * Texts the page folds exactly as the server does: Latin letters with their
 * accents and combining marks, digits, punctuation. (JavaScript and Go lower-case
 * some other letters differently: İ, final Σ.)
 */
const SURE = /^[\u0000-\u012f\u0131-\u024f\u0300-\u036f\u2000-\u206f]*$/u;

const isDigit = (c) => c >= '0' && c <= '9';
const isAsciiLetter = (c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
/** store/text.go isWordRune: ASCII letters, and any other letter, mark or number. */
const isWordRune = (c) => (c < '\u0080' ? isAsciiLetter(c) : WORD.test(c));

/** store/text.go fold: lower case, then NFC. */
const fold = (s) => s.toLowerCase().normalize('NFC');

/** Length in UTF-8 bytes (Go's len of a string). */
function byteLength(s) {
  let n = 0;
  for (const c of s) {
    const p = c.codePointAt(0);
    n += p < 0x80 ? 1 : p < 0x800 ? 2 : p < 0x10000 ? 3 : 4;
  }
  return n;
}

function digitsOf(s) {
  let d = '';
  for (const c of s) if (isDigit(c)) d += c;
  return d;
}

function stripNorway(d) {
  return d.startsWith('47') && d.length > 2 ? d.slice(2) : d;
}

/** store/text.go phoneKey: the phone number as the index holds it. */
export function phoneKey(phone) {
  const d = digitsOf(phone);
  if (phone.trim().startsWith('+')) return stripNorway(d);
  if (d.startsWith('00')) return stripNorway(d.slice(2));
  if (d.length === 10 && d.startsWith('47')) return d.slice(2);
  return d;
}

function phoneCandidates(d, plus) {
  const c = [];
  const add = (s) => {
    if (s !== '' && s.length <= MAX_PHONE_DIGITS && !c.includes(s)) c.push(s);
  };
  if (plus) add(stripNorway(d));
  else if (d.startsWith('00')) add(stripNorway(d.slice(2)));
  else {
    add(d);
    if (d.length === 10 && d.startsWith('47')) add(d.slice(2));
  }
  return c;
}

function makeDate(year, month, day) {
  if (byteLength(year) !== 4 || byteLength(month) < 1 || byteLength(month) > 2 || byteLength(day) < 1 || byteLength(day) > 2) return null;
  for (const s of [year, month, day]) for (const c of s) if (!isDigit(c)) return null;
  const y = Number(year);
  const m = Number(month);
  const d = Number(day);
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  if (y < 1800 || m < 1 || m > 12 || d < 1 || d > days[m - 1]) return null;
  return `${year}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}`;
}

function parseDate(s) {
  let parts = s.split('-');
  if (parts.length === 3 && byteLength(parts[0]) === 4) return makeDate(parts[0], parts[1], parts[2]);
  for (const sep of ['.', '/']) {
    parts = s.split(sep);
    if (parts.length === 3 && byteLength(parts[2]) === 4) return makeDate(parts[2], parts[1], parts[0]);
  }
  return null;
}

function dateFromDigits(d) {
  return makeDate(d.slice(4), d.slice(2, 4), d.slice(0, 2)) || makeDate(d.slice(0, 4), d.slice(4, 6), d.slice(6));
}

function trimNonWord(s) {
  const cs = [...s];
  const keep = (c) => isWordRune(c) || isDigit(c);
  let a = 0;
  let b = cs.length;
  while (a < b && !keep(cs[a])) a++;
  while (b > a && !keep(cs[b - 1])) b--;
  return cs.slice(a, b).join('');
}

/** store/query.go splitTerms. */
function splitTerms(s) {
  const terms = [];
  let num = '';
  let numPlus = false;
  const flushNum = () => {
    if (num !== '') terms.push({ kind: 'digits', text: num, plus: numPlus });
    num = '';
    numPlus = false;
  };
  for (const field of s.split(SPACE)) {
    if (field === '') continue;
    const day = parseDate(trimNonWord(field));
    if (day) {
      flushNum();
      terms.push({ kind: 'date', text: day, plus: false });
      continue;
    }
    let word = null;
    let prev = '';
    for (const c of field) {
      if (isDigit(c)) {
        if (word !== null) terms.push({ kind: 'word', text: word, plus: false });
        word = null;
        if (num === '' && prev === '+') numPlus = true;
        num += c;
      } else if (isWordRune(c)) {
        if (word === null) {
          flushNum();
          word = '';
        }
        word += c;
      } else if (word !== null) {
        terms.push({ kind: 'word', text: word, plus: false });
        word = null;
      }
      prev = c;
    }
    if (word !== null) terms.push({ kind: 'word', text: word, plus: false });
  }
  flushNum();
  return terms;
}

/** store/query.go reduceTerms: no duplicates, no word that is the start of another. */
function reduceTerms(terms) {
  return terms.filter((t, i) =>
    !terms.some((u, j) => {
      if (i === j || t.kind !== u.kind || t.plus !== u.plus) return false;
      if (t.text === u.text && j < i) return true;
      return t.kind === 'word' && u.text.length > t.text.length && u.text.startsWith(t.text);
    }),
  );
}

/** Whether a digits term can match anything (store/query.go term.fts). */
function digitsCanMatch(t) {
  const d = t.text;
  if (d.length <= 11) return true;
  if (phoneCandidates(d, t.plus).length) return true;
  return d.length === 8 && dateFromDigits(d) !== null;
}

/**
 * parseSearch(q) -> { terms, none } | null: what the server makes of q. none:
 * nobody can match; no terms: everyone. null: the page cannot be sure to read
 * q as the server does.
 */
export function parseSearch(q) {
  if (!SURE.test(q)) return null;
  const terms = reduceTerms(splitTerms(fold(q)));
  if (terms.length > MAX_TERMS) return { terms: [], none: true };
  if (terms.some((t) => t.kind === 'digits' && !digitsCanMatch(t))) return { terms: [], none: true };
  return { terms, none: false };
}

/** The name words of a client, folded (store/text.go nameTokens). */
function nameWords(c) {
  const out = [];
  for (const name of [c.givenName, c.middleName, c.familyName]) {
    let w = '';
    for (const ch of fold(name || '')) {
      if (isWordRune(ch)) w += ch;
      else if (w) {
        out.push(w);
        w = '';
      }
    }
    if (w) out.push(w);
  }
  return out;
}

function termMatches(c, t, words) {
  const birth = digitsOf(c.birthDate || '');
  switch (t.kind) {
    case 'word':
      return words.some((w) => w.startsWith(t.text));
    case 'date':
      return birth === t.text;
    default: {
      const d = t.text;
      const nin = digitsOf(c.nin || '');
      if (d.length === 11 ? nin === d : d.length < 11 && nin.startsWith(d)) return true;
      const phone = phoneKey(c.phone || '');
      if (phone !== '' && phoneCandidates(d, t.plus).some((p) => phone.startsWith(p))) return true;
      if (d.length === 8) {
        const day = dateFromDigits(d);
        if (day && birth === day) return true;
      }
      if (d.length === 4) {
        const y = Number(d);
        if (y >= 1850 && y <= 2100 && birth.startsWith(d)) return true;
      }
      return false;
    }
  }
}

/**
 * matchesSearch(client, parsed) -> true | false | null: whether the client
 * matches a search parsed by parseSearch; null when the page cannot be sure
 * to fold the client's names as the server does.
 */
export function matchesSearch(c, parsed) {
  if (parsed.none) return false;
  if (!parsed.terms.length) return true;
  const words = wordsOf(c);
  if (words === null) return null;
  return parsed.terms.every((t) => termMatches(c, t, words));
}

// The name words of the clients of answers, by client: a row is matched
// again at every key typed while its answer narrows, and folding its names
// was most of the matcher's time. Answers are not changed once in the page,
// and a client no answer holds any longer is forgotten with it.
const clientWords = new WeakMap();

/** nameWords(c), or null when the page cannot be sure to fold c's names as the server does. */
function wordsOf(c) {
  let words = clientWords.get(c);
  if (words === undefined) {
    words = [c.givenName, c.middleName, c.familyName].some((n) => n && !SURE.test(n)) ? null : nameWords(c);
    clientWords.set(c, words);
  }
  return words;
}

/**
 * narrows(wider, narrower) -> bool: every client matching the parsed search
 * narrower also matches wider, because each of wider's terms is a name word
 * that is the start of one of narrower's. (Digits are not compared: "0101199"
 * does not match the birth date "01011990" does.)
 */
export function narrows(wider, narrower) {
  if (wider.none || narrower.none) return false;
  return wider.terms.every((t) => t.kind === 'word' && narrower.terms.some((u) => u.kind === 'word' && u.text.startsWith(t.text)));
}

/**
 * filterAnswer(answer, wider, narrower) -> { results, complete } | null: the
 * clients of the server's first page for the search wider that match
 * narrower, in the server's order. They are the first matches of narrower;
 * complete when the page held every match of wider (then they are all of
 * narrower's). null when the page cannot tell (see matchesSearch and narrows).
 */
export function filterAnswer(answer, wider, narrower) {
  if (!wider || !narrower || !narrows(wider, narrower)) return null;
  const results = [];
  for (const c of answer.results) {
    const m = matchesSearch(c, narrower);
    if (m === null) return null;
    if (m) results.push(c);
  }
  return { results, complete: answer.total === answer.results.length };
}

/**
 * prepareAnswer(q, answer) -> bool: matches the clients of the server's
 * answer to q once, as a longer search would, so that the key that narrows
 * it finds their name words folded (wordsOf) and the matcher compiled by the
 * browser. For the answers asked ahead, which the second key of every
 * search narrows. True when it matched them (a name search the page reads
 * as the server does).
 */
export function prepareAnswer(q, answer) {
  const parsed = parseSearch(q);
  return filterAnswer(answer, parsed, parsed) !== null;
}

/**
 * warmUp() -> bool: runs the parser and the matcher once on a made-up
 * client, so that the receptionist's first keystroke does not pay for
 * setting them up: the browser compiles the Unicode classes above and loads
 * its normalisation tables on first use, some 40 ms inside the first key's
 * input handler (the browser benchmark's trace of the first search). True
 * when the made-up client matched, as it must.
 */
export function warmUp() {
  const sample = { results: [{ givenName: 'Åse Marie', familyName: 'Ødegård-Berg', birthDate: '1990-05-12' }], total: 1 };
  const m = filterAnswer(sample, parseSearch('ø'), parseSearch('ødeg 12.05.1990'));
  return m !== null && m.complete && m.results.length === 1;
}
