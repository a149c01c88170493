// What every Persontjenesten screen shares: how errors read, how a failed
// check reads, and the "waiting for Norsk helsenett" indicator with its Avbryt button.

import { ApiError, errorText as apiErrorText, isAbort, SessionEndedError } from '../api.js';
import { modal } from '../dialog.js';
import { h } from '../dom.js';

/** True for failures the caller just drops (aborted on purpose, session gone). */
export function isQuiet(err) {
  return isAbort(err) || err instanceof SessionEndedError;
}

/** The failure in the user's words; a timeout names Norsk helsenett. */
export function errorText(t, err) {
  return apiErrorText(t, err, 'pt.error.timeout');
}

/** True when the API says Persontjenesten is not activated yet. */
export function isNotActivated(err) {
  return err instanceof ApiError && err.code === 'not_activated';
}

/**
 * A busy indicator: spinner, text and an Avbryt button that aborts the call.
 * start(text) returns an AbortSignal for the call; stop() hides it again.
 */
export function busyIndicator(t, id) {
  let controller = null;
  const label = h('span', { class: 'busy-text' });
  const cancel = h('button', {
    type: 'button',
    class: 'button',
    id: `${id}-cancel`,
    text: t('common.cancel'),
    on: { click: () => controller && controller.abort() },
  });
  const node = h('div', { class: 'busy', id, role: 'status', hidden: true }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), label, cancel);
  return {
    node,
    start(text) {
      if (controller) controller.abort();
      controller = new AbortController();
      label.textContent = text;
      node.hidden = false;
      return controller.signal;
    },
    /** Aborts the running call, if any. */
    cancel() {
      if (controller) controller.abort();
    },
    stop() {
      controller = null;
      node.hidden = true;
    },
    get busy() {
      return controller !== null;
    },
  };
}

/**
 * Explains that Persontjenesten is not activated and offers to go there.
 * Resolves when the dialog closes.
 */
export function notActivatedDialog(ctx) {
  const t = (k, v) => ctx.i18n.t(k, v);
  return new Promise((resolve) => {
    const go = h('a', { class: 'button button-primary', id: 'pt-go-activate', href: '#/persontjenesten/activate', text: t('pt.activateNow') });
    const cancel = h('button', { type: 'button', class: 'button', text: t('common.cancel'), autofocus: true });
    const { dialog, close } = modal(
      { id: 'pt-not-activated', titleText: t('pt.notActivatedTitle') },
      h('p', { text: t('pt.notActivatedText') }),
      h('div', { class: 'dialog-actions' }, go, cancel),
    );
    cancel.addEventListener('click', close);
    // The link leaves the page; the dialog must not stay over the next one.
    go.addEventListener('click', () => close());
    dialog.addEventListener('close', () => resolve());
  });
}

/**
 * A failed check: what went wrong, what to do, where to fix it, and the
 * button on this screen that checks again (button: its label). status, when
 * given, names whom the practice delegates to when the delegation is missing.
 */
export function failure(t, id, check, { button = '', status = null } = {}) {
  const link = check.link ? h('a', { href: check.link, target: '_blank', rel: 'noopener noreferrer', id: `${id}-link`, text: t('pt.fixLink', { host: hostOf(check.link) }) }) : null;
  return h(
    'div',
    { class: 'message message-error', id: `${id}-failure`, role: 'alert' },
    h('p', { class: 'failure-message', text: check.message || t('error.generic') }),
    check.help ? h('p', { class: 'failure-help', text: check.help }) : null,
    check.code === 'no_delegation' ? delegateTo(t, id, status) : null,
    link ? h('p', {}, link) : null,
    button ? h('p', { class: 'failure-next', id: `${id}-next`, text: t('pt.fixThenPress', { button }) }) : null,
  );
}

/** Whom to delegate to: the HelseID client and the practice from the settings. */
function delegateTo(t, id, status) {
  const hid = (status && status.helseid) || {};
  const p = (status && status.practice) || {};
  if (!hid.clientId || !p.orgNumber) return null;
  const org = p.subOrgNumber ? `${p.orgNumber} / ${p.subOrgNumber}` : p.orgNumber;
  const key = hid.tenancy === 'single' ? 'pt.delegateTo.single' : 'pt.delegateTo.multi';
  return h('p', { class: 'failure-who', id: `${id}-who`, text: t(key, { client: hid.clientId, practice: p.name || org, org }) });
}

function hostOf(url) {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
