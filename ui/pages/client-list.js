// The client list: a search box that searches as you type, a table of
// matches, paging. The server answers only the fields the table shows (see
// GET /api/clients in the README). The search text and page live in the address
// ("#/clients?q=...&page=2") so that Back from a client returns to the same list.

import { errorText, isAbort } from '../api.js';
import { h, replace, say } from '../dom.js';
import { formatDate, formatNin, formatPhone, listName } from '../format.js';
import { recentClients } from '../recent.js';
import { withKey } from '../shortcuts.js';
import { clientBadges } from './badges.js';

/** Rows per page. */
const PAGE_SIZE = 50;
/** Typing pause before a search is sent. */
const DEBOUNCE_MS = 150;
/** The columns, in order; every one can be sorted. */
const SORT_KEYS = ['name', 'birthDate', 'nin', 'phone', 'city'];

/** What each column sorts by. A hidden address sorts as empty, so the order gives nothing away. */
const SORT_VALUE = {
  name: (c) => listName(c),
  birthDate: (c) => c.birthDate || '',
  nin: (c) => c.nin || '',
  phone: (c) => (c.phone || '').replace(/\s+/g, ''),
  city: (c) => (c.addressProtection === 'Confidential' || c.addressProtection === 'StrictlyConfidential' ? '' : c.city || ''),
};

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
  let timer = 0;
  // What the table shows now, so Enter can open a single match.
  let shown = null;

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
      replace(recentBox);
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

  async function load() {
    window.clearTimeout(timer);
    if (controller) controller.abort();
    controller = new AbortController();
    const mine = controller;
    const wanted = { q, page };
    results.setAttribute('aria-busy', 'true');
    try {
      const signals = AbortSignal.any([signal, mine.signal]);
      const data = await api.listClients({ q, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }, signals);
      if (mine !== controller) return;
      // A page past the end (the list shrank): show the last real page instead.
      if (data.results.length === 0 && data.total > 0 && page > 1) {
        page = Math.ceil(data.total / PAGE_SIZE);
        writeAddress();
        load();
        return;
      }
      shown = { ...wanted, data };
      draw(data);
    } catch (err) {
      if (isAbort(err) || mine !== controller) return;
      showError(err);
    } finally {
      if (mine === controller) results.removeAttribute('aria-busy');
    }
  }

  function showError(err) {
    shown = null;
    summary.textContent = '';
    say(results, 'error', errorText(t, err), h('button', { type: 'button', class: 'button', text: t('common.retry'), on: { click: () => load() } }));
  }

  function draw(data) {
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
    // One page needs no paging controls; the summary already gives the count.
    replace(results, table(data.results), page > 1 || to < data.total ? pager(range, to < data.total) : null);
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

  function table(clients) {
    const head = SORT_KEYS.map((c) => {
      const active = sortKey === c;
      const dir = active ? sortDir : '';
      // The arrow is a shape, not a colour; aria-sort tells screen readers.
      const mark = h('span', { class: 'sort-mark', 'aria-hidden': 'true', text: dir === 'asc' ? '▲' : dir === 'desc' ? '▼' : '↕' });
      const button = h(
        'button',
        {
          type: 'button',
          class: 'sort-button',
          id: `sort-${c}`,
          title: t(active && sortDir === 'asc' ? 'clients.sortDesc' : 'clients.sortAsc'),
          on: { click: () => sortBy(c) },
        },
        h('span', { text: t(`clients.col.${c}`) }),
        mark,
      );
      return h('th', { scope: 'col', class: `col-${c}`, 'aria-sort': active ? (sortDir === 'asc' ? 'ascending' : 'descending') : 'none' }, button);
    });
    const rows = sorted(clients).map((c) => {
      const href = `#/clients/${c.id}`;
      const link = h('a', { href, class: 'row-link', text: listName(c) || '–' });
      const addressHidden = c.addressProtection === 'Confidential' || c.addressProtection === 'StrictlyConfidential';
      const city = addressHidden ? h('span', { class: 'muted', text: t('clients.hidden') }) : c.city || '';
      const badges = clientBadges(i18n, c);
      return h(
        'tr',
        { class: `client-row${c.addressProtection === 'StrictlyConfidential' ? ' row-strict' : ''}`, dataset: { id: String(c.id) }, on: { click: (e) => openRow(e, href) } },
        h('td', { class: 'col-name' }, link, badges.length ? h('span', { class: 'badges' }, badges) : null),
        h('td', { class: 'col-birthDate', text: formatDate(c.birthDate) }),
        h('td', { class: 'col-nin nowrap', text: formatNin(c.nin) }),
        h('td', { class: 'col-phone nowrap', text: formatPhone(c.phone || '') }),
        h('td', { class: 'col-city' }, city),
      );
    });
    return h(
      'table',
      { class: 'table', id: 'client-table', on: { keydown: rowKeys } },
      h('caption', { class: 'visually-hidden', text: t('clients.caption') }),
      h('thead', {}, h('tr', {}, head)),
      h('tbody', {}, rows),
    );
  }

  /** The rows in the chosen order; without a choice, as the server sent them. */
  function sorted(clients) {
    if (!sortKey) return clients;
    const collator = new Intl.Collator(i18n.lang === 'nb' ? 'nb-NO' : 'en-GB', { numeric: true, sensitivity: 'base' });
    const sign = sortDir === 'desc' ? -1 : 1;
    const keyOf = SORT_VALUE[sortKey];
    // Empty values go last in both directions; ties keep the server's order.
    return clients
      .map((c, i) => ({ c, i, k: keyOf(c) }))
      .sort((a, b) => {
        if (a.k === '' || b.k === '') return a.k === b.k ? a.i - b.i : a.k === '' ? 1 : -1;
        return sign * collator.compare(a.k, b.k) || a.i - b.i;
      })
      .map((x) => x.c);
  }

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

  function pager(range, more) {
    const prev = h('button', {
      type: 'button',
      class: 'button',
      id: 'page-prev',
      text: t('clients.previous'),
      disabled: page <= 1,
      on: { click: () => turn(-1) },
    });
    const next = h('button', {
      type: 'button',
      class: 'button',
      id: 'page-next',
      text: t('clients.next'),
      disabled: !more,
      on: { click: () => turn(1) },
    });
    return h('nav', { class: 'pager', 'aria-label': t('clients.paging') }, prev, h('span', { class: 'pager-range', text: range }), next);
  }

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

  search.addEventListener('input', () => {
    q = search.value.trim();
    page = 1;
    writeAddress();
    window.clearTimeout(timer);
    timer = window.setTimeout(load, DEBOUNCE_MS);
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

  load();

  return {
    node,
    title: t('clients.title'),
    focus: () => {
      search.focus();
      // Put the caret after any remembered search text.
      search.setSelectionRange(search.value.length, search.value.length);
    },
    destroy: () => {
      window.clearTimeout(timer);
      if (controller) controller.abort();
    },
  };
}
