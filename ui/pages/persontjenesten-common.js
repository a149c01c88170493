// What every Persontjenesten screen shares: the API routes, how errors read,
// and the "waiting for Norsk helsenett" indicator with its Avbryt button.

import { ApiError, errorText as apiErrorText, isAbort, SessionEndedError } from '../api.js';
import { modal } from '../dialog.js';
import { h } from '../dom.js';

/** The Persontjenesten routes of the app's JSON API. */
export function ptApi(api) {
  return {
    status: (signal) => api.call('GET', '/api/persontjenesten/status', { signal }),
    saveSettings: (body, signal) => api.call('PUT', '/api/persontjenesten/settings', { body, signal }),
    key: (body, signal) => api.call('POST', '/api/persontjenesten/key', { body, signal }),
    activate: (signal) => api.call('POST', '/api/persontjenesten/activate', { body: {}, signal }),
    refresh: (signal) => api.call('POST', '/api/persontjenesten/refresh', { body: {}, signal }),
    deactivate: (signal) => api.call('POST', '/api/persontjenesten/deactivate', { body: {}, signal }),
    search: (body, signal) => api.call('POST', '/api/persontjenesten/search', { body, signal }),
    lookup: (body, signal) => api.call('POST', '/api/persontjenesten/lookup', { body, signal }),
    update: (id, signal) =>
      api.call('POST', `/api/clients/${encodeURIComponent(id)}/persontjenesten/update`, { body: {}, signal }),
    audit: (params, signal) => api.call('GET', `/api/audit?${params}`, { signal }),
  };
}

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
