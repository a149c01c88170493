// The "Logg" page: every lookup in Persontjenesten (search, fetch, update,
// activation checks) with time, OS user, action, the question asked (identity
// numbers masked), number of results and outcome. Filter by date and action;
// "Eksporter CSV" downloads the full, unmasked rows for the data controller.

import { h, replace, say } from '../dom.js';
import { formatDate, formatDateTime, parseDate } from '../format.js';
import { describe, en as sentenceEn, nb as sentenceNb, outcomeText } from './audit-sentence.js';
import { errorText, isQuiet } from './persontjenesten-common.js';

const ACTIONS = [
  'search', 'lookup', 'update', 'activate', 'refresh', 'bulk', 'import', 'export', 'restore',
  'portal_create', 'portal_update', 'portal_resend', 'portal_reset', 'portal_delete', 'portal_retry_mail', 'portal_settings',
  'portal_activated', 'portal_password_reset', 'portal_password_change', 'portal_login', 'portal_preference',
  'portal_request', 'portal_request_approved', 'portal_request_rejected', 'portal_inquiry', 'portal_inquiry_status', 'portal_inquiry_answer',
  'idporten_settings',
];
const PAGE_SIZE = 100;

const nb = {
  'audit.nav': 'Logg',
  'audit.title': 'Logg over oppslag',
  'audit.intro': 'Alle oppslag i Persontjenesten. Fødselsnumre er delvis skjult her. Eksporten har fulle verdier for den dataansvarlige og åpnes direkte i Excel.',
  'audit.from': 'Fra dato',
  'audit.to': 'Til dato',
  'audit.action': 'Handling',
  'audit.allActions': 'Alle',
  'audit.filter': 'Vis',
  'audit.export': 'Eksporter CSV',
  'audit.caption': 'Oppslag i Persontjenesten',
  'audit.col.time': 'Tid',
  'audit.col.osUser': 'Bruker',
  'audit.col.action': 'Handling',
  'audit.col.query': 'Hva som ble gjort',
  'audit.col.outcome': 'Utfall',
  'audit.action.search': 'Søk',
  'audit.action.lookup': 'Henting',
  'audit.action.update': 'Oppdatering',
  'audit.action.activate': 'Aktivering',
  'audit.action.refresh': 'Sjekk av innstillinger',
  'audit.action.bulk': 'Masseoppdatering',
  'audit.action.import': 'Import av klienter',
  'audit.action.export': 'Eksport av klienter',
  'audit.action.restore': 'Gjenoppretting',
  'audit.action.portal_create': 'Portal: opprettet',
  'audit.action.portal_update': 'Portal: endret',
  'audit.action.portal_resend': 'Portal: sendt på nytt',
  'audit.action.portal_reset': 'Portal: ny kode',
  'audit.action.portal_delete': 'Portal: slettet',
  'audit.action.portal_retry_mail': 'Portal: prøv igjen',
  'audit.action.portal_settings': 'Portal: innstillinger',
  'audit.action.portal_activated': 'Portal: aktivert',
  'audit.action.portal_password_reset': 'Portal: nytt passord',
  'audit.action.portal_password_change': 'Portal: passord byttet',
  'audit.action.portal_login': 'Portal: innlogging',
  'audit.action.portal_preference': 'Portal: pasientvalg',
  'audit.action.portal_request': 'Portal: forespørsel mottatt',
  'audit.action.portal_request_approved': 'Portal: forespørsel godkjent',
  'audit.action.portal_request_rejected': 'Portal: forespørsel avvist',
  'audit.action.portal_inquiry': 'Portal: melding fra pasient',
  'audit.action.portal_inquiry_status': 'Portal: innboks-status',
  'audit.action.portal_inquiry_answer': 'Portal: melding besvart',
  'audit.action.idporten_settings': 'ID-porten: innstillinger',
  'audit.outcome.ok': 'OK',
  'audit.outcome.error': 'Feil',
  'audit.empty': 'Ingen oppslag i perioden.',
  'audit.count': '{shown} av {total} oppslag',
  'audit.more': 'Vis flere',
  'audit.badDate': 'Skriv datoen som dd.mm.åååå, for eksempel 31.01.2026.',
  'audit.badRange': '«Fra dato» må være før «Til dato».',
};

const en = {
  'audit.nav': 'Log',
  'audit.title': 'Log of lookups',
  'audit.intro': 'Every lookup in the Person Service. Identity numbers are partly hidden here. The export has the full values for the data controller and opens directly in Excel.',
  'audit.from': 'From date',
  'audit.to': 'To date',
  'audit.action': 'Action',
  'audit.allActions': 'All',
  'audit.filter': 'Show',
  'audit.export': 'Export CSV',
  'audit.caption': 'Lookups in the Person Service',
  'audit.col.time': 'Time',
  'audit.col.osUser': 'User',
  'audit.col.action': 'Action',
  'audit.col.query': 'What was done',
  'audit.col.outcome': 'Outcome',
  'audit.action.search': 'Search',
  'audit.action.lookup': 'Fetch',
  'audit.action.update': 'Update',
  'audit.action.activate': 'Activation',
  'audit.action.refresh': 'Settings check',
  'audit.action.bulk': 'Bulk update',
  'audit.action.import': 'Client import',
  'audit.action.export': 'Client export',
  'audit.action.restore': 'Restore',
  'audit.action.portal_create': 'Portal: created',
  'audit.action.portal_update': 'Portal: changed',
  'audit.action.portal_resend': 'Portal: sent again',
  'audit.action.portal_reset': 'Portal: new code',
  'audit.action.portal_delete': 'Portal: deleted',
  'audit.action.portal_retry_mail': 'Portal: try again',
  'audit.action.portal_settings': 'Portal: settings',
  'audit.action.portal_activated': 'Portal: activated',
  'audit.action.portal_password_reset': 'Portal: new password',
  'audit.action.portal_password_change': 'Portal: password changed',
  'audit.action.portal_login': 'Portal: login',
  'audit.action.portal_preference': 'Portal: patient choices',
  'audit.action.portal_request': 'Portal: request received',
  'audit.action.portal_request_approved': 'Portal: request approved',
  'audit.action.portal_request_rejected': 'Portal: request rejected',
  'audit.action.portal_inquiry': 'Portal: message from patient',
  'audit.action.portal_inquiry_status': 'Portal: inbox status',
  'audit.action.portal_inquiry_answer': 'Portal: message answered',
  'audit.action.idporten_settings': 'ID-porten: settings',
  'audit.outcome.ok': 'OK',
  'audit.outcome.error': 'Error',
  'audit.empty': 'No lookups in this period.',
  'audit.count': '{shown} of {total} lookups',
  'audit.more': 'Show more',
  'audit.badDate': 'Write the date as dd.mm.yyyy, for example 31.01.2026.',
  'audit.badRange': '“From date” must be before “To date”.',
};

function renderAudit(ctx, { query, signal }) {
  const { i18n, router } = ctx;
  const t = (k, v) => i18n.t(k, v);
  const { api } = ctx;

  const dateInput = (id, value) => h('input', { id, class: 'input', type: 'text', inputmode: 'numeric', autocomplete: 'off', value, 'aria-describedby': `${id}-hint` });
  const from = dateInput('audit-from', formatDate(query.get('from')));
  const to = dateInput('audit-to', formatDate(query.get('to')));
  const action = h(
    'select',
    { id: 'audit-action', class: 'input' },
    h('option', { value: '', text: t('audit.allActions') }),
    ACTIONS.map((a) => h('option', { value: a, selected: query.get('action') === a, text: t(`audit.action.${a}`) })),
  );
  const exportLink = h('a', { class: 'button', id: 'audit-export', href: '/api/audit?format=csv', download: '', text: t('audit.export') });
  const message = h('div', { class: 'page-message', id: 'audit-message', tabindex: '-1' });
  const summary = h('p', { class: 'result-summary', id: 'audit-summary', role: 'status' });
  const tbody = h('tbody', { id: 'audit-rows' });
  const more = h('button', { type: 'button', class: 'button', id: 'audit-more', hidden: true, text: t('audit.more') });
  const table = h(
    'table',
    { class: 'table audit-table', id: 'audit-table' },
    h('caption', { class: 'visually-hidden', text: t('audit.caption') }),
    h('thead', {}, h('tr', {}, ['time', 'osUser', 'action', 'query', 'outcome'].map((c) => h('th', { scope: 'col', class: `col-${c}`, text: t(`audit.col.${c}`) })))),
    tbody,
  );

  const field = (input, labelKey, hint) =>
    h('div', { class: 'field' }, h('label', { class: 'label', htmlFor: input.id, text: t(labelKey) }), input, hint ? h('p', { class: 'hint', id: `${input.id}-hint`, text: hint }) : null);
  const filters = h(
    'form',
    { class: 'audit-filters', id: 'audit-filters', novalidate: true },
    field(from, 'audit.from', t('form.dateHint')),
    field(to, 'audit.to', t('form.dateHint')),
    field(action, 'audit.action'),
    h('div', { class: 'audit-buttons' }, h('button', { type: 'submit', class: 'button button-primary', id: 'audit-show', text: t('audit.filter') }), exportLink),
  );

  const node = h('section', { class: 'page page-audit' }, h('h1', { tabindex: '-1', text: t('audit.title') }), h('p', { class: 'hint', text: t('audit.intro') }), filters, message, summary, table, more);

  let offset = 0;
  let total = 0;
  let current = null;

  /** The filter as query parameters, or null (with the reason shown) when a date cannot be read. */
  function readFilter() {
    const f = parseDate(from.value);
    const tt = parseDate(to.value);
    from.removeAttribute('aria-invalid');
    to.removeAttribute('aria-invalid');
    if (!f.ok || !tt.ok) {
      (f.ok ? to : from).setAttribute('aria-invalid', 'true');
      say(message, 'error', t('audit.badDate'));
      return null;
    }
    if (f.iso && tt.iso && f.iso > tt.iso) {
      from.setAttribute('aria-invalid', 'true');
      say(message, 'error', t('audit.badRange'));
      return null;
    }
    const params = new URLSearchParams();
    if (f.iso) params.set('from', f.iso);
    if (tt.iso) params.set('to', tt.iso);
    if (action.value) params.set('action', action.value);
    return params;
  }

  function exportHref(params) {
    const p = new URLSearchParams(params);
    p.set('format', 'csv');
    // Column headers in the language on screen.
    p.set('lang', i18n.lang);
    return `/api/audit?${p}`;
  }

  async function load(params, append) {
    say(message, '', '');
    const p = new URLSearchParams(params);
    p.set('limit', String(PAGE_SIZE));
    p.set('offset', String(offset));
    table.setAttribute('aria-busy', 'true');
    try {
      const page = await api.audit(p, signal);
      total = page.total ?? 0;
      const rows = (page.results || []).map(row);
      if (append) tbody.append(...rows);
      else replace(tbody, rows);
      offset += rows.length;
      table.hidden = offset === 0;
      summary.textContent = offset === 0 ? t('audit.empty') : t('audit.count', { shown: offset, total });
      more.hidden = offset >= total;
    } catch (err) {
      if (isQuiet(err)) return;
      say(message, 'error', errorText(t, err));
    } finally {
      table.removeAttribute('aria-busy');
    }
  }

  function row(r) {
    const label = t(`audit.action.${r.action}`);
    return h(
      'tr',
      { class: `audit-row audit-${r.outcome === 'ok' ? 'ok' : 'error'}` },
      h('td', { class: 'col-time nowrap', text: formatDateTime(r.time) }),
      h('td', { class: 'col-osUser', text: r.osUser || '–' }),
      h('td', { class: 'col-action', text: label === `audit.action.${r.action}` ? r.action : label }),
      h('td', { class: 'col-query', text: describe(t, r) }),
      h('td', { class: 'col-outcome', text: outcomeText(t, r) }),
    );
  }

  filters.addEventListener('submit', (e) => {
    e.preventDefault();
    const params = readFilter();
    if (!params) return;
    current = params;
    exportLink.href = exportHref(params);
    router.setQuietly(`#/audit${params.toString() ? `?${params}` : ''}`);
    offset = 0;
    load(params, false);
  });
  more.addEventListener('click', () => load(current, true));

  current = readFilter() || new URLSearchParams();
  exportLink.href = exportHref(current);
  load(current, false);

  return { node, title: t('audit.title') };
}

export default {
  id: 'audit',
  nav: { labelKey: 'audit.nav', href: '#/audit' },
  messages: { nb: { ...nb, ...sentenceNb }, en: { ...en, ...sentenceEn } },
  routes: [
    { path: '/audit', render: renderAudit },
    { path: '/settings/audit', render: renderAudit },
  ],
};
