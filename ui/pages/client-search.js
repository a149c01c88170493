// A small cache of the client list's recent answers, so that a search the
// receptionist backs up to ("hans" after "hansen") is on screen at once,
// without waiting for the server. It is dropped on any write this browser
// makes (api.writes() counts them), and an answer older than freshMs is not
// used, so a change made elsewhere (the update-all job, another window) is
// shown within that time at the latest. The answers to the one-character
// searches, asked ahead when the list opens, are kept the same way
// (createAheadAnswers). Also here: which keys are typing
// (isTypingKey), for when the list writes the search into the address.
// Pure: no DOM, tested with node --test.

/** Answers kept; a typed name is some 10 letters, each with its answer. */
export const CACHE_SIZE = 48;
/** How long an answer is shown without asking the server again. */
export const CACHE_FRESH_MS = 15000;

/**
 * createSearchCache({ size, freshMs, now, writes }):
 * now() is the clock in milliseconds; writes() a count that changes with
 * every write (the cache is emptied when it does).
 */
export function createSearchCache({ size = CACHE_SIZE, freshMs = CACHE_FRESH_MS, now, writes }) {
  const entries = new Map(); // key -> { at, data }; insertion order = age
  let seenWrites = writes();

  function sync() {
    const w = writes();
    if (w !== seenWrites) {
      entries.clear();
      seenWrites = w;
    }
  }

  return {
    /** The answer for key, or undefined when none is fresh. */
    get(key) {
      sync();
      const e = entries.get(key);
      if (!e) return undefined;
      if (now() - e.at > freshMs) {
        entries.delete(key);
        return undefined;
      }
      // Used again: move it to the young end.
      entries.delete(key);
      entries.set(key, e);
      return e.data;
    },
    /**
     * Keeps data as the answer for key; writesAtAsk is writes() when it was
     * asked; at is when it was answered (an answer made from another is as
     * old as that one).
     */
    set(key, data, writesAtAsk, at = now()) {
      sync();
      // An answer asked before a write may already be out of date.
      if (writesAtAsk !== seenWrites) return;
      entries.delete(key);
      entries.set(key, { at, data });
      while (entries.size > size) entries.delete(entries.keys().next().value);
    },
    /** The fresh answers, youngest first: [{ key, data, at }]. */
    fresh() {
      sync();
      const out = [];
      const t = now();
      for (const [key, e] of entries) if (t - e.at <= freshMs) out.push({ key, data: e.data, at: e.at });
      return out.reverse();
    },
    clear() {
      entries.clear();
    },
    get size() {
      return entries.size;
    },
  };
}

/** How long answers asked ahead still give the first rows of a search. */
export const AHEAD_KEEP_MS = 10 * 60 * 1000;

/**
 * createAheadAnswers({ freshMs, keepMs, now, writes }): the first pages of
 * the one-character searches, asked when the list opens
 * (GET /api/clients/ahead), so that the first key of a search, which has no
 * earlier answer to narrow, is answered in its own frame. While fresh
 * (freshMs, like the cache's answers) an answer is the answer; older, up to
 * keepMs, it gives only the first rows drawn while the list asks the server
 * (a change made elsewhere meanwhile shows a moment later). A write made
 * in this browser drops them all.
 */
export function createAheadAnswers({ freshMs = CACHE_FRESH_MS, keepMs = AHEAD_KEEP_MS, now, writes }) {
  let answers = new Map(); // q -> { results, total }
  let at = 0;
  let seenWrites = writes();

  function sync() {
    if (writes() !== seenWrites) {
      answers = new Map();
      seenWrites = writes();
    }
  }

  return {
    /** Whether to ask again: none kept, none fresh, or a write since. */
    due() {
      sync();
      return answers.size === 0 || now() - at > freshMs;
    },
    /**
     * Keeps the answers ([{ q, results, total }]); writesAtAsk is writes()
     * when they were asked (asked before a write, they are not kept).
     */
    set(list, writesAtAsk) {
      sync();
      if (writesAtAsk !== seenWrites) return;
      answers = new Map(list.map((a) => [a.q, { results: a.results, total: a.total }]));
      at = now();
    },
    /**
     * The answer kept for the one-character search q (any case):
     * { key, data, at, fresh }, or undefined (none, or too old).
     */
    get(q) {
      sync();
      const age = now() - at;
      const data = answers.get(q.toLowerCase().normalize('NFC'));
      if (!data || age > keepMs) return undefined;
      return { key: searchKey(q, 1), data, at, fresh: age <= freshMs };
    },
  };
}

/** The cache key of a search: the text and the page. */
export function searchKey(q, page) {
  return `${page}\u0000${q}`;
}

/** The text and page of a cache key. */
export function splitSearchKey(key) {
  const i = key.indexOf('\u0000');
  return { page: Number(key.slice(0, i)), q: key.slice(i + 1) };
}

/**
 * isTypingKey(e) -> bool: the key edits the text (a character without Alt,
 * Ctrl or Meta, Backspace, Delete), so it does not leave the list.
 */
export function isTypingKey(e) {
  if (e.altKey || e.ctrlKey || e.metaKey) return false;
  return e.key.length === 1 || e.key === 'Backspace' || e.key === 'Delete' || e.key === 'Dead' || e.key === 'Process';
}
