// The client list's table. It is built once and then updated in place: each
// keystroke's answer rewrites only the rows whose content changed, reusing
// the row elements, so the browser lays out little and the table follows the
// typing. Sorting by a column orders the rows of the page shown.

import { h, replace } from '../dom.js';
import { formatDate, formatNin, formatPhone, listName } from '../format.js';
import { clientBadges } from './badges.js';

/** The columns, in order; every one can be sorted. */
export const SORT_KEYS = ['name', 'birthDate', 'nin', 'phone', 'city'];

const hiddenAddress = (c) => c.addressProtection === 'Confidential' || c.addressProtection === 'StrictlyConfidential';

/** What each column sorts by. A hidden address sorts as empty, so the order gives nothing away. */
const SORT_VALUE = {
  name: (c) => listName(c),
  birthDate: (c) => c.birthDate || '',
  nin: (c) => c.nin || '',
  phone: (c) => (c.phone || '').replace(/\s+/g, ''),
  city: (c) => (hiddenAddress(c) ? '' : c.city || ''),
};

/** The rows in the chosen order; without a choice, as the server sent them. */
export function sortClients(clients, sortKey, sortDir, lang) {
  if (!sortKey) return clients;
  const collator = new Intl.Collator(lang === 'nb' ? 'nb-NO' : 'en-GB', { numeric: true, sensitivity: 'base' });
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

/**
 * createClientTable({ i18n, onSort, onOpen, onKeys, signal }) -> { node, show(clients, sortKey, sortDir) }.
 * onSort(key): a header button was pressed; onOpen(event, href): a row was
 * clicked; onKeys(event): a key in the table; signal: the table's screen is
 * left (it stops following the page's scrolling).
 */
export function createClientTable({ i18n, onSort, onOpen, onKeys, signal }) {
  const t = (k, v) => i18n.t(k, v);
  const heads = SORT_KEYS.map((c) => {
    const mark = h('span', { class: 'sort-mark', 'aria-hidden': 'true' });
    const button = h('button', { type: 'button', class: 'sort-button', id: `sort-${c}`, on: { click: () => onSort(c) } }, h('span', { text: t(`clients.col.${c}`) }), mark);
    const th = h('th', { scope: 'col', class: `col-${c}` }, button);
    return { key: c, th, button, mark };
  });
  const tbody = h('tbody', {});
  tbody.addEventListener('click', (e) => {
    const row = e.target.closest('tr.client-row');
    if (row) onOpen(e, `#/clients/${row.dataset.id}`);
  });
  const node = h(
    'table',
    { class: 'table', id: 'client-table', on: { keydown: onKeys } },
    h('caption', { class: 'visually-hidden', text: t('clients.caption') }),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        heads.map((x) => x.th),
      ),
    ),
    tbody,
  );

  function showHeads(sortKey, sortDir) {
    for (const x of heads) {
      const active = sortKey === x.key;
      const dir = active ? sortDir : '';
      // The arrow is a shape, not a colour; aria-sort tells screen readers.
      x.mark.textContent = dir === 'asc' ? '▲' : dir === 'desc' ? '▼' : '↕';
      x.button.title = t(active && sortDir === 'asc' ? 'clients.sortDesc' : 'clients.sortAsc');
      x.th.setAttribute('aria-sort', active ? (sortDir === 'asc' ? 'ascending' : 'descending') : 'none');
    }
  }

  /** A new row: its cells, filled by fill. */
  function newRow() {
    const link = h('a', { class: 'row-link' });
    const badges = h('span', { class: 'badges' });
    const cells = {
      name: h('td', { class: 'col-name' }, link),
      birthDate: h('td', { class: 'col-birthDate' }),
      nin: h('td', { class: 'col-nin nowrap' }),
      phone: h('td', { class: 'col-phone nowrap' }),
      city: h('td', { class: 'col-city' }),
    };
    const tr = h('tr', { class: 'client-row' }, Object.values(cells));
    tr.cells$ = { ...cells, link, badges };
    tr.sig$ = '';
    return tr;
  }

  /** Writes c into the row, unless the row shows it already. */
  function fill(tr, c) {
    const hidden = hiddenAddress(c);
    const sig = [c.id, listName(c), c.birthDate, c.nin, c.phone, hidden ? '' : c.city, c.addressProtection, c.status, c.deathDate].join('\u0001');
    if (tr.sig$ === sig) return;
    tr.sig$ = sig;
    const x = tr.cells$;
    tr.dataset.id = String(c.id);
    tr.className = `client-row${c.addressProtection === 'StrictlyConfidential' ? ' row-strict' : ''}`;
    x.link.href = `#/clients/${c.id}`;
    x.link.textContent = listName(c) || '–';
    const badges = clientBadges(i18n, c);
    if (badges.length) {
      replace(x.badges, badges);
      if (!x.badges.parentNode) x.name.append(x.badges);
    } else if (x.badges.parentNode) {
      x.badges.remove();
    }
    x.birthDate.textContent = formatDate(c.birthDate);
    x.nin.textContent = formatNin(c.nin);
    x.phone.textContent = formatPhone(c.phone || '');
    if (hidden) replace(x.city, h('span', { class: 'muted', text: t('clients.hidden') }));
    else x.city.textContent = c.city || '';
  }

  // Rows taken out of the table, kept for the next answer: the first rows
  // of an answer are often drawn before the rest (client-list.js), and
  // building the rows again for the rest cost more than the answer itself
  // (measured with the browser benchmark's trace). Last out, first back in.
  const spare = [];

  // While the receptionist types, the rows in view are drawn in the frame of
  // the key and the rest once that frame is on screen: a keystroke's answer
  // then changes the dozen rows in view before its frame instead of fifty,
  // and with the table's fixed layout (style.css) the rows below are not
  // laid out again. Those rows keep what they showed for that frame (out of
  // view), so the table's height does not jump.
  let rest = null;

  // How many rows are in view is reckoned from where the first row began on
  // the page and how tall a row was in the frames after earlier keys (read
  // in the frame's animation callback, where that layout is due anyway;
  // reading it at the key would force the very work this avoids). The least
  // of each is kept, so that the reckoning errs towards more rows (the list
  // above the table, «Sist brukt», is there only while the box is empty).
  // Before a key has been drawn, or once the window's width has changed, it
  // is reckoned from the window's height alone (a row is about 2.6rem).
  const seen = { top: Infinity, row: Infinity, width: 0 };
  // How far the page is scrolled, kept as it scrolls: reading window.scrollY
  // at the key makes Chromium lay the page out first, with the key's changes
  // (10–15 ms at the key that takes «Sist brukt» away, in the browser
  // benchmark's profile of the first name).
  let scrolled = window.scrollY;
  window.addEventListener(
    'scroll',
    () => {
      scrolled = window.scrollY;
    },
    { passive: true, signal },
  );
  function rowsInView() {
    if (seen.row === Infinity || seen.width !== window.innerWidth) return Math.ceil(window.innerHeight / 40) + 2;
    return Math.max(1, Math.ceil((window.innerHeight + scrolled - seen.top) / seen.row) + 1);
  }
  function measure() {
    const first = tbody.rows[0];
    if (!first || !node.isConnected) return;
    const r = first.getBoundingClientRect();
    if (!r.height) return;
    scrolled = window.scrollY;
    if (seen.width !== window.innerWidth) Object.assign(seen, { top: Infinity, row: Infinity, width: window.innerWidth });
    seen.top = Math.min(seen.top, r.top + scrolled);
    seen.row = Math.min(seen.row, r.height);
  }

  /**
   * Shows clients (one page) in the chosen order, reusing the rows there
   * are; with inViewFirst, the rows below the window's height after the
   * next frame.
   */
  function show(clients, sortKey, sortDir, { inViewFirst = false } = {}) {
    showHeads(sortKey, sortDir);
    const list = sortClients(clients, sortKey, sortDir, i18n.lang);
    if (rest) {
      cancelAnimationFrame(rest.frame);
      clearTimeout(rest.timer);
      rest = null;
    }
    const now = inViewFirst ? Math.min(list.length, rowsInView()) : list.length;
    put(list, now);
    if (!inViewFirst) return;
    const later = { frame: 0, timer: 0 };
    later.frame = requestAnimationFrame(() => {
      measure();
      if (now === list.length) {
        rest = null;
        return;
      }
      later.timer = setTimeout(() => {
        rest = null;
        put(list, list.length);
      });
    });
    rest = later;
  }

  /**
   * Writes list[0..n) into the first n rows; rows past the list are taken
   * out, rows from n to the end of the list keep their content until the
   * next put.
   */
  function put(list, n) {
    const rows = tbody.rows;
    const add = [];
    for (let i = 0; i < n; i++) {
      const tr = i < rows.length ? rows[i] : spare.pop() || newRow();
      fill(tr, list[i]);
      if (i >= rows.length) add.push(tr);
    }
    while (rows.length > list.length) {
      const tr = rows[rows.length - 1];
      tr.remove();
      spare.push(tr);
    }
    if (add.length) tbody.append(...add);
  }

  return { node, show };
}
