// The client list: a search box that searches as you type, a table of
// matches, paging. The server answers only the fields the table shows (see
// GET /api/clients in the README). The search text and page live in the address
// ("#/clients?q=...&page=2") so that Back from a client returns to the same list.
//
// Every keystroke asks at once (no typing pause) and cancels the question
// before it; the answers of the last few searches are kept (client-search.js),
// so backing up a letter shows its answer without asking, and a longer
// search draws its first rows from a shorter one's answer in the key's own
// frame (narrowed). The first key has no shorter search: the answers to
// every one-character search are asked for when the list opens
// (GET /api/clients/ahead). The table is updated in place (client-table.js).

import { errorText, isAbort } from '../api.js';
import { h, replace, say } from '../dom.js';
import { recentClients } from '../recent.js';
import { withKey } from '../shortcuts.js';
import { filterAnswer, parseSearch, prepareAnswer, warmUp } from './client-match.js';
import { createSearchCache, isTypingKey, searchKey, splitSearchKey } from './client-search.js';
import { createClientTable, SORT_KEYS } from './client-table.js';

/** Rows per page. */
const PAGE_SIZE = 50;

/** How long the typing pauses before the search is written into the address. */
const ADDRESS_PAUSE_MS = 700;

export function renderClientList(ctx, { query, signal }) {
  const { api, i18n, router } = ctx;
  const t = (k, v) => i18n.t(k, v);
  const numbers = new Intl.NumberFormat(i18n.lang === 'nb' ? 'nb-NO' : 'en-GB');

  let q = query.get('q') || '';
  let page = Math.max(1, Number.parseInt(query.get('page') || '1', 10) || 1);
  // Column sorting orders the rows of the page shown (the server answers in
  // name order); "sort=city&dir=desc" in the address keeps it over Back.
  let sortKey = SORT_KEYS.includes(query.get('sort')) ? query.get('sort') : '';
  let sortDir = query.get('dir') === 'desc' ? 'desc' : 'asc';
  let controller = null;
  // What the table shows now, so Enter can open a single match.
  let shown = null;
  const cache = createSearchCache({ now: () => performance.now(), writes: api.writes });
  // Kept from one opening of the list to the next (app.js).
  const ahead = ctx.clientsAhead;

  const addButton = h('a', { class: 'button button-primary', id: 'add-client', href: '#/clients/new', 'aria-keyshortcuts': 'Alt+N', title: withKey(t('clients.add'), 'newClient'), text: t('clients.add') });
  const search = h('input', {
    type: 'search',
    id: 'search',
    class: 'input search-input',
    autocomplete: 'off',
    spellcheck: 'false',
    value: q,
    'aria-keyshortcuts': 'Alt+K',
    title: withKey(t('clients.searchLabel'), 'search'),
  });
  const summary = h('p', { class: 'result-summary', id: 'result-summary', 'aria-live': 'polite' });
  const recentBox = h('div', { class: 'recent', id: 'recent-box' });

  /** "Sist brukt": shown under an unfiltered list, when there is one. */
  function drawRecent(show) {
    const list = show ? recentClients(window.localStorage) : [];
    if (!list.length) {
      if (recentBox.firstChild) replace(recentBox);
      return;
    }
    replace(
      recentBox,
      h(
        'section',
        { class: 'card recent-card', 'aria-labelledby': 'recent-title' },
        h('h2', { id: 'recent-title', text: t('clients.recent') }),
        h('ul', { class: 'recent-list', id: 'recent-list' }, list.map((x) => h('li', {}, h('a', { href: `#/clients/${encodeURIComponent(x.id)}`, text: x.name || '–' })))),
      ),
    );
  }
  const results = h('div', { class: 'results', id: 'results' });
  const node = h(
    'section',
    { class: 'page page-list' },
    h('div', { class: 'page-header' }, h('h1', { text: t('clients.title') }), addButton),
    h(
      'div',
      { class: 'search', role: 'search' },
      h('label', { htmlFor: 'search', class: 'label', text: t('clients.searchLabel') }),
      search,
    ),
    recentBox,
    summary,
    results,
  );

  function writeAddress() {
    const params = new URLSearchParams();
    if (q) params.set('q', q);
    if (page > 1) params.set('page', String(page));
    if (sortKey) {
      params.set('sort', sortKey);
      if (sortDir === 'desc') params.set('dir', 'desc');
    }
    const s = params.toString();
    router.setQuietly(s ? `#/clients?${s}` : '#/clients');
  }

  // While typing, the address is written once the typing pauses
  // (ADDRESS_PAUSE_MS after the last key), not with every key: in Chromium
  // a history.replaceState made while the receptionist types costs more
  // than its own few milliseconds, as the browser then counts every key as
  // a navigation of its own (a "soft navigation" in its trace), and the
  // keys' whole answers came some 10 ms later at p50 (go run ./bench
  // -browser; docs/PERFORMANCE.md, item 21). Anything that can leave the
  // list writes it at once: a pointer put down, a key that is not typing
  // (Enter, the arrows, Tab, a shortcut with Alt or Ctrl), the page being
  // hidden or left; so Back from a client opened meanwhile returns to this
  // search. An address changed meanwhile by someone else (Back, a link) is
  // left alone.
  let addressDue = false;
  let addressTimer = 0;
  function writeAddressSoon() {
    addressDue = true;
    clearTimeout(addressTimer);
    addressTimer = setTimeout(flushAddress, ADDRESS_PAUSE_MS);
  }
  function flushAddress() {
    clearTimeout(addressTimer);
    if (!addressDue) return;
    addressDue = false;
    if (window.location.hash === router.currentHash) writeAddress();
  }
  function flushUnlessTyping(e) {
    if (!isTypingKey(e)) flushAddress();
  }
  document.addEventListener('keydown', flushUnlessTyping, true);
  document.addEventListener('pointerdown', flushAddress, true);
  window.addEventListener('pagehide', flushAddress);
  document.addEventListener('visibilitychange', flushAddress);

  /** Asks for the list; typed: for a keystroke (client-table.js draws the rows in view first). */
  async function load({ typed = false } = {}) {
    if (controller) controller.abort();
    controller = new AbortController();
    const mine = controller;
    const wanted = { q, page };
    const key = searchKey(q, page);
    // The answer to a one-character search, asked when the list opened.
    const kept = page === 1 ? ahead.get(q) : undefined;
    const cached = cache.get(key) || (kept && kept.fresh ? kept.data : undefined);
    if (cached) {
      // Asked a moment ago (the receptionist backed up a letter, or it is
      // the first key): no wait.
      controller = null;
      results.removeAttribute('aria-busy');
      shown = { ...wanted, data: cached };
      draw(cached, typed);
      return;
    }
    results.setAttribute('aria-busy', 'true');
    const writesAtAsk = api.writes();
    // A longer name search than one answered a moment ago: its rows that
    // match are the first rows of this answer, drawn in this frame. When
    // that answer held every match, they are all of them and nobody is
    // asked (client-match.js).
    const early = kept ? { results: kept.data.results, complete: false } : page === 1 ? narrowed(q) : null;
    if (early && early.complete) {
      controller = null;
      results.removeAttribute('aria-busy');
      const data = { results: early.results, total: early.results.length };
      cache.set(key, data, writesAtAsk, early.at);
      shown = { ...wanted, data };
      draw(data, typed);
      return;
    }
    // The question leaves before the early rows are drawn, so that drawing
    // them does not hold it up.
    const asked = api.listClients({ q, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }, AbortSignal.any([signal, mine.signal]));
    if (early && early.results.length) drawEarly(early.results);
    try {
      const data = await asked;
      if (mine !== controller) return;
      // A page past the end (the list shrank): show the last real page instead.
      if (data.results.length === 0 && data.total > 0 && page > 1) {
        page = Math.ceil(data.total / PAGE_SIZE);
        writeAddress();
        load();
        return;
      }
      cache.set(key, data, writesAtAsk);
      shown = { ...wanted, data };
      draw(data, typed);
    } catch (err) {
      if (isAbort(err) || mine !== controller) return;
      showError(err);
    } finally {
      if (mine === controller) results.removeAttribute('aria-busy');
    }
  }

  // Searches parsed for narrowed(), by text.
  const parsedTexts = new Map();
  function parsedSearch(text) {
    if (!parsedTexts.has(text)) {
      if (parsedTexts.size > 200) parsedTexts.clear();
      parsedTexts.set(text, parseSearch(text));
    }
    return parsedTexts.get(text);
  }

  /**
   * The matches of q among the fresh answers to shorter name searches (page
   * 1), and the answer asked ahead for its first letter: { results,
   * complete, at } from an answer that held every match, else from the
   * longest search; null when there is none. An answer asked ahead that is
   * no longer fresh gives only early rows (never complete).
   */
  function narrowed(text) {
    const parsed = parsedSearch(text);
    if (!parsed) return null;
    const lower = text.toLowerCase();
    let best = null;
    const candidates = cache.fresh();
    const initial = text.length > 1 ? ahead.get([...text][0]) : undefined;
    if (initial) candidates.push(initial);
    // The longest search first: a shorter one is then passed over unless it
    // held every match, and each candidate tried costs a pass over its rows.
    candidates.sort((a, b) => b.key.length - a.key.length);
    for (const e of candidates) {
      const k = splitSearchKey(e.key);
      // Only what was typed before this (the start of it): a search in
      // another order would narrow too, but is rare, and each candidate
      // costs a pass over its answer.
      if (k.page !== 1 || k.q === text || !lower.startsWith(k.q.toLowerCase())) continue;
      const complete = e.data.total === e.data.results.length && e.fresh !== false;
      if (best && (best.complete || (!complete && k.q.length <= best.q.length))) continue;
      const m = filterAnswer(e.data, parsedSearch(k.q), parsed);
      if (m) best = { ...m, complete: m.complete && complete, q: k.q, at: e.at };
    }
    return best;
  }

  /**
   * The first rows of the answer on its way: the table only; the count and
   * the paging stay until the answer (changing them now would lay the page
   * out twice).
   */
  function drawEarly(list) {
    drawRecent(false);
    addButton.hidden = false;
    clientTable.show(list, sortKey, sortDir, { inViewFirst: true });
    if (results.firstChild !== clientTable.node) replace(results, clientTable.node);
  }

  function showError(err) {
    shown = null;
    summary.textContent = '';
    say(results, 'error', errorText(t, err), h('button', { type: 'button', class: 'button', text: t('common.retry'), on: { click: () => load() } }));
  }

  function draw(data, typed = false) {
    const empty = data.total === 0;
    drawRecent(q === '' && !empty);
    addButton.hidden = empty && q === '';
    if (empty && q === '') {
      summary.textContent = '';
      replace(results, firstRun());
      return;
    }
    if (empty) {
      // Said once: the box below, read out as it appears.
      summary.textContent = '';
      replace(results, h('div', { class: 'empty-state', id: 'no-hits', role: 'status' }, h('p', { class: 'no-hits', text: t('clients.noHits') }), h('p', { text: t('clients.noHitsHint') })));
      return;
    }
    const from = (page - 1) * PAGE_SIZE + 1;
    const to = from + data.results.length - 1;
    const range = t('clients.range', { from: numbers.format(from), to: numbers.format(to), total: numbers.format(data.total) });
    summary.textContent = range;
    // The rows in view first while typing a search (client-table.js); not
    // for the empty box, where «Sist brukt» above the table moves it down.
    clientTable.show(data.results, sortKey, sortDir, { inViewFirst: typed && q !== '' });
    // One page needs no paging controls; the summary already gives the count.
    const paged = page > 1 || to < data.total;
    if (paged) {
      pager.prev.disabled = page <= 1;
      pager.next.disabled = to >= data.total;
      pager.range.textContent = range;
    }
    // The table and the pager stay in place from one answer to the next.
    if (results.firstChild !== clientTable.node || (results.lastChild === pager.node) !== paged) {
      replace(results, clientTable.node, paged ? pager.node : null);
    }
  }

  /** An empty register: what to do first, with the buttons to do it. */
  function firstRun() {
    const pt = h('li', { id: 'first-run-pt' }, h('p', { text: t('clients.firstPt') }));
    ctx.api.persontjenesten
      .status(signal)
      .then((st) => {
        if (st && st.activated) replace(pt, h('p', { text: t('clients.firstPtOn') }));
        else replace(pt, h('p', { text: t('clients.firstPtOff') }), h('a', { class: 'button', id: 'first-run-activate', href: '#/persontjenesten/activate', text: t('clients.firstPtLink') }));
      })
      .catch(() => {});
    return h(
      'div',
      { class: 'empty-state first-run', id: 'empty-register' },
      h('h2', { text: t('clients.emptyTitle') }),
      h('p', { text: t('clients.emptyHint') }),
      h(
        'ol',
        { class: 'first-run-steps' },
        h('li', {}, h('p', { text: t('clients.firstAdd') }), h('a', { class: 'button button-primary', href: '#/clients/new', text: t('clients.add') })),
        pt,
      ),
    );
  }

  const clientTable = createClientTable({ i18n, onSort: sortBy, onOpen: openRow, onKeys: rowKeys, signal });

  function sortBy(key) {
    if (sortKey === key) sortDir = sortDir === 'asc' ? 'desc' : 'asc';
    else [sortKey, sortDir] = [key, 'asc'];
    writeAddress();
    if (!shown) return;
    draw(shown.data);
    // The table was redrawn: keep the focus on the same header button.
    const again = results.querySelector(`#sort-${key}`);
    if (again) again.focus();
  }

  const pager = (() => {
    const prev = h('button', { type: 'button', class: 'button', id: 'page-prev', text: t('clients.previous'), on: { click: () => turn(-1) } });
    const next = h('button', { type: 'button', class: 'button', id: 'page-next', text: t('clients.next'), on: { click: () => turn(1) } });
    const range = h('span', { class: 'pager-range' });
    return { prev, next, range, node: h('nav', { class: 'pager', 'aria-label': t('clients.paging') }, prev, range, next) };
  })();

  function turn(delta) {
    page += delta;
    writeAddress();
    load().then(() => {
      const first = results.querySelector('.row-link');
      if (first) first.focus();
    });
  }

  function openRow(e, href) {
    // The link handles its own clicks; a selection being made is not a click.
    if (e.target.closest('a') || String(window.getSelection())) return;
    router.navigate(href);
  }

  function rowKeys(e) {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    const links = [...results.querySelectorAll('.row-link')];
    const i = links.indexOf(document.activeElement);
    if (i < 0) return;
    e.preventDefault();
    if (e.key === 'ArrowDown' && i + 1 < links.length) links[i + 1].focus();
    else if (e.key === 'ArrowUp') (i > 0 ? links[i - 1] : search).focus();
  }

  // The answers to every one-character search, asked when the list opens
  // and when the search box gets the focus, unless those kept are fresh
  // (client-search.js createAheadAnswers). The server answers them once its
  // search index is loaded after start. A failure costs only speed: the
  // list then asks for the first key as for any other.
  let asking = false;
  // The warm-up's timers (below), stopped when the list is left.
  const warm = { frame: 0, timer: 0, prepare: 0 };
  function askAhead() {
    if (asking || signal.aborted || !ahead.due()) return;
    asking = true;
    const writesAtAsk = api.writes();
    api
      .listClientsAhead({ limit: PAGE_SIZE }, signal)
      .then((data) => {
        ahead.set(data.answers, writesAtAsk);
        prepare(data.answers, 0);
      })
      .catch(() => {})
      .finally(() => {
        asking = false;
      });
  }
  search.addEventListener('focus', askAhead);

  // The second key of a search narrows the answer asked ahead for its first
  // letter: the answers' clients are matched once beforehand, so that the
  // key finds their names folded (client-match.js prepareAnswer); a few
  // milliseconds a task, so that a key never waits long behind it.
  function prepare(answers, i) {
    if (signal.aborted) return;
    const until = performance.now() + 4;
    while (i < answers.length && performance.now() < until) {
      prepareAnswer(answers[i].q, answers[i]);
      i += 1;
    }
    if (i < answers.length) warm.prepare = setTimeout(() => prepare(answers, i));
  }

  search.addEventListener('input', () => {
    const typed = search.value.trim();
    if (typed === q && page === 1) return; // a space, or the same text again
    q = typed;
    page = 1;
    writeAddressSoon();
    load({ typed: true });
  });
  search.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      // A single match opens, also when Enter comes before the search answered.
      const openSingle = () => {
        if (shown && shown.q === q && shown.data.total === 1) router.navigate(`#/clients/${shown.data.results[0].id}`);
      };
      if (shown && shown.q === q) openSingle();
      else load().then(openSingle);
    } else if (e.key === 'ArrowDown') {
      const first = results.querySelector('.row-link');
      if (first) {
        e.preventDefault();
        first.focus();
      }
    }
  });

  // Once the list is on screen (just after the frame that shows its first
  // answer), the matcher runs once on made-up text, so that the first
  // letters typed are answered as fast as the next ones (client-match.js
  // warmUp). Not in an idle callback: Chromium found no idle moment before
  // the first keys, and the second key paid for it (43 ms in the browser
  // benchmark's trace of the first name).
  load().then(() => {
    if (signal.aborted) return;
    askAhead();
    warm.frame = requestAnimationFrame(() => {
      warm.timer = setTimeout(warmUp);
    });
  });

  return {
    node,
    title: t('clients.title'),
    focus: () => {
      search.focus();
      // Put the caret after any remembered search text.
      search.setSelectionRange(search.value.length, search.value.length);
    },
    destroy: () => {
      cancelAnimationFrame(warm.frame);
      clearTimeout(warm.timer);
      clearTimeout(warm.prepare);
      addressDue = false;
      clearTimeout(addressTimer);
      document.removeEventListener('keydown', flushUnlessTyping, true);
      document.removeEventListener('pointerdown', flushAddress, true);
      window.removeEventListener('pagehide', flushAddress);
      document.removeEventListener('visibilitychange', flushAddress);
      if (controller) controller.abort();
    },
  };
}
