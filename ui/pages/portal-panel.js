// The Pasientportal panel on a client: opened from the client's e-mail field
// and from the «Pasientportal» section of the client card. It creates the
// client's portal user («Opprett», Alt+P), shows «Venter på aktivering» until
// the activation link is used, sends a new link («Send på nytt») or a
// password link («Ny kode», Alt+K), sets the rights and «Ønsker svar
// elektronisk», and deletes the access («Slett», after a confirmation).

import { ApiError, errorText as apiErrorText, isAbort, SessionEndedError } from '../api.js';
import { modal } from '../dialog.js';
import { h, messageBox, replace } from '../dom.js';
import { formatDateTime } from '../format.js';

export const RIGHTS = ['consultation', 'booking', 'renewal'];

export const portalMessages = {
  nb: {
    'portal.nav': 'Pasientportal',
    'portal.title': 'Pasientportal',
    'portal.panelTitle': 'Pasientportal – {name}',
    'portal.open': 'Pasientportal …',
    'portal.openFromEmail': 'Pasientportal for denne e-postadressen',
    'portal.section': 'Pasientportal',
    'portal.none': 'Ingen tilgang til pasientportalen.',
    'portal.email': 'E-post',
    'portal.rights': 'Rettigheter',
    'portal.right.consultation': 'E-konsultasjon',
    'portal.right.booking': 'E-timebestilling',
    'portal.right.renewal': 'E-reseptfornyelse',
    'portal.rightNotOffered': '(tilbys ikke av virksomheten)',
    'portal.noRightsNote': 'Uten rettigheter har pasienten bare profilen og tidligere historikk.',
    'portal.reply': 'Ønsker svar elektronisk',
    'portal.language': 'Språk i e-post',
    'portal.lang.nb': 'Norsk (bokmål)',
    'portal.lang.en': 'Engelsk',
    'portal.create': 'Opprett',
    'portal.save': 'Lagre',
    'portal.resend': 'Send på nytt',
    'portal.newCode': 'Ny kode',
    'portal.retry': 'Prøv igjen',
    'portal.delete': 'Slett',
    'portal.close': 'Lukk',
    'portal.shortcutP': 'Alt+P',
    'portal.shortcutK': 'Alt+K',
    'portal.status.pending': 'Venter på aktivering',
    'portal.status.active': 'Aktiv',
    'portal.status.no_rights': 'Ingen rettigheter',
    'portal.status.mail_failed': 'E-post ikke sendt',
    'portal.sentAt': 'Aktiveringslenken ble sendt {when}.',
    'portal.queuedAt': 'Aktiveringslenken ligger i utboksen (lagt inn {when}).',
    'portal.activatedAt': 'Aktivert {when}.',
    'portal.nextAttempt': 'Nytt forsøk {when}.',
    'portal.lastMail': 'Siste e-post: {what}, {when}.',
    'portal.mail.activation': 'aktiveringslenke',
    'portal.mail.reset': 'lenke til nytt passord',
    'portal.mail.email_changed': 'varsel om ny e-postadresse',
    'portal.created': 'Tilgang er opprettet. Aktiveringslenken sendes til {email}.',
    'portal.saved': 'Endringene er lagret.',
    'portal.resent': 'Ny aktiveringslenke sendes. Den gamle virker ikke lenger.',
    'portal.codeSent': 'Lenke til nytt passord sendes til {email}.',
    'portal.retried': 'E-posten sendes på nytt.',
    'portal.deleted': 'Tilgangen til pasientportalen er slettet. Klienten er beholdt.',
    'portal.deleteTitle': 'Slette tilgangen til pasientportalen?',
    'portal.deleteText': '{name} mister tilgangen til pasientportalen hos dere. Klienten blir liggende i registeret, og tilgang kan opprettes på nytt senere.',
    'portal.deleteConfirm': 'Slett tilgangen',
    'portal.emailChangeTitle': 'Endre e-postadressen?',
    'portal.emailChangeText': 'Pasienten har aktivert tilgangen. Innlogging skjer heretter med {email}, og det sendes et varsel til den gamle adressen {old}.',
    'portal.emailChangeConfirm': 'Endre e-postadressen',
    'portal.cancel': 'Avbryt',
    'portal.loading': 'Henter …',
  },
  en: {
    'portal.nav': 'Patient portal',
    'portal.title': 'Patient portal',
    'portal.panelTitle': 'Patient portal – {name}',
    'portal.open': 'Patient portal …',
    'portal.openFromEmail': 'Patient portal for this e-mail address',
    'portal.section': 'Patient portal',
    'portal.none': 'No access to the patient portal.',
    'portal.email': 'E-mail',
    'portal.rights': 'Rights',
    'portal.right.consultation': 'E-konsultasjon (e-consultation)',
    'portal.right.booking': 'E-timebestilling (appointment booking)',
    'portal.right.renewal': 'E-reseptfornyelse (prescription renewal)',
    'portal.rightNotOffered': '(not offered by the practice)',
    'portal.noRightsNote': 'Without rights the patient has only the profile and earlier history.',
    'portal.reply': 'Ønsker svar elektronisk (wants answers electronically)',
    'portal.language': 'Language of e-mail',
    'portal.lang.nb': 'Norwegian (bokmål)',
    'portal.lang.en': 'English',
    'portal.create': 'Create',
    'portal.save': 'Save',
    'portal.resend': 'Send again',
    'portal.newCode': 'New password',
    'portal.retry': 'Try again',
    'portal.delete': 'Delete',
    'portal.close': 'Close',
    'portal.shortcutP': 'Alt+P',
    'portal.shortcutK': 'Alt+K',
    'portal.status.pending': 'Awaiting activation',
    'portal.status.active': 'Active',
    'portal.status.no_rights': 'No rights',
    'portal.status.mail_failed': 'E-mail not sent',
    'portal.sentAt': 'The activation link was sent {when}.',
    'portal.queuedAt': 'The activation link is in the outbox (queued {when}).',
    'portal.activatedAt': 'Activated {when}.',
    'portal.nextAttempt': 'Next attempt {when}.',
    'portal.lastMail': 'Last e-mail: {what}, {when}.',
    'portal.mail.activation': 'activation link',
    'portal.mail.reset': 'new-password link',
    'portal.mail.email_changed': 'notice of a new e-mail address',
    'portal.created': 'Access created. The activation link goes to {email}.',
    'portal.saved': 'The changes are saved.',
    'portal.resent': 'A new activation link is on its way. The old one no longer works.',
    'portal.codeSent': 'A new-password link goes to {email}.',
    'portal.retried': 'The e-mail is being sent again.',
    'portal.deleted': 'Access to the patient portal is deleted. The client is kept.',
    'portal.deleteTitle': 'Delete access to the patient portal?',
    'portal.deleteText': '{name} loses access to your patient portal. The client stays in the register, and access can be created again later.',
    'portal.deleteConfirm': 'Delete access',
    'portal.emailChangeTitle': 'Change the e-mail address?',
    'portal.emailChangeText': 'The patient has activated the access. From now on they log in with {email}, and a notice goes to the old address {old}.',
    'portal.emailChangeConfirm': 'Change the e-mail address',
    'portal.cancel': 'Cancel',
    'portal.loading': 'Loading …',
  },
};

const ICONS = { pending: '◔', active: '✓', no_rights: '○', mail_failed: '⚠' };

/** The status as a badge: icon and words, never colour alone. */
export function statusBadge(t, status) {
  return h(
    'span',
    { class: `portal-status portal-status-${status}`, dataset: { status } },
    h('span', { class: 'portal-status-icon', 'aria-hidden': 'true', text: ICONS[status] || '' }),
    ` ${t(`portal.status.${status}`)}`,
  );
}

/** One line about the account's mail and activation, in plain words. */
export function statusDetail(t, a) {
  const m = a.mail;
  if (a.status === 'mail_failed' && m) {
    const reason = m.errorText || m.error || '';
    const lines = [reason.charAt(0).toUpperCase() + reason.slice(1)];
    if (m.nextAttemptAt) lines.push(t('portal.nextAttempt', { when: formatDateTime(m.nextAttemptAt) }));
    return lines.join(' ');
  }
  if (a.status === 'pending') {
    if (m && m.kind === 'activation' && m.sentAt) return t('portal.sentAt', { when: formatDateTime(m.sentAt) });
    if (m && m.kind === 'activation') return t('portal.queuedAt', { when: formatDateTime(m.createdAt) });
  }
  const parts = [];
  if (a.activatedAt) parts.push(t('portal.activatedAt', { when: formatDateTime(a.activatedAt) }));
  if (m && m.sentAt) parts.push(t('portal.lastMail', { what: t(`portal.mail.${m.kind}`), when: formatDateTime(m.sentAt) }));
  return parts.join(' ');
}

const portalPath = (id) => `/api/clients/${encodeURIComponent(id)}/portal`;

/**
 * Opens the panel for client c ({id, email, givenName, ...}) in a dialog.
 * onChange() is called after every change, so the card can redraw.
 */
export function openPortalPanel(ctx, client, name, onChange = () => {}) {
  const { api, i18n } = ctx;
  const t = (k, v) => i18n.t(k, v);
  const errorText = (err) => apiErrorText(t, err);
  const controller = new AbortController();
  const message = h('div', { class: 'page-message', id: 'portal-message', tabindex: '-1' });
  const body = h('div', { class: 'portal-body', 'aria-busy': 'true' }, h('p', { text: t('portal.loading') }));
  const { dialog, close } = modal({ id: 'portal-panel', titleText: t('portal.panelTitle', { name }), className: 'dialog-portal' }, message, body);
  dialog.addEventListener('close', () => controller.abort());
  // Moving to another screen (a link, Back) closes the panel with it.
  window.addEventListener('hashchange', close, { once: true });
  dialog.addEventListener('close', () => window.removeEventListener('hashchange', close));
  let state = null;
  let busy = false;

  function say(kind, text) {
    replace(message, text ? messageBox(kind, text) : null);
  }

  async function load() {
    try {
      state = await api.call('GET', portalPath(client.id), { signal: controller.signal });
      draw();
    } catch (err) {
      if (isAbort(err) || err instanceof SessionEndedError) return;
      body.removeAttribute('aria-busy');
      replace(body);
      say('error', errorText(err));
    }
  }

  function draw(focusId) {
    const a = state.account;
    body.removeAttribute('aria-busy');
    const fieldErrors = {};
    const emailInput = h('input', {
      id: 'portal-email',
      name: 'email',
      type: 'email',
      class: 'input',
      autocomplete: 'off',
      spellcheck: 'false',
      value: a ? a.email : state.clientEmail || '',
      'aria-describedby': 'portal-email-error',
    });
    fieldErrors.email = h('p', { class: 'field-error', id: 'portal-email-error', hidden: true });
    const rights = RIGHTS.map((r) => {
      const offered = state.offeredRights[r];
      const box = h('input', {
        type: 'checkbox',
        id: `portal-right-${r}`,
        name: r,
        checked: a ? a.rights[r] : offered,
        disabled: !offered && !(a && a.rights[r]),
      });
      return h(
        'div',
        { class: 'check-option' },
        box,
        h('label', { htmlFor: `portal-right-${r}` }, t(`portal.right.${r}`), offered ? null : h('span', { class: 'hint-inline', text: ` ${t('portal.rightNotOffered')}` })),
      );
    });
    const reply = h('input', { type: 'checkbox', id: 'portal-reply', name: 'reply', checked: a ? a.wantsElectronicReply : false });
    const lang = h(
      'select',
      { id: 'portal-language', class: 'input input-narrow', name: 'language' },
      ['nb', 'en'].map((l) => h('option', { value: l, text: t(`portal.lang.${l}`), selected: (a ? a.language : 'nb') === l })),
    );

    const statusBox = statusNode(a);

    const button = (id, key, on, cls = 'button', shortcut = '') =>
      h('button', { type: 'button', class: cls, id, 'aria-keyshortcuts': shortcut || null, on: { click: on } }, t(key), shortcut ? h('span', { class: 'shortcut', text: ` (${shortcut})` }) : null);
    const actions = a
      ? [
          button('portal-save', 'portal.save', () => save(), 'button button-primary'),
          a.activatedAt ? null : button('portal-resend', 'portal.resend', () => act('resend')),
          a.activatedAt ? button('portal-newcode', 'portal.newCode', () => act('reset'), 'button', t('portal.shortcutK')) : null,
          button('portal-delete', 'portal.delete', () => remove(), 'button button-danger-outline'),
          button('portal-close', 'portal.close', () => close()),
        ]
      : [button('portal-create', 'portal.create', () => save(), 'button button-primary', t('portal.shortcutP')), button('portal-close', 'portal.close', () => close())];

    const form = h(
      'form',
      { class: 'portal-form', id: 'portal-form', novalidate: true, on: { submit: (e) => { e.preventDefault(); save(); } } },
      h('div', { class: 'field' }, h('label', { htmlFor: 'portal-email', class: 'label', text: t('portal.email') }), emailInput, fieldErrors.email),
      h('fieldset', { class: 'fieldset-plain portal-rights', 'aria-describedby': 'portal-rights-hint' }, h('legend', { text: t('portal.rights') }), rights, h('p', { class: 'hint', id: 'portal-rights-hint', text: t('portal.noRightsNote') })),
      h('div', { class: 'check-option' }, reply, h('label', { htmlFor: 'portal-reply', text: t('portal.reply') })),
      h('div', { class: 'field' }, h('label', { htmlFor: 'portal-language', class: 'label', text: t('portal.language') }), lang),
      h('div', { class: 'dialog-actions' }, actions),
    );
    replace(body, statusBox, form);
    const focus = focusId && dialog.querySelector(`#${focusId}`);
    (focus || emailInput).focus();

    function values() {
      const out = { email: emailInput.value.trim(), rights: {}, wantsElectronicReply: reply.checked, language: lang.value };
      for (const r of RIGHTS) out.rights[r] = dialog.querySelector(`#portal-right-${r}`).checked;
      return out;
    }

    async function save() {
      if (busy) return;
      const body = values();
      const creating = !a;
      if (!creating) {
        body.version = a.version;
        if (a.activatedAt && body.email !== a.email) {
          const ok = await ctx.confirm({
            id: 'portal-email-dialog',
            title: t('portal.emailChangeTitle'),
            text: t('portal.emailChangeText', { email: body.email, old: a.email }),
            confirmLabel: t('portal.emailChangeConfirm'),
            cancelLabel: t('portal.cancel'),
          });
          if (!ok) return;
          body.confirmEmailChange = true;
        }
      }
      await run(creating ? 'POST' : 'PUT', portalPath(client.id), body, creating ? t('portal.created', { email: body.email }) : t('portal.saved'), creating ? 'portal-state' : 'portal-save');
    }

    async function remove() {
      const ok = await ctx.confirm({
        id: 'portal-delete-dialog',
        title: t('portal.deleteTitle'),
        text: t('portal.deleteText', { name }),
        confirmLabel: t('portal.deleteConfirm'),
        cancelLabel: t('portal.cancel'),
        danger: true,
      });
      if (!ok) return;
      await run('DELETE', portalPath(client.id), undefined, t('portal.deleted'), 'portal-create');
    }

    showErrors = (fields) => {
      for (const [f, p] of Object.entries(fieldErrors)) {
        const text = fields[f] || '';
        p.textContent = text;
        p.hidden = !text;
        if (f === 'email') emailInput.setAttribute('aria-invalid', text ? 'true' : 'false');
      }
      if (fields.email) emailInput.focus();
    };
  }

  let showErrors = () => {};

  function statusNode(a) {
    return a
      ? h(
          'div',
          { class: `portal-state portal-state-${a.status}`, id: 'portal-state', role: 'status' },
          h('p', { class: 'portal-state-title' }, statusBadge(t, a.status)),
          h('p', { class: 'portal-state-detail', text: statusDetail(t, a) }),
          a.status === 'mail_failed' ? h('button', { type: 'button', class: 'button', id: 'portal-retry', text: t('portal.retry'), on: { click: () => act('retry') } }) : null,
        )
      : h('p', { class: 'portal-state portal-state-none', id: 'portal-state', text: t('portal.none') });
  }

  // While the panel is open, the status follows the outbox and the patient:
  // «sendt» once the mail server took the mail, «Aktiv» once the link is
  // used. Only the status box is redrawn, never what is being typed.
  const poll = window.setInterval(async () => {
    if (busy || !state || !state.account) return;
    try {
      const fresh = await api.call('GET', portalPath(client.id), { signal: controller.signal });
      if (busy || !fresh.account || !state.account) return;
      const before = JSON.stringify([state.account.status, state.account.mail, state.account.activatedAt]);
      const after = JSON.stringify([fresh.account.status, fresh.account.mail, fresh.account.activatedAt]);
      if (before === after) return;
      const hadFocus = dialog.querySelector('#portal-state')?.contains(document.activeElement);
      const redrawActions = Boolean(state.account.activatedAt) !== Boolean(fresh.account.activatedAt);
      state.account = { ...fresh.account, version: fresh.account.version };
      if (redrawActions) {
        draw(dialog.contains(document.activeElement) ? document.activeElement.id : '');
      } else {
        dialog.querySelector('#portal-state').replaceWith(statusNode(state.account));
        if (hadFocus) dialog.querySelector('#portal-state').focus();
      }
      onChange();
    } catch {
      // The next tick tries again; a real failure shows on the next action.
    }
  }, 2000);
  dialog.addEventListener('close', () => window.clearInterval(poll));

  async function act(kind) {
    const texts = { resend: t('portal.resent'), reset: t('portal.codeSent', { email: state.account.email }), retry: t('portal.retried') };
    const focus = { resend: 'portal-resend', reset: 'portal-newcode', retry: 'portal-state' };
    await run('POST', `${portalPath(client.id)}/${kind}`, {}, texts[kind], focus[kind]);
  }

  async function run(method, path, reqBody, done, focusId) {
    busy = true;
    dialog.setAttribute('aria-busy', 'true');
    try {
      const res = await api.call(method, path, { body: reqBody, signal: controller.signal });
      if (method === 'DELETE') {
        state = { ...state, account: null };
      } else {
        state = res;
      }
      draw(focusId);
      say('ok', done);
      ctx.setStatus(done);
      onChange();
    } catch (err) {
      if (isAbort(err) || err instanceof SessionEndedError) return;
      if (err instanceof ApiError && err.code === 'invalid_input') showErrors(err.fields);
      say('error', errorText(err));
      if (err instanceof ApiError && (err.code === 'conflict' || err.code === 'portal_exists' || err.code === 'portal_no_user')) load();
    } finally {
      busy = false;
      dialog.removeAttribute('aria-busy');
    }
  }

  // Alt+P creates, Alt+K sends a new password link, as in the practice
  // systems the receptionist knows. The key is matched by code, so it works
  // whatever Alt does on the keyboard layout.
  dialog.addEventListener('keydown', (e) => {
    if (!e.altKey || e.ctrlKey || e.metaKey) return;
    const target = e.code === 'KeyP' ? '#portal-create' : e.code === 'KeyK' ? '#portal-newcode' : '';
    const b = target && dialog.querySelector(target);
    if (b) {
      e.preventDefault();
      b.click();
    }
  });

  load();
  return { dialog, close };
}

/**
 * The «Pasientportal» section of the client card: the status and a button
 * that opens the panel. Loads on its own; a client without access shows so.
 */
export function portalSection(ctx, client, name, signal) {
  const { api, i18n } = ctx;
  const t = (k, v) => i18n.t(k, v);
  const content = h('div', { class: 'portal-summary', 'aria-live': 'polite' }, h('p', { class: 'muted', text: t('portal.loading') }));
  const open = h('button', { type: 'button', class: 'button', id: 'open-portal', text: t('portal.open') });
  const node = h('section', { class: 'card', id: 'section-portal', 'aria-labelledby': 'portal-section-title' }, h('h2', { id: 'portal-section-title', text: t('portal.section') }), content, open);

  async function refresh() {
    try {
      const s = await api.call('GET', portalPath(client.id), { signal });
      const a = s.account;
      replace(
        content,
        a ? h('p', {}, statusBadge(t, a.status), ` ${a.email}`) : h('p', { class: 'muted', text: t('portal.none') }),
        a ? h('p', { class: 'hint', text: statusDetail(t, a) }) : null,
      );
    } catch (err) {
      if (isAbort(err) || err instanceof SessionEndedError) return;
      replace(content, h('p', { class: 'field-error', text: apiErrorText(t, err) }));
    }
  }
  open.addEventListener('click', () => openPortalPanel(ctx, client, name, refresh));
  refresh();
  return { node, refresh };
}
