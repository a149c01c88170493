// One client, read-only: every field grouped as in the form, the badges, and
// the actions Rediger (edit) and Slett (delete, after a confirm dialog).

import { ApiError, errorText as apiErrorText, isAbort, SessionEndedError } from '../api.js';
import { h, messageBox, replace } from '../dom.js';
import { fullName } from '../format.js';
import { forgetClient, rememberClient } from '../recent.js';
import { clientBadges, strictBanner } from './badges.js';
import { ADDRESS_FIELDS, displayValue, GROUPS, READ_ONLY } from './client-fields.js';
import { feedLine } from './persontjenesten-feed.js';
import { openPortalPanel, portalSection } from './portal-panel.js';

/** Register fields for the data controller, not the desk: behind "Detaljer". */
const INTERNAL = ['personId', 'sequenceNumber', 'ninType'];

export function renderClientView(ctx, { params, signal }) {
  const { api, i18n, router } = ctx;
  const t = (k, v) => i18n.t(k, v);
  const id = params.id;

  const heading = h('h1', { tabindex: '-1', text: t('common.loading') });
  const message = h('div', { class: 'page-message', id: 'view-message' });
  const body = h('div', { class: 'client-body', 'aria-busy': 'true' });
  const node = h(
    'section',
    { class: 'page page-view' },
    h('p', { class: 'back' }, h('a', { href: '#/clients', class: 'back-link', text: `← ${t('client.back')}` })),
    heading,
    message,
    body,
  );

  const errorText = (err) => apiErrorText(t, err);

  function alert(text, ...actions) {
    replace(message, messageBox('error', text, actions.length ? h('div', { class: 'message-actions' }, actions) : null));
  }

  async function load() {
    replace(message);
    try {
      const c = await api.getClient(id, signal);
      draw(c);
    } catch (err) {
      if (isAbort(err) || err instanceof SessionEndedError) return;
      body.removeAttribute('aria-busy');
      if (err instanceof ApiError && err.status === 404) {
        heading.textContent = t('client.notFound');
        replace(body, h('p', {}, h('a', { href: '#/clients', text: t('client.back') })));
        return;
      }
      heading.textContent = t('clients.title');
      alert(errorText(err), h('button', { type: 'button', class: 'button', text: t('common.retry'), on: { click: load } }));
    }
  }

  function draw(c) {
    const name = fullName(c) || '–';
    heading.textContent = name;
    document.title = `${name} – ${t('app.name')}`;
    rememberClient(window.localStorage, c.id, name);
    const badges = clientBadges(i18n, c);
    const actions = h(
      'div',
      { class: 'actions' },
      h('a', { class: 'button button-primary', id: 'edit-client', href: `#/clients/${c.id}/edit`, text: t('client.edit') }),
      // Fetches in the edit form, where the changes are looked over before saving.
      c.nin ? h('a', { class: 'button', id: 'update-client', href: `#/clients/${c.id}/edit?persontjenesten=update`, text: t('pt.form.updateButton') }) : null,
      h('button', { type: 'button', class: 'button', id: 'print-client', text: t('client.print'), on: { click: () => window.print() } }),
      h('button', { type: 'button', class: 'button button-danger-outline', id: 'delete-client', text: t('client.delete'), on: { click: () => remove(c) } }),
    );
    const sections = GROUPS.map((g) => section(c, g.key, g.fields.map((f) => f.name)));
    const register = READ_ONLY.filter((f) => displayValue(i18n, f, c[f]) !== '');
    if (register.length) sections.push(section(c, 'register', register));
    portal = portalSection(ctx, c, name, signal);
    sections.push(portal.node);
    body.removeAttribute('aria-busy');
    const strict = c.addressProtection === 'StrictlyConfidential' ? strictBanner(i18n, 'strict-banner') : null;
    replace(body, strict, badges.length ? h('p', { class: 'badges badges-large' }, badges) : null, feedLine(ctx, c.id, signal), actions, h('div', { class: 'sections' }, sections));
  }

  function section(c, key, fields) {
    const title = h('h2', { text: t(`group.${key}`) });
    if (key === 'address' && c.addressProtection === 'StrictlyConfidential') {
      return h('section', { class: 'card', id: 'section-address' }, title, h('p', { class: 'note', text: t('client.strictNote') }), list(c, ['addressProtection']));
    }
    if (key === 'address' && c.addressProtection === 'Confidential') {
      const hidden = list(c, ADDRESS_FIELDS);
      hidden.hidden = true;
      hidden.id = 'confidential-address';
      const toggle = h('button', {
        type: 'button',
        class: 'button',
        id: 'show-address',
        'aria-expanded': 'false',
        'aria-controls': 'confidential-address',
        text: t('client.showAddress'),
      });
      toggle.addEventListener('click', () => {
        hidden.hidden = !hidden.hidden;
        toggle.setAttribute('aria-expanded', String(!hidden.hidden));
        toggle.textContent = t(hidden.hidden ? 'client.showAddress' : 'client.hideAddress');
      });
      return h('section', { class: 'card', id: 'section-address' }, title, list(c, ['addressProtection']), h('p', { class: 'note', text: t('client.confidentialNote') }), toggle, hidden);
    }
    if (key === 'register') {
      // Internal ids only when asked for: "Detaljer".
      const internal = fields.filter((f) => INTERNAL.includes(f));
      const shown = fields.filter((f) => !INTERNAL.includes(f));
      const details = internal.length
        ? h('details', { class: 'register-more', id: 'register-more' }, h('summary', { text: t('client.details') }), list(c, internal))
        : null;
      return h('section', { class: 'card', id: 'section-register' }, title, list(c, shown), details);
    }
    return h('section', { class: `card${key === 'notes' ? ' card-wide' : ''}`, id: `section-${key}` }, title, list(c, fields));
  }

  let portal = null;

  // The e-mail field opens the Pasientportal panel, as in the practice
  // systems the receptionist knows.
  function emailPortalButton(c) {
    return h('button', {
      type: 'button',
      class: 'button button-small email-portal',
      id: 'email-portal',
      'aria-label': t('portal.openFromEmail'),
      text: t('portal.section'),
      on: { click: () => openPortalPanel(ctx, c, fullName(c) || '–', () => portal && portal.refresh()) },
    });
  }

  function list(c, fields) {
    return h(
      'dl',
      { class: 'fields' },
      fields.map((f) => {
        const value = displayValue(i18n, f, c[f]);
        return h(
          'div',
          { class: `field-row${f === 'notes' ? ' field-notes' : ''}`, dataset: { field: f } },
          h('dt', { text: t(`field.${f}`) }),
          f === 'email'
            ? h('dd', { class: value ? '' : 'muted' }, value || t('client.empty'), emailPortalButton(c))
            : h('dd', { class: value ? '' : 'muted', text: value || t('client.empty') }),
        );
      }),
    );
  }

  async function remove(c) {
    const name = fullName(c) || '–';
    const ok = await ctx.confirm({
      id: 'delete-dialog',
      title: t('client.deleteTitle', { name }),
      text: t('client.deleteText'),
      confirmLabel: t('client.deleteConfirm'),
      cancelLabel: t('common.cancel'),
      danger: true,
    });
    if (!ok) return;
    try {
      await api.deleteClient(c.id, c.version);
      forgetClient(window.localStorage, c.id);
      router.navigate('#/clients', { replace: true });
      ctx.setStatus(t('clients.deleted', { name }));
    } catch (err) {
      if (err instanceof SessionEndedError) return;
      if (err instanceof ApiError && err.status === 404) {
        router.navigate('#/clients', { replace: true });
        ctx.setStatus(t('client.alreadyDeleted'));
        return;
      }
      if (err instanceof ApiError && err.code === 'conflict') {
        alert(t('client.deleteConflict'), h('button', { type: 'button', class: 'button', id: 'reload-client', text: t('client.reload'), on: { click: load } }));
        message.querySelector('button').focus();
        return;
      }
      alert(errorText(err));
    }
  }

  load();
  return { node, title: t('clients.title') };
}
