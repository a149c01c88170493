// Activation steps 5 and 6 share this: the delegation check (a HelseID token
// carrying the organisation numbers) and the access check (one call to
// Persontjenesten). The API runs both in order; each step shows its own.

import { ApiError } from '../api.js';
import { h, messageBox, replace, say } from '../dom.js';
import { formatDateTime } from '../format.js';
import { errorText, failure, isQuiet } from './persontjenesten-common.js';

/**
 * The step's card for which ("delegation" or "access"). The check runs
 * once the card is on screen; the access check reuses the result of the
 * delegation step unless it has not run yet.
 */
export function checkStep(w, which) {
  const { t } = w;
  const holder = h('div', { id: 'check-result', 'aria-live': 'polite' });
  const card = h('div', { class: 'card', id: `wizard-${which}` }, h('h2', { text: t(`pt.step.${which}`) }), h('p', { class: 'hint', text: t(`pt.${which}Explain`) }), holder);
  queueMicrotask(() => {
    const s = w.status;
    if (which === 'access' && s && s.access && s.access.state !== 'unchecked' && s.delegation && s.delegation.state === 'ok') drawCheck(w, holder, which);
    else runChecks(w, holder, which);
  });
  return card;
}

/** Runs both checks and shows the one asked for. */
async function runChecks(w, holder, which) {
  const { ctx, t, message, busy } = w;
  const sig = busy.start(t(which === 'delegation' ? 'pt.checkingDelegation' : 'pt.checkingAccess'));
  say(message, '', '');
  replace(holder, h('p', { class: 'muted', text: t('pt.checking') }));
  try {
    w.status = await ctx.api.persontjenesten.activate(sig);
    drawCheck(w, holder, which);
  } catch (err) {
    if (isQuiet(err)) {
      replace(holder, h('p', { class: 'muted', text: t('pt.checkCancelled') }), retryButton(w, holder, which));
      return;
    }
    if (err instanceof ApiError && err.code === 'invalid_input') {
      replace(holder, messageBox('error', err.serverMessage || t('pt.incomplete'), incompleteList(err.fields), h('div', { class: 'message-actions' }, backButtonFor(w, err.fields))));
      return;
    }
    replace(holder, messageBox('error', errorText(t, err)), retryButton(w, holder, which));
  } finally {
    busy.stop();
  }
}

function incompleteList(fields) {
  const items = Object.values(fields || {}).map((x) => h('li', { text: x }));
  return items.length ? h('ul', {}, items) : null;
}

/** Settings the check found missing: the button goes to the step that asks for them. */
function backButtonFor(w, fields) {
  const keys = Object.keys(fields || {});
  let to = 'key';
  if (keys.some((k) => k.startsWith('practice.'))) to = 'practice';
  else if (keys.some((k) => k === 'helseid.clientId' || k === 'helseid.environment' || k === 'helseid.tenancy')) to = 'helseid';
  return h('button', { type: 'button', class: 'button', id: 'fix-settings', text: w.t(`pt.goTo.${to}`), on: { click: () => w.show(to) } });
}

function retryButton(w, holder, which) {
  return h('button', { type: 'button', class: 'button button-primary', id: 'wizard-retry', text: w.t('common.retry'), on: { click: () => runChecks(w, holder, which) } });
}

function drawCheck(w, holder, which) {
  const { ctx, t, status } = w;
  if (!holder.isConnected) return;
  const check = (status && status[which]) || { state: 'unchecked' };
  if (which === 'access' && status.delegation && status.delegation.state !== 'ok') {
    // The access check needs a token; without delegation it never ran.
    w.show('delegation');
    return;
  }
  if (check.state === 'ok') {
    const ok = messageBox('ok', t(which === 'delegation' ? 'pt.delegationOk' : 'pt.accessOk'), h('p', { class: 'hint', text: t('pt.checkedAt', { time: formatDateTime(check.checkedAt) }) }));
    const actions =
      which === 'delegation'
        ? [h('button', { type: 'button', class: 'button button-primary wizard-focus', id: 'wizard-next', text: t('pt.next'), on: { click: () => w.show('access') } })]
        : [
            h('a', { class: 'button button-primary wizard-focus', id: 'wizard-done', href: '#/clients/new', text: t('pt.doneAddClient') }),
            h('a', { class: 'button', id: 'wizard-settings', href: '#/persontjenesten', text: t('pt.doneSettings') }),
          ];
    replace(holder, ok, which === 'access' ? h('p', { class: 'pt-activated', id: 'pt-activated', text: t('pt.activatedText') }) : null, w.nav(...actions));
    actions[0].focus();
    if (which === 'access') ctx.setStatus(t('pt.activatedStatus'));
    return;
  }
  const fix = h('button', { type: 'button', class: 'button', id: 'fix-settings', text: t('pt.changeSettings'), on: { click: () => w.show(which === 'delegation' ? 'helseid' : 'practice') } });
  replace(holder, check.state === 'failed' ? failure(t, `check-${which}`, check, { button: t('common.retry'), status }) : messageBox('info', t('pt.notChecked')), w.nav(retryButton(w, holder, which), fix));
  holder.querySelector('#wizard-retry').focus();
}
