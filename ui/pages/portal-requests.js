// Under Pasientportal: «Forespørsler om tilgang» — people's own requests for
// access, approved (rights editable first) or rejected (with an optional
// reason the person gets by mail) — and the «Innboks», where what patients
// send through their rights (E-konsultasjon, E-timebestilling,
// E-reseptfornyelse) is answered.

import { errorText as apiErrorText, ApiError, isAbort, SessionEndedError } from '../api.js';
import { modal } from '../dialog.js';
import { h, messageBox, replace } from '../dom.js';
import { formatDateTime } from '../format.js';
import { RIGHTS } from './portal-panel.js';

const REQUEST_STATUSES = ['pending', 'approved', 'rejected'];
const INBOX_STATUSES = ['new', 'in_progress', 'done'];

export const requestMessages = {
  nb: {
    'portal.tab.users': 'Portalbrukere',
    'portal.tab.requests': 'Forespørsler om tilgang',
    'portal.tab.inbox': 'Innboks',
    'portal.tabs': 'Pasientportal',
    'preq.title': 'Forespørsler om tilgang',
    'preq.intro': 'Personer som selv har bedt om tilgang til pasientportalen. Verifiserte forespørsler kommer fra innlogging med ID-porten; de andre har bare fylt ut skjemaet.',
    'preq.status': 'Vis',
    'preq.status.all': 'Alle',
    'preq.status.pending': 'Venter',
    'preq.status.approved': 'Godkjent',
    'preq.status.rejected': 'Avvist',
    'preq.col.name': 'Navn',
    'preq.col.nin': 'Fødselsnummer',
    'preq.col.email': 'E-post',
    'preq.col.verified': 'Identitet',
    'preq.col.received': 'Mottatt',
    'preq.col.status': 'Status',
    'preq.col.actions': 'Handlinger',
    'preq.verified': 'Verifisert (ID-porten)',
    'preq.unverified': 'Ikke verifisert',
    'preq.mismatch': 'Navnet er ulikt klienten med dette fødselsnummeret ({name})',
    'preq.levelTooLow': 'Verifisert på lavere nivå enn dere krever nå',
    'preq.approveLevelTooLow': 'Obs: personen logget inn på et lavere sikkerhetsnivå enn dere nå krever i ID-porten-innstillingene. Forespørselen regnes derfor ikke som verifisert. Kontroller identiteten før du godkjenner.',
    'preq.client': 'Klient: {name}',
    'preq.hasUser': 'Klienten har allerede tilgang til pasientportalen',
    'preq.count': '{n} forespørsler',
    'preq.empty': 'Ingen forespørsler med dette utvalget.',
    'preq.approve': 'Godkjenn …',
    'preq.approveFor': 'Godkjenn forespørselen fra {name}',
    'preq.reject': 'Avvis …',
    'preq.rejectFor': 'Avvis forespørselen fra {name}',
    'preq.openClient': 'Åpne klienten',
    'preq.approveTitle': 'Godkjenne forespørselen fra {name}?',
    'preq.approveLink': 'Forespørselen kobles til klienten {name}, som har samme fødselsnummer.',
    'preq.approveNew': 'Personen er ikke klient ennå. Klienten opprettes fra Persontjenesten når den er aktivert, ellers fra opplysningene i forespørselen (merket slik på klienten).',
    'preq.approveMismatch': 'Obs: navnet i forespørselen ({asked}) er ulikt klientens ({name}). Kontroller at det er samme person før du godkjenner.',
    'preq.approveRights': 'Rettigheter',
    'preq.approveRightsHint': 'Forhåndsvalgt er rettighetene virksomheten tilbyr. Pasienten ba om: {asked}.',
    'preq.askedNone': 'ingen bestemte',
    'preq.approveConfirm': 'Godkjenn og send aktiveringslenke',
    'preq.approved': 'Forespørselen er godkjent. Aktiveringslenken sendes til {email}.',
    'preq.rejectTitle': 'Avvise forespørselen fra {name}?',
    'preq.rejectText': 'Personen får en e-post om at forespørselen ikke er godkjent.',
    'preq.reason': 'Begrunnelse (valgfritt, sendes på e-post)',
    'preq.rejectConfirm': 'Avvis forespørselen',
    'preq.rejected': 'Forespørselen er avvist. E-posten sendes til {email}.',
    'preq.decided': '{status} {when} av {who}',
    'preq.source.existing': 'koblet til eksisterende klient',
    'preq.source.persontjenesten': 'klient opprettet fra Persontjenesten',
    'preq.source.request': 'klient opprettet fra forespørselen',
    'preq.cancel': 'Avbryt',
    'inbox.title': 'Innboks',
    'inbox.intro': 'Det pasientene sender fra pasientportalen. Svar her; med «Ønsker svar elektronisk» kommer svaret i pasientens historikk, og pasienten får en e-post om at det er kommet svar (aldri selve svaret).',
    'inbox.status': 'Vis',
    'inbox.status.all': 'Alle',
    'inbox.status.new': 'Ny',
    'inbox.status.in_progress': 'Under behandling',
    'inbox.status.done': 'Ferdig',
    'inbox.statusCount': '{label} ({n})',
    'inbox.kind.consultation': 'E-konsultasjon',
    'inbox.kind.booking': 'E-timebestilling',
    'inbox.kind.renewal': 'E-reseptfornyelse',
    'inbox.from': 'Fra {name}, mottatt {when}',
    'inbox.preferred': 'Ønskede dager og tidspunkt: {text}',
    'inbox.medicine': 'Legemiddel: {text}',
    'inbox.empty': 'Ingen meldinger med dette utvalget.',
    'inbox.startWork': 'Marker som under behandling',
    'inbox.reopen': 'Marker som ny',
    'inbox.answer': 'Svar til pasienten',
    'inbox.note': 'Notat om svaret (telefon eller brev)',
    'inbox.electronic': 'Pasienten ønsker svar elektronisk: svaret vises i pasientens historikk, og pasienten får en e-post om at det er kommet svar.',
    'inbox.remind': 'Husk: pasienten har ikke valgt svar elektronisk. Svar på telefon eller brev, og skriv et kort notat om hva som ble sagt.',
    'inbox.send': 'Send svar',
    'inbox.saveNote': 'Lagre notat og marker som ferdig',
    'inbox.answered': 'Svaret er sendt. Pasienten får en e-post om at det er kommet svar.',
    'inbox.noted': 'Notatet er lagret og meldingen er ferdig. Husk å svare pasienten på telefon eller brev.',
    'inbox.answerShown': 'Svar {when} av {who}',
    'inbox.answerElectronic': 'vist i pasientens historikk',
    'inbox.answerOther': 'gitt på telefon eller brev',
    'inbox.openClient': 'Åpne klienten',
    'inbox.moved': 'Meldingen er flyttet til «{status}».',
  },
  en: {
    'portal.tab.users': 'Portal users',
    'portal.tab.requests': 'Requests for access',
    'portal.tab.inbox': 'Inbox',
    'portal.tabs': 'Patient portal',
    'preq.title': 'Requests for access',
    'preq.intro': 'People who asked for access to the patient portal themselves. Verified requests come from a login with ID-porten; the others only filled in the form.',
    'preq.status': 'Show',
    'preq.status.all': 'All',
    'preq.status.pending': 'Waiting',
    'preq.status.approved': 'Approved',
    'preq.status.rejected': 'Rejected',
    'preq.col.name': 'Name',
    'preq.col.nin': 'Identity number',
    'preq.col.email': 'E-mail',
    'preq.col.verified': 'Identity',
    'preq.col.received': 'Received',
    'preq.col.status': 'Status',
    'preq.col.actions': 'Actions',
    'preq.verified': 'Verified (ID-porten)',
    'preq.unverified': 'Not verified',
    'preq.mismatch': 'The name differs from the client with this identity number ({name})',
    'preq.levelTooLow': 'Verified at a lower level than you now require',
    'preq.approveLevelTooLow': 'Note: the person logged in at a lower level of assurance than you now require in the ID-porten settings, so the request does not count as verified. Check the identity before approving.',
    'preq.client': 'Client: {name}',
    'preq.hasUser': 'The client already has access to the patient portal',
    'preq.count': '{n} requests',
    'preq.empty': 'No requests match.',
    'preq.approve': 'Approve …',
    'preq.approveFor': 'Approve the request from {name}',
    'preq.reject': 'Reject …',
    'preq.rejectFor': 'Reject the request from {name}',
    'preq.openClient': 'Open the client',
    'preq.approveTitle': 'Approve the request from {name}?',
    'preq.approveLink': 'The request is linked to the client {name}, who has the same identity number.',
    'preq.approveNew': 'The person is not a client yet. The client is created from Persontjenesten when it is activated, otherwise from the data in the request (marked so on the client).',
    'preq.approveMismatch': 'Note: the name in the request ({asked}) differs from the client’s ({name}). Check that it is the same person before approving.',
    'preq.approveRights': 'Rights',
    'preq.approveRightsHint': 'Preselected are the rights the practice offers. The patient asked for: {asked}.',
    'preq.askedNone': 'nothing in particular',
    'preq.approveConfirm': 'Approve and send the activation link',
    'preq.approved': 'The request is approved. The activation link is sent to {email}.',
    'preq.rejectTitle': 'Reject the request from {name}?',
    'preq.rejectText': 'The person gets an e-mail saying that the request was not approved.',
    'preq.reason': 'Reason (optional, sent by e-mail)',
    'preq.rejectConfirm': 'Reject the request',
    'preq.rejected': 'The request is rejected. The e-mail is sent to {email}.',
    'preq.decided': '{status} {when} by {who}',
    'preq.source.existing': 'linked to an existing client',
    'preq.source.persontjenesten': 'client created from Persontjenesten',
    'preq.source.request': 'client created from the request',
    'preq.cancel': 'Cancel',
    'inbox.title': 'Inbox',
    'inbox.intro': 'What patients send from the patient portal. Answer here; with «Ønsker svar elektronisk» (electronic answers) the answer appears in the patient’s history and the patient gets an e-mail saying there is an answer (never the answer itself).',
    'inbox.status': 'Show',
    'inbox.status.all': 'All',
    'inbox.status.new': 'New',
    'inbox.status.in_progress': 'In progress',
    'inbox.status.done': 'Done',
    'inbox.statusCount': '{label} ({n})',
    'inbox.kind.consultation': 'E-consultation',
    'inbox.kind.booking': 'E-appointment booking',
    'inbox.kind.renewal': 'E-prescription renewal',
    'inbox.from': 'From {name}, received {when}',
    'inbox.preferred': 'Preferred days and times: {text}',
    'inbox.medicine': 'Medicine: {text}',
    'inbox.empty': 'No messages match.',
    'inbox.startWork': 'Mark as in progress',
    'inbox.reopen': 'Mark as new',
    'inbox.answer': 'Answer to the patient',
    'inbox.note': 'Note about the answer (phone or letter)',
    'inbox.electronic': 'The patient wants electronic answers: the answer appears in the patient’s history, and the patient gets an e-mail saying there is an answer.',
    'inbox.remind': 'Remember: the patient has not chosen electronic answers. Answer by phone or letter, and write a short note of what was said.',
    'inbox.send': 'Send the answer',
    'inbox.saveNote': 'Save the note and mark as done',
    'inbox.answered': 'The answer is sent. The patient gets an e-mail saying there is an answer.',
    'inbox.noted': 'The note is saved and the message is done. Remember to answer the patient by phone or letter.',
    'inbox.answerShown': 'Answered {when} by {who}',
    'inbox.answerElectronic': 'shown in the patient’s history',
    'inbox.answerOther': 'given by phone or letter',
    'inbox.openClient': 'Open the client',
    'inbox.moved': 'The message is moved to «{status}».',
  },
};

/** The sub-navigation of Pasientportal: users, requests, inbox. */
export function portalTabs(t, active) {
  const tab = (id, href) =>
    h('li', {}, h('a', { href, id: `portal-tab-${id}`, class: 'portal-tab', 'aria-current': id === active ? 'page' : null, text: t(`portal.tab.${id}`) }));
  return h('nav', { class: 'portal-tabs', 'aria-label': t('portal.tabs') }, h('ul', {}, tab('users', '#/portal'), tab('requests', '#/portal/requests'), tab('inbox', '#/portal/inbox')));
}

function rightsList(t, r) {
  const names = RIGHTS.filter((k) => r && r[k]).map((k) => t(`portal.right.${k}`));
  return names.length ? names.join(', ') : t('preq.askedNone');
}

function renderRequests(ctx, { query, signal }) {
  const { api, i18n } = ctx;
  const t = (k, v) => i18n.t(k, v);
  const errorText = (err) => apiErrorText(t, err);
  const initial = REQUEST_STATUSES.includes(query.get('status')) || query.get('status') === 'all' ? query.get('status') : 'pending';
  const statusSelect = h(
    'select',
    { id: 'preq-status', class: 'input input-narrow' },
    ['pending', 'approved', 'rejected', 'all'].map((s) => h('option', { value: s, text: t(`preq.status.${s}`), selected: s === initial })),
  );
  statusSelect.addEventListener('change', load);
  const message = h('div', { class: 'page-message', id: 'preq-message', tabindex: '-1' });
  const count = h('p', { class: 'hint', id: 'preq-count', 'aria-live': 'polite' });
  const rows = h('tbody', { id: 'preq-rows' });
  const table = h(
    'table',
    { class: 'table', id: 'preq-table' },
    h('caption', { class: 'visually-hidden', text: t('preq.title') }),
    h('thead', {}, h('tr', {}, ['name', 'nin', 'email', 'verified', 'received', 'status', 'actions'].map((c) => h('th', { scope: 'col', text: t(`preq.col.${c}`) })))),
    rows,
  );
  let data = null;

  async function load() {
    const params = new URLSearchParams();
    if (statusSelect.value !== 'all') params.set('status', statusSelect.value);
    try {
      data = await api.call('GET', `/api/portal/requests?${params}`, { signal });
      count.textContent = t('preq.count', { n: data.total });
      replace(rows, data.results.length ? data.results.map(row) : h('tr', {}, h('td', { colspan: '7', text: t('preq.empty') })));
    } catch (err) {
      if (isAbort(err) || err instanceof SessionEndedError) return;
      replace(message, messageBox('error', errorText(err)));
    }
  }

  function row(r) {
    const nameCell = h(
      'td',
      { class: 'preq-name' },
      h('strong', { text: r.name }),
      r.matchId && !r.nameMismatch ? h('div', { class: 'hint' }, h('a', { href: `#/clients/${r.matchId}`, text: t('preq.client', { name: r.matchName }) })) : null,
      r.nameMismatch ? h('div', { class: 'preq-flag', dataset: { flag: 'mismatch' } }, h('span', { 'aria-hidden': 'true', text: '⚠ ' }), t('preq.mismatch', { name: r.matchName })) : null,
      r.hasUser && r.status === 'pending' ? h('div', { class: 'hint', text: t('preq.hasUser') }) : null,
    );
    let statusText = t(`preq.status.${r.status}`);
    if (r.status !== 'pending' && r.decidedAt) {
      statusText = t('preq.decided', { status: statusText, when: formatDateTime(r.decidedAt), who: r.decidedBy });
      if (r.clientSource) statusText += ` – ${t(`preq.source.${r.clientSource}`)}`;
    }
    return h(
      'tr',
      { dataset: { requestId: String(r.id), status: r.status } },
      nameCell,
      h('td', { class: 'nowrap', text: r.maskedNin }),
      h('td', { class: 'preq-email', text: r.email }),
      h(
        'td',
        {},
        r.levelTooLow
          ? h('span', { class: 'preq-identity preq-unverified', dataset: { flag: 'level' } }, h('span', { 'aria-hidden': 'true', text: '⚠ ' }), t('preq.levelTooLow'))
          : h('span', { class: `preq-identity ${r.verified ? 'preq-verified' : 'preq-unverified'}` }, h('span', { 'aria-hidden': 'true', text: r.verified ? '✓ ' : '? ' }), r.verified ? t('preq.verified') : t('preq.unverified')),
      ),
      h('td', { class: 'nowrap', text: formatDateTime(r.receivedAt) }),
      h('td', { class: 'preq-status', text: statusText }),
      h(
        'td',
        { class: 'preq-actions' },
        r.status === 'pending'
          ? [
              h('button', { type: 'button', class: 'button button-small button-primary', 'aria-label': t('preq.approveFor', { name: r.name }), text: t('preq.approve'), dataset: { action: 'approve' }, on: { click: () => approve(r) } }),
              h('button', { type: 'button', class: 'button button-small', 'aria-label': t('preq.rejectFor', { name: r.name }), text: t('preq.reject'), dataset: { action: 'reject' }, on: { click: () => reject(r) } }),
            ]
          : r.clientId
            ? h('a', { class: 'button button-small', href: `#/clients/${r.clientId}`, text: t('preq.openClient') })
            : null,
      ),
    );
  }

  function done(text) {
    replace(message, messageBox('ok', text));
    ctx.setStatus(text);
    message.focus();
    load();
  }

  function approve(r) {
    const offered = data.offeredRights || {};
    const boxes = RIGHTS.map((k) =>
      h(
        'div',
        { class: 'check-option' },
        h('input', { type: 'checkbox', id: `preq-right-${k}`, checked: !!(data.defaultRights || {})[k], disabled: !offered[k] }),
        h('label', { htmlFor: `preq-right-${k}`, text: offered[k] ? t(`portal.right.${k}`) : `${t(`portal.right.${k}`)} ${t('portal.rightNotOffered')}` }),
      ),
    );
    const err = h('div', { class: 'page-message', id: 'preq-approve-error' });
    const confirm = h('button', { type: 'button', class: 'button button-primary', id: 'preq-approve-confirm', text: t('preq.approveConfirm') });
    const cancel = h('button', { type: 'button', class: 'button', text: t('preq.cancel') });
    const { dialog, close } = modal(
      { id: 'preq-approve', titleText: t('preq.approveTitle', { name: r.name }), className: 'dialog-portal' },
      h('p', { text: `${r.maskedNin} · ${r.email} · ${r.levelTooLow ? t('preq.levelTooLow') : r.verified ? t('preq.verified') : t('preq.unverified')}` }),
      r.levelTooLow ? h('p', { class: 'message message-error', role: 'note', text: t('preq.approveLevelTooLow') }) : null,
      h('p', { text: r.matchId ? t('preq.approveLink', { name: r.matchName }) : t('preq.approveNew') }),
      r.nameMismatch ? h('p', { class: 'message message-error', role: 'note', text: t('preq.approveMismatch', { asked: r.name, name: r.matchName }) }) : null,
      h('fieldset', { class: 'portal-rights' }, h('legend', { text: t('preq.approveRights') }), h('p', { class: 'hint', id: 'preq-rights-hint', text: t('preq.approveRightsHint', { asked: rightsList(t, r.rights) }) }), boxes),
      err,
      h('div', { class: 'dialog-actions' }, confirm, cancel),
    );
    cancel.addEventListener('click', close);
    confirm.addEventListener('click', async () => {
      confirm.disabled = true;
      const rights = Object.fromEntries(RIGHTS.map((k) => [k, dialog.querySelector(`#preq-right-${k}`).checked]));
      try {
        await api.call('POST', `/api/portal/requests/${r.id}/approve`, { body: { rights, version: r.version }, signal });
        close();
        done(t('preq.approved', { email: r.email }));
      } catch (e) {
        confirm.disabled = false;
        if (isAbort(e) || e instanceof SessionEndedError) return;
        replace(err, messageBox('error', errorText(e)));
      }
    });
  }

  function reject(r) {
    const reason = h('textarea', { id: 'preq-reason', class: 'input', rows: '4', maxlength: '2000' });
    const err = h('div', { class: 'page-message', id: 'preq-reject-error' });
    const confirm = h('button', { type: 'button', class: 'button button-danger', id: 'preq-reject-confirm', text: t('preq.rejectConfirm') });
    const cancel = h('button', { type: 'button', class: 'button', text: t('preq.cancel') });
    const { close } = modal(
      { id: 'preq-reject', titleText: t('preq.rejectTitle', { name: r.name }), className: 'dialog-portal' },
      h('p', { text: t('preq.rejectText') }),
      h('div', { class: 'field' }, h('label', { htmlFor: 'preq-reason', class: 'label', text: t('preq.reason') }), reason),
      err,
      h('div', { class: 'dialog-actions' }, confirm, cancel),
    );
    cancel.addEventListener('click', close);
    confirm.addEventListener('click', async () => {
      confirm.disabled = true;
      try {
        await api.call('POST', `/api/portal/requests/${r.id}/reject`, { body: { reason: reason.value, version: r.version }, signal });
        close();
        done(t('preq.rejected', { email: r.email }));
      } catch (e) {
        confirm.disabled = false;
        if (isAbort(e) || e instanceof SessionEndedError) return;
        replace(err, messageBox('error', errorText(e)));
      }
    });
  }

  const node = h(
    'section',
    { class: 'page page-portal' },
    h('h1', { text: t('portal.title') }),
    portalTabs(t, 'requests'),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'preq-title' },
      h('h2', { id: 'preq-title', text: t('preq.title') }),
      h('p', { class: 'hint', text: t('preq.intro') }),
      h('div', { class: 'portal-filters' }, h('div', { class: 'field' }, h('label', { htmlFor: 'preq-status', class: 'label', text: t('preq.status') }), statusSelect)),
      message,
      count,
      h('div', { class: 'table-scroll' }, table),
    ),
  );
  load();
  return { node, title: t('preq.title') };
}

function renderInbox(ctx, { query, signal }) {
  const { api, i18n } = ctx;
  const t = (k, v) => i18n.t(k, v);
  const errorText = (err) => apiErrorText(t, err);
  const initial = [...INBOX_STATUSES, 'all'].includes(query.get('status')) ? query.get('status') : 'new';
  const statusSelect = h('select', { id: 'inbox-status', class: 'input input-narrow' });
  const drawOptions = (counts = {}) =>
    replace(
      statusSelect,
      [...INBOX_STATUSES, 'all'].map((s) =>
        h('option', {
          value: s,
          text: s === 'all' ? t('inbox.status.all') : t('inbox.statusCount', { label: t(`inbox.status.${s}`), n: counts[s] || 0 }),
          selected: s === (statusSelect.value || initial),
        }),
      ),
    );
  drawOptions();
  statusSelect.addEventListener('change', load);
  const message = h('div', { class: 'page-message', id: 'inbox-message', tabindex: '-1' });
  const list = h('ol', { class: 'inbox-list', id: 'inbox-list', 'aria-live': 'polite' });

  async function load() {
    const params = new URLSearchParams();
    if (statusSelect.value !== 'all') params.set('status', statusSelect.value);
    try {
      const data = await api.call('GET', `/api/portal/inbox?${params}`, { signal });
      drawOptions(data.counts);
      replace(list, data.results.length ? data.results.map(item) : h('li', { class: 'muted', text: t('inbox.empty') }));
    } catch (err) {
      if (isAbort(err) || err instanceof SessionEndedError) return;
      replace(message, messageBox('error', errorText(err)));
    }
  }

  function done(text) {
    replace(message, messageBox('ok', text));
    ctx.setStatus(text);
    message.focus();
    load();
  }

  async function move(q, status) {
    try {
      await api.call('PUT', `/api/portal/inbox/${q.id}/status`, { body: { status, version: q.version }, signal });
      done(t('inbox.moved', { status: t(`inbox.status.${status}`) }));
    } catch (err) {
      if (isAbort(err) || err instanceof SessionEndedError) return;
      replace(message, messageBox('error', errorText(err)));
      message.focus();
    }
  }

  function item(q) {
    const id = `inbox-${q.id}`;
    const body = [
      q.medicine ? h('p', { class: 'inbox-detail', text: t('inbox.medicine', { text: q.medicine }) }) : null,
      q.text ? h('p', { class: 'inbox-text', text: q.text }) : null,
      q.preferred ? h('p', { class: 'inbox-detail', text: t('inbox.preferred', { text: q.preferred }) }) : null,
    ];
    let answer;
    if (q.status === 'done' && q.answeredAt) {
      answer = h(
        'div',
        { class: 'inbox-answer' },
        h('p', { class: 'hint', text: `${t('inbox.answerShown', { when: formatDateTime(q.answeredAt), who: q.answeredBy })} – ${q.answeredElectronically ? t('inbox.answerElectronic') : t('inbox.answerOther')}` }),
        h('p', { class: 'inbox-text', text: q.answer }),
      );
    } else if (q.status !== 'done') {
      const ta = h('textarea', { id: `${id}-answer`, class: 'input', rows: '4', maxlength: '8000', 'aria-describedby': `${id}-reply ${id}-answer-error` });
      const fieldErr = h('p', { class: 'field-error', id: `${id}-answer-error`, hidden: true });
      const submit = h('button', { type: 'submit', class: 'button button-primary', dataset: { action: 'answer' }, text: q.wantsElectronicReply ? t('inbox.send') : t('inbox.saveNote') });
      answer = h(
        'form',
        {
          class: 'inbox-answer-form',
          novalidate: true,
          on: {
            submit: async (e) => {
              e.preventDefault();
              submit.disabled = true;
              fieldErr.hidden = true;
              ta.setAttribute('aria-invalid', 'false');
              try {
                await api.call('POST', `/api/portal/inbox/${q.id}/answer`, { body: { answer: ta.value, version: q.version }, signal });
                done(q.wantsElectronicReply ? t('inbox.answered') : t('inbox.noted'));
              } catch (err) {
                submit.disabled = false;
                if (isAbort(err) || err instanceof SessionEndedError) return;
                if (err instanceof ApiError && err.fields && err.fields.answer) {
                  fieldErr.textContent = err.fields.answer;
                  fieldErr.hidden = false;
                  ta.setAttribute('aria-invalid', 'true');
                  ta.focus();
                } else {
                  replace(message, messageBox('error', errorText(err)));
                  message.focus();
                }
              }
            },
          },
        },
        h('p', { id: `${id}-reply`, class: q.wantsElectronicReply ? 'hint' : 'inbox-remind', dataset: { reply: q.wantsElectronicReply ? 'electronic' : 'phone' } }, q.wantsElectronicReply ? null : h('span', { 'aria-hidden': 'true', text: '☎ ' }), q.wantsElectronicReply ? t('inbox.electronic') : t('inbox.remind')),
        h('div', { class: 'field' }, h('label', { htmlFor: `${id}-answer`, class: 'label', text: q.wantsElectronicReply ? t('inbox.answer') : t('inbox.note') }), ta, fieldErr),
        h(
          'div',
          { class: 'form-actions' },
          submit,
          q.status === 'new'
            ? h('button', { type: 'button', class: 'button', dataset: { action: 'progress' }, text: t('inbox.startWork'), on: { click: () => move(q, 'in_progress') } })
            : h('button', { type: 'button', class: 'button', dataset: { action: 'reopen' }, text: t('inbox.reopen'), on: { click: () => move(q, 'new') } }),
        ),
      );
    }
    return h(
      'li',
      { class: 'card inbox-item', id, dataset: { inboxId: String(q.id), status: q.status, kind: q.kind }, 'aria-labelledby': `${id}-title` },
      h(
        'div',
        { class: 'inbox-head' },
        h('h3', { id: `${id}-title`, text: t(`inbox.kind.${q.kind}`) }),
        h('span', { class: `inbox-status inbox-status-${q.status}`, text: t(`inbox.status.${q.status}`) }),
      ),
      h('p', { class: 'hint' }, t('inbox.from', { name: q.clientName, when: formatDateTime(q.createdAt) }), ' · ', h('a', { href: `#/clients/${q.clientId}`, text: t('inbox.openClient') })),
      body,
      answer,
    );
  }

  const node = h(
    'section',
    { class: 'page page-portal' },
    h('h1', { text: t('portal.title') }),
    portalTabs(t, 'inbox'),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'inbox-title' },
      h('h2', { id: 'inbox-title', text: t('inbox.title') }),
      h('p', { class: 'hint', text: t('inbox.intro') }),
      h('div', { class: 'portal-filters' }, h('div', { class: 'field' }, h('label', { htmlFor: 'inbox-status', class: 'label', text: t('inbox.status') }), statusSelect)),
      message,
      list,
    ),
  );
  load();
  return { node, title: t('inbox.title') };
}

export const requestRoutes = [
  { path: '/portal/requests', render: renderRequests },
  { path: '/portal/inbox', render: renderInbox },
];
