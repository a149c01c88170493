// The "Persontjenesten" status page: both checks with the time last checked,
// "Oppdater innstillinger", update all, the practice's set-up, the
// information parts fetched, and deactivation. Before anything is set up it
// shows what the service is, with the button that starts the activation.

import { h, replace, say } from '../dom.js';
import { formatDateTime } from '../format.js';
import { intro } from './activation-intro.js';
import { bulkCard } from './persontjenesten-bulk.js';
import { feedCard } from './persontjenesten-feed.js';
import { busyIndicator, errorText, failure, isQuiet } from './persontjenesten-common.js';

/** Information parts every lookup needs; shown ticked and locked. */
const ALWAYS_FETCHED = ['Name', 'NorwegianIdentificationNumber'];

/** One check's state as a small badge plus when it was last checked. */
function checkRow(t, id, labelKey, check, s) {
  const state = (check && check.state) || 'unchecked';
  const badge = h('span', { class: `state state-${state}`, id: `${id}-state`, text: t(`pt.state.${state}`) });
  const when = check && check.checkedAt ? t('pt.checkedAt', { time: formatDateTime(check.checkedAt) }) : t('pt.neverChecked');
  const parts = [h('div', { class: 'check-head' }, h('h3', { text: t(labelKey) }), badge), h('p', { class: 'hint', id: `${id}-checked`, text: when })];
  if (state === 'failed') parts.push(failure(t, id, check, { button: t('pt.refresh'), status: s }));
  if (state === 'ok' && check.lastAttempt) parts.push(lastAttempt(t, id, check));
  return h('div', { class: `check check-${state}`, id }, parts);
}

/** A later check that could not reach the service: the state above is the last one confirmed. */
function lastAttempt(t, id, check) {
  const a = check.lastAttempt;
  const text = t('pt.lastAttempt', { message: (a.message || t('error.generic')).replace(/\.$/, ''), time: formatDateTime(check.checkedAt) });
  return h('div', { class: 'stored-note', id: `${id}-attempt`, role: 'status' }, h('p', { text }), a.help ? h('p', { class: 'hint', text: a.help }) : null);
}

export function renderStatus(ctx, { signal }) {
  const { i18n, router } = ctx;
  const t = (k, v) => i18n.t(k, v);
  const pt = ctx.api.persontjenesten;

  const heading = h('h1', { tabindex: '-1', text: t('pt.title') });
  const message = h('div', { class: 'page-message', id: 'pt-message', tabindex: '-1' });
  const body = h('div', { class: 'pt-body', 'aria-busy': 'true' }, h('p', { class: 'muted', text: t('common.loading') }));
  const node = h('section', { class: 'page page-pt' }, heading, message, body);
  const busy = busyIndicator(t, 'pt-busy');

  async function load() {
    try {
      draw(await pt.status(signal));
    } catch (err) {
      if (isQuiet(err)) return;
      body.removeAttribute('aria-busy');
      replace(body);
      say(message, 'error', errorText(t, err), h('div', { class: 'message-actions' }, h('button', { type: 'button', class: 'button', text: t('common.retry'), on: { click: load } })));
    }
  }

  function draw(s) {
    body.removeAttribute('aria-busy');
    const configured = Boolean(s.practice && s.practice.orgNumber) || Boolean(s.helseid && s.helseid.clientId);
    if (!s.activated && !configured) {
      replace(body, intro(t, true));
      return;
    }
    const refresh = h('button', { type: 'button', class: 'button button-primary', id: 'pt-refresh', text: t('pt.refresh') });
    refresh.addEventListener('click', async () => {
      const sig = busy.start(t('pt.checking'));
      refresh.disabled = true;
      say(message, '', '');
      try {
        const next = await pt.refresh(sig);
        draw(next);
        ctx.setStatus(t(next.activated ? 'pt.refreshedOk' : 'pt.refreshedFailed'));
        document.getElementById('pt-refresh')?.focus();
      } catch (err) {
        if (isQuiet(err)) return;
        say(message, 'error', errorText(t, err));
        message.focus();
      } finally {
        busy.stop();
        refresh.disabled = false;
      }
    });

    const status = h(
      'section',
      { class: 'card', id: 'pt-status', 'aria-labelledby': 'pt-status-title' },
      h('h2', { id: 'pt-status-title', text: t('pt.statusTitle') }),
      h('p', { class: `pt-overall ${s.activated ? 'pt-overall-ok' : 'pt-overall-off'}`, id: 'pt-overall', text: t(s.activated ? 'pt.activeText' : 'pt.inactiveText') }),
      h('div', { class: 'checks' }, checkRow(t, 'pt-delegation', 'pt.delegation', s.delegation, s), checkRow(t, 'pt-access', 'pt.access', s.access, s)),
      h(
        'div',
        { class: 'actions' },
        refresh,
        s.activated ? null : h('a', { class: 'button', id: 'pt-continue', href: '#/persontjenesten/activate', text: t('pt.continueActivation') }),
      ),
      h('p', { class: 'hint', id: 'pt-refresh-hint', text: t('pt.refreshHint') }),
      busy.node,
    );

    const p = s.practice || {};
    const hid = s.helseid || {};
    const row = (label, value, id) => h('div', { class: 'field-row' }, h('dt', { text: label }), h('dd', { id, class: value ? '' : 'muted', text: value || '–' }));
    const setup = h(
      'section',
      { class: 'card', id: 'pt-setup', 'aria-labelledby': 'pt-setup-title' },
      h('h2', { id: 'pt-setup-title', text: t('pt.setupTitle') }),
      h(
        'dl',
        { class: 'fields' },
        row(t('pt.orgNumber'), p.orgNumber, 'pt-org'),
        row(t('pt.subOrgNumber'), p.subOrgNumber, 'pt-suborg'),
        row(t('pt.practiceName'), p.name, 'pt-name'),
        row(t('pt.environment'), hid.environment ? t(`pt.env.${hid.environment}`) : '', 'pt-env'),
        row(t('pt.clientId'), hid.clientId, 'pt-clientid'),
        row(t('pt.tenancy'), hid.tenancy ? t(`pt.tenancy.${hid.tenancy}`) : '', 'pt-tenancy'),
        row(t('pt.keyId'), hid.keyId ? `${hid.keyId}${hid.alg ? ` (${hid.alg})` : ''}` : '', 'pt-keyid'),
      ),
      h('p', { class: 'hint', text: t('pt.setupHint') }),
      h('div', { class: 'actions' }, h('a', { class: 'button', id: 'pt-change', href: '#/persontjenesten/activate?step=practice', text: t('pt.change') })),
    );

    replace(body, status, s.activated ? feedCard(ctx, { signal }) : null, s.activated ? bulkCard(ctx, { signal }) : null, setup, partsCard(s), hid.keyId || s.activated ? deactivateCard(s) : null);
  }

  function partsCard(s) {
    const chosen = new Set(s.informationParts || []);
    // Only the parts Resepsjon stores are offered (data minimisation); name
    // and identity number are always fetched: without them a match has no
    // name and an imported client cannot be saved.
    const offered = s.defaultParts || [];
    const box = (part) => {
      const id = `pt-part-${part}`;
      const locked = ALWAYS_FETCHED.includes(part);
      const label = t(`pt.part.${part}`);
      return h(
        'div',
        { class: 'check-option check-described' },
        h('input', { type: 'checkbox', id, value: part, checked: locked || chosen.has(part), disabled: locked, 'aria-describedby': `${id}-fills` }),
        h(
          'label',
          { htmlFor: id },
          h('span', { text: label === `pt.part.${part}` ? part : label }),
          h('span', { class: 'hint block', id: `${id}-fills`, text: t(`pt.partFills.${part}`) }),
        ),
      );
    };
    const fieldset = h(
      'fieldset',
      { class: 'fieldset-plain parts-group parts-all' },
      h('legend', { class: 'visually-hidden', text: t('pt.parts.title') }),
      h('p', { class: 'hint', id: 'pt-parts-always', text: t('pt.parts.always') }),
      h('div', { class: 'parts' }, offered.map(box)),
    );
    const note = h('div', { class: 'page-message', id: 'pt-parts-message' });
    const save = h('button', { type: 'button', class: 'button button-primary', id: 'pt-parts-save', text: t('pt.parts.save') });
    const reset = h('button', { type: 'button', class: 'button', id: 'pt-parts-default', text: t('pt.parts.default') });
    reset.addEventListener('click', () => {
      for (const box of fieldset.querySelectorAll('input[type=checkbox]')) box.checked = true;
      say(note, 'info', t('pt.parts.defaultSet'));
    });
    save.addEventListener('click', async () => {
      const parts = [...fieldset.querySelectorAll('input[type=checkbox]')].filter((b) => b.checked).map((b) => b.value);
      if (!parts.length) {
        say(note, 'error', t('pt.parts.none'));
        return;
      }
      try {
        await pt.saveSettings({ informationParts: parts }, signal);
        say(note, 'info', t('pt.parts.saved', { n: parts.length }));
      } catch (err) {
        if (isQuiet(err)) return;
        say(note, 'error', errorText(t, err));
      }
    });
    return h(
      'section',
      { class: 'card', id: 'pt-parts', 'aria-labelledby': 'pt-parts-title' },
      h('h2', { id: 'pt-parts-title', text: t('pt.parts.title') }),
      h('p', { class: 'hint', text: t('pt.parts.hint') }),
      fieldset,
      note,
      h('div', { class: 'actions' }, save, reset),
    );
  }

  function deactivateCard() {
    const button = h('button', { type: 'button', class: 'button button-danger-outline', id: 'pt-deactivate', text: t('pt.deactivate') });
    button.addEventListener('click', async () => {
      const ok = await ctx.confirm({
        id: 'pt-deactivate-dialog',
        title: t('pt.deactivateTitle'),
        text: t('pt.deactivateText'),
        confirmLabel: t('pt.deactivateConfirm'),
        cancelLabel: t('common.cancel'),
        danger: true,
      });
      if (!ok) return;
      try {
        await pt.deactivate(signal);
        ctx.setStatus(t('pt.deactivated'));
        router.navigate('#/persontjenesten', { replace: true, force: true });
      } catch (err) {
        if (isQuiet(err)) return;
        say(message, 'error', errorText(t, err));
        message.focus();
      }
    });
    return h(
      'section',
      { class: 'card', id: 'pt-deactivate-card', 'aria-labelledby': 'pt-deactivate-title' },
      h('h2', { id: 'pt-deactivate-title', text: t('pt.deactivateHeading') }),
      h('p', { class: 'hint', text: t('pt.deactivateHint') }),
      button,
    );
  }

  load();
  return { node, title: t('pt.title') };
}
