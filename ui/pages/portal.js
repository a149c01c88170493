// The «Pasientportal» page: every portal user with status and filters, the
// practice's portal settings, and in the demo the outbox viewer, where the
// mail the demo "sent" can be read and its links opened.

import { errorText as apiErrorText, ApiError, isAbort, SessionEndedError } from '../api.js';
import { h, messageBox, replace } from '../dom.js';
import { formatDateTime } from '../format.js';
import { idportenCard, idportenMessages } from './portal-idporten.js';
import { openPortalPanel, portalMessages, RIGHTS, statusBadge, statusDetail } from './portal-panel.js';
import { portalTabs, requestMessages, requestRoutes } from './portal-requests.js';

const STATUSES = ['pending', 'active', 'no_rights', 'mail_failed'];

const nb = {
  ...portalMessages.nb,
  ...requestMessages.nb,
  'portal.approval': 'Forespørsler om tilgang fra pasienter',
  'portal.approval.manual': 'Behandle manuelt',
  'portal.approval.manualHint': 'Alle forespørsler venter under «Forespørsler om tilgang» til noen godkjenner eller avviser dem.',
  'portal.approval.automatic': 'Godkjenn automatisk',
  'portal.approval.automaticHint': 'Forespørsler med identitet verifisert av ID-porten godkjennes straks med rettighetene virksomheten tilbyr. Forespørsler uten verifisert identitet behandles alltid manuelt.',
  'portal.approval.noIdp': 'Krever at ID-porten er satt opp som identitetsleverandør. Uten den behandles alle forespørsler manuelt.',
  'portal.approval.onlyExisting': 'Bare eksisterende klienter',
  'portal.approval.onlyExistingHint': 'Godkjenn automatisk bare personer som allerede er klienter; andre venter i listen.',
  ...idportenMessages.nb,
  'portal.users': 'Portalbrukere',
  'portal.filterStatus': 'Status',
  'portal.filterAll': 'Alle',
  'portal.filterQ': 'Søk på navn eller e-post',
  'portal.filter': 'Vis',
  'portal.col.name': 'Klient',
  'portal.col.email': 'E-post',
  'portal.col.status': 'Status',
  'portal.col.detail': 'Siste hendelse',
  'portal.col.actions': 'Handlinger',
  'portal.openPanel': 'Åpne panelet',
  'portal.openPanelFor': 'Åpne pasientportal-panelet for {name}',
  'portal.count': '{n} portalbrukere',
  'portal.empty': 'Ingen portalbrukere med dette utvalget. Tilgang opprettes fra klientkortet (e-postfeltet eller «Pasientportal»).',
  'portal.settings': 'Innstillinger for pasientportalen',
  'portal.offered': 'Rettigheter virksomheten tilbyr',
  'portal.activationHours': 'Aktiveringslenken gjelder i (timer)',
  'portal.resetMinutes': 'Lenken til nytt passord gjelder i (minutter)',
  'portal.publicUrl': 'Portalens offentlige adresse',
  'portal.publicUrlHint': 'Adressen pasientene bruker, bak virksomhetens HTTPS-proxy, for eksempel https://portal.dittkontor.no. Tom: pasientlytterens egen adresse ({url}).',
  'portal.publicUrlOff': 'Tom: lenker kan ikke lages før pasientportalen er slått på (portal.enabled) eller adressen er fylt ut.',
  'portal.practiceName': 'Virksomhetens navn i e-post',
  'portal.senderName': 'Avsendernavn',
  'portal.senderAddress': 'Avsenderadresse',
  'portal.mailHost': 'E-postserver (mail.host i config.yaml): {host}',
  'portal.mailHostNone': 'Ingen e-postserver er satt opp (mail.host i config.yaml).',
  'portal.mailDemo': 'I demoen går e-post til utboksen under, ikke til en e-postserver.',
  'portal.saveSettings': 'Lagre innstillingene',
  'portal.settingsSaved': 'Innstillingene for pasientportalen er lagret.',
  'portal.outbox': 'Utboks (bare i demo)',
  'portal.outboxIntro': 'E-post demoen har «sendt». Åpne en lenke i et nytt vindu for å se pasientens side.',
  'portal.outboxEmpty': 'Ingen e-post ennå. Opprett tilgang for en klient, så dukker aktiveringslenken opp her.',
  'portal.outboxTo': 'Til: {to}',
  'portal.outboxLink': 'Åpne lenken i nytt vindu',
  'portal.outboxRefresh': 'Oppdater utboksen',
};

const en = {
  ...portalMessages.en,
  ...requestMessages.en,
  'portal.approval': 'Requests for access from patients',
  'portal.approval.manual': 'Handle manually («Behandle manuelt»)',
  'portal.approval.manualHint': 'Every request waits under «Requests for access» until someone approves or rejects it.',
  'portal.approval.automatic': 'Approve automatically («Godkjenn automatisk»)',
  'portal.approval.automaticHint': 'Requests whose identity ID-porten verified are approved at once with the rights the practice offers. Requests without a verified identity are always handled manually.',
  'portal.approval.noIdp': 'Needs ID-porten set up as identity provider. Without it every request is handled manually.',
  'portal.approval.onlyExisting': 'Only existing clients',
  'portal.approval.onlyExistingHint': 'Approve automatically only people who are already clients; others wait in the list.',
  ...idportenMessages.en,
  'portal.users': 'Portal users',
  'portal.filterStatus': 'Status',
  'portal.filterAll': 'All',
  'portal.filterQ': 'Search by name or e-mail',
  'portal.filter': 'Show',
  'portal.col.name': 'Client',
  'portal.col.email': 'E-mail',
  'portal.col.status': 'Status',
  'portal.col.detail': 'Latest event',
  'portal.col.actions': 'Actions',
  'portal.openPanel': 'Open the panel',
  'portal.openPanelFor': 'Open the patient portal panel for {name}',
  'portal.count': '{n} portal users',
  'portal.empty': 'No portal users match. Access is created from the client card (the e-mail field or «Pasientportal»).',
  'portal.settings': 'Patient portal settings',
  'portal.offered': 'Rights the practice offers',
  'portal.activationHours': 'The activation link works for (hours)',
  'portal.resetMinutes': 'The new-password link works for (minutes)',
  'portal.publicUrl': "The portal's public address",
  'portal.publicUrlHint': "The address patients use, behind the practice's HTTPS proxy, for example https://portal.yourpractice.no. Empty: the patient listener's own address ({url}).",
  'portal.publicUrlOff': 'Empty: no links can be made until the patient portal is turned on (portal.enabled) or the address is filled in.',
  'portal.practiceName': "The practice's name in e-mail",
  'portal.senderName': 'Sender name',
  'portal.senderAddress': 'Sender address',
  'portal.mailHost': 'Mail server (mail.host in config.yaml): {host}',
  'portal.mailHostNone': 'No mail server is set up (mail.host in config.yaml).',
  'portal.mailDemo': 'In the demo, mail goes to the outbox below, not to a mail server.',
  'portal.saveSettings': 'Save the settings',
  'portal.settingsSaved': 'The patient portal settings are saved.',
  'portal.outbox': 'Outbox (demo only)',
  'portal.outboxIntro': "Mail the demo has “sent”. Open a link in a new window to see the patient's side.",
  'portal.outboxEmpty': 'No mail yet. Create access for a client, and the activation link appears here.',
  'portal.outboxTo': 'To: {to}',
  'portal.outboxLink': 'Open the link in a new window',
  'portal.outboxRefresh': 'Refresh the outbox',
};

function renderPortal(ctx, { query, signal }) {
  const { api, i18n, appInfo } = ctx;
  const t = (k, v) => i18n.t(k, v);
  const errorText = (err) => apiErrorText(t, err);

  // --- the list -----------------------------------------------------------
  const statusSelect = h(
    'select',
    { id: 'portal-filter-status', class: 'input input-narrow' },
    h('option', { value: '', text: t('portal.filterAll') }),
    STATUSES.map((s) => h('option', { value: s, text: t(`portal.status.${s}`), selected: query.get('status') === s })),
  );
  const q = h('input', { id: 'portal-filter-q', class: 'input', type: 'search', value: query.get('q') || '', autocomplete: 'off' });
  const listMessage = h('div', { class: 'page-message', id: 'portal-list-message' });
  const count = h('p', { class: 'hint', id: 'portal-count', 'aria-live': 'polite' });
  const rows = h('tbody', { id: 'portal-rows' });
  const table = h(
    'table',
    { class: 'table', id: 'portal-table' },
    h('caption', { class: 'visually-hidden', text: t('portal.users') }),
    h('thead', {}, h('tr', {}, ['name', 'email', 'status', 'detail', 'actions'].map((c) => h('th', { scope: 'col', text: t(`portal.col.${c}`) })))),
    rows,
  );
  const filterForm = h(
    'form',
    { class: 'portal-filters', role: 'search', on: { submit: (e) => { e.preventDefault(); loadList(); } } },
    h('div', { class: 'field' }, h('label', { htmlFor: 'portal-filter-status', class: 'label', text: t('portal.filterStatus') }), statusSelect),
    h('div', { class: 'field' }, h('label', { htmlFor: 'portal-filter-q', class: 'label', text: t('portal.filterQ') }), q),
    h('div', { class: 'field portal-filter-button' }, h('button', { type: 'submit', class: 'button', id: 'portal-filter-apply', text: t('portal.filter') })),
  );
  statusSelect.addEventListener('change', loadList);

  async function loadList() {
    const params = new URLSearchParams();
    if (statusSelect.value) params.set('status', statusSelect.value);
    if (q.value.trim()) params.set('q', q.value.trim());
    try {
      const res = await api.call('GET', `/api/portal/users?${params}`, { signal });
      replace(listMessage);
      count.textContent = t('portal.count', { n: res.total });
      replace(
        rows,
        res.results.length
          ? res.results.map((a) =>
              h(
                'tr',
                { dataset: { clientId: String(a.clientId), status: a.status } },
                h('td', {}, h('a', { href: `#/clients/${a.clientId}`, text: a.clientName || '–' })),
                h('td', { text: a.email }),
                h('td', {}, statusBadge(t, a.status)),
                h('td', { text: statusDetail(t, a) }),
                h(
                  'td',
                  {},
                  h('button', {
                    type: 'button',
                    class: 'button button-small',
                    'aria-label': t('portal.openPanelFor', { name: a.clientName }),
                    text: t('portal.openPanel'),
                    on: { click: () => openPortalPanel(ctx, { id: a.clientId }, a.clientName, loadList) },
                  }),
                ),
              ),
            )
          : h('tr', {}, h('td', { colspan: '5', text: t('portal.empty') })),
      );
    } catch (err) {
      if (isAbort(err) || err instanceof SessionEndedError) return;
      replace(listMessage, messageBox('error', errorText(err)));
    }
  }

  // --- settings -----------------------------------------------------------
  const settingsMessage = h('div', { class: 'page-message', id: 'portal-settings-message', tabindex: '-1' });
  const settingsBody = h('div', { 'aria-busy': 'true' }, h('p', { text: t('portal.loading') }));

  async function loadSettings() {
    try {
      drawSettings(await api.call('GET', '/api/portal/settings', { signal }));
    } catch (err) {
      if (isAbort(err) || err instanceof SessionEndedError) return;
      replace(settingsMessage, messageBox('error', errorText(err)));
    }
  }

  function drawSettings(res) {
    const s = res.settings;
    settingsBody.removeAttribute('aria-busy');
    const inputs = {};
    const errors = {};
    const text = (name, key, type, hint) => {
      inputs[name] = h('input', { id: `ps-${name}`, name, class: 'input', type, value: String(s[name] ?? ''), autocomplete: 'off', 'aria-describedby': `ps-${name}-error${hint ? ` ps-${name}-hint` : ''}` });
      errors[name] = h('p', { class: 'field-error', id: `ps-${name}-error`, hidden: true });
      return h('div', { class: 'field' }, h('label', { htmlFor: `ps-${name}`, class: 'label', text: t(key) }), inputs[name], hint ? h('p', { class: 'hint', id: `ps-${name}-hint`, text: hint }) : null, errors[name]);
    };
    const offered = RIGHTS.map((r) =>
      h('div', { class: 'check-option' }, h('input', { type: 'checkbox', id: `ps-offer-${r}`, checked: s.offeredRights[r] }), h('label', { htmlFor: `ps-offer-${r}`, text: t(`portal.right.${r}`) })),
    );
    const radio = (value, hint) =>
      h(
        'div',
        { class: 'approval-option' },
        h(
          'div',
          { class: 'check-option' },
          h('input', { type: 'radio', name: 'ps-approval', id: `ps-approval-${value}`, value, checked: s.approval === value, disabled: value === 'automatic' && !res.identityProvider && s.approval !== 'automatic', 'aria-describedby': `ps-approval-${value}-hint` }),
          h('label', { htmlFor: `ps-approval-${value}`, text: t(`portal.approval.${value}`) }),
        ),
        h('p', { class: 'hint check-hint', id: `ps-approval-${value}-hint`, text: hint }),
      );
    const onlyExisting = h('input', { type: 'checkbox', id: 'ps-only-existing', checked: !!s.onlyExistingClients, 'aria-describedby': 'ps-only-existing-hint' });
    errors.approval = h('p', { class: 'field-error', id: 'ps-approval-error', hidden: true });
    const approval = h(
      'fieldset',
      { class: 'fieldset-plain', id: 'ps-approval', 'aria-describedby': 'ps-approval-error' },
      h('legend', { text: t('portal.approval') }),
      radio('manual', t('portal.approval.manualHint')),
      radio('automatic', res.identityProvider ? t('portal.approval.automaticHint') : `${t('portal.approval.automaticHint')} ${t('portal.approval.noIdp')}`),
      h(
        'div',
        { class: 'approval-option check-indent' },
        h('div', { class: 'check-option' }, onlyExisting, h('label', { htmlFor: 'ps-only-existing', text: t('portal.approval.onlyExisting') })),
        h('p', { class: 'hint check-hint', id: 'ps-only-existing-hint', text: t('portal.approval.onlyExistingHint') }),
      ),
      errors.approval,
    );
    inputs.approval = approval.querySelector('#ps-approval-automatic');
    const mailLine = res.demo ? t('portal.mailDemo') : res.mailHost ? t('portal.mailHost', { host: res.mailHost }) : t('portal.mailHostNone');
    const form = h(
      'form',
      { id: 'portal-settings-form', class: 'portal-settings', novalidate: true, on: { submit: (e) => { e.preventDefault(); save(); } } },
      h('fieldset', { class: 'fieldset-plain' }, h('legend', { text: t('portal.offered') }), offered),
      approval,
      h('div', { class: 'grid' }, text('activationHours', 'portal.activationHours', 'number'), text('resetMinutes', 'portal.resetMinutes', 'number')),
      text('publicUrl', 'portal.publicUrl', 'url', res.patientUrl ? t('portal.publicUrlHint', { url: res.patientUrl }) : t('portal.publicUrlOff')),
      text('practiceName', 'portal.practiceName', 'text'),
      h('div', { class: 'grid' }, text('senderName', 'portal.senderName', 'text'), text('senderAddress', 'portal.senderAddress', 'email')),
      h('p', { class: 'hint', id: 'portal-mail-host', text: mailLine }),
      h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'button button-primary', id: 'portal-settings-save', text: t('portal.saveSettings') })),
    );
    replace(settingsBody, form);

    async function save() {
      const body = {
        offeredRights: Object.fromEntries(RIGHTS.map((r) => [r, form.querySelector(`#ps-offer-${r}`).checked])),
        activationHours: Number.parseInt(inputs.activationHours.value, 10) || 0,
        resetMinutes: Number.parseInt(inputs.resetMinutes.value, 10) || 0,
        publicUrl: inputs.publicUrl.value.trim(),
        practiceName: inputs.practiceName.value.trim(),
        senderName: inputs.senderName.value.trim(),
        senderAddress: inputs.senderAddress.value.trim(),
        approval: (form.querySelector('input[name="ps-approval"]:checked') || { value: 'manual' }).value,
        onlyExistingClients: onlyExisting.checked,
      };
      for (const [name, p] of Object.entries(errors)) {
        p.hidden = true;
        inputs[name].setAttribute('aria-invalid', 'false');
      }
      try {
        await api.call('PUT', '/api/portal/settings', { body, signal });
        replace(settingsMessage, messageBox('ok', t('portal.settingsSaved')));
        ctx.setStatus(t('portal.settingsSaved'));
      } catch (err) {
        if (isAbort(err) || err instanceof SessionEndedError) return;
        replace(settingsMessage, messageBox('error', errorText(err)));
        if (err instanceof ApiError) {
          let first = null;
          for (const [name, msg] of Object.entries(err.fields)) {
            if (!errors[name]) continue;
            errors[name].textContent = msg;
            errors[name].hidden = false;
            inputs[name].setAttribute('aria-invalid', 'true');
            first = first || inputs[name];
          }
          if (first) first.focus();
        }
      }
    }
  }

  // --- the demo's outbox --------------------------------------------------
  const outboxList = h('div', { id: 'portal-outbox-list', 'aria-live': 'polite' });
  const outbox = h(
    'section',
    { class: 'card', id: 'portal-outbox', 'aria-labelledby': 'portal-outbox-title', hidden: !appInfo.demo },
    h('h2', { id: 'portal-outbox-title', text: t('portal.outbox') }),
    h('p', { class: 'hint', text: t('portal.outboxIntro') }),
    h('button', { type: 'button', class: 'button', id: 'portal-outbox-refresh', text: t('portal.outboxRefresh'), on: { click: () => loadOutbox() } }),
    outboxList,
  );

  async function loadOutbox() {
    if (!appInfo.demo) return;
    outbox.hidden = false;
    try {
      const res = await api.call('GET', '/api/portal/outbox', { signal });
      replace(
        outboxList,
        res.results.length
          ? h(
              'ol',
              { class: 'outbox-list' },
              res.results.map((m) => {
                const link = (m.text.match(/https?:\/\/\S+/) || [])[0];
                return h(
                  'li',
                  { class: 'outbox-item', dataset: { kind: m.kind, to: m.to } },
                  h('p', { class: 'outbox-subject' }, h('strong', { text: m.subject })),
                  h('p', { class: 'hint', text: `${t('portal.outboxTo', { to: m.to })} · ${formatDateTime(m.deliveredAt)}` }),
                  h('pre', { class: 'outbox-text', text: m.text }),
                  link ? h('a', { class: 'button', href: link, target: '_blank', rel: 'noopener noreferrer', dataset: { outboxLink: m.kind }, text: t('portal.outboxLink') }) : null,
                );
              }),
            )
          : h('p', { class: 'muted', text: t('portal.outboxEmpty') }),
      );
    } catch (err) {
      if (isAbort(err) || err instanceof SessionEndedError) return;
      replace(outboxList, messageBox('error', errorText(err)));
    }
  }

  const node = h(
    'section',
    { class: 'page page-portal' },
    h('h1', { text: t('portal.title') }),
    portalTabs(t, 'users'),
    h('section', { class: 'card', 'aria-labelledby': 'portal-users-title' }, h('h2', { id: 'portal-users-title', text: t('portal.users') }), filterForm, listMessage, count, h('div', { class: 'table-scroll' }, table)),
    outbox,
    h('section', { class: 'card', 'aria-labelledby': 'portal-settings-title' }, h('h2', { id: 'portal-settings-title', text: t('portal.settings') }), settingsMessage, settingsBody),
    idportenCard(ctx, signal),
  );
  loadList();
  loadSettings();
  if (appInfo.demo) loadOutbox();
  return { node, title: t('portal.title') };
}

export default {
  id: 'portal',
  nav: { labelKey: 'portal.nav', href: '#/portal' },
  messages: { nb, en },
  routes: [{ path: '/portal', render: renderPortal }, ...requestRoutes],
};
