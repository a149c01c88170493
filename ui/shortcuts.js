// Keyboard shortcuts a receptionist expects, and the "Hurtigtaster" help.
// The keys avoid the browser's own (Ctrl+N, Ctrl+K, Ctrl+P, Alt+F/E/D …) and
// the screen readers' (NVDA and JAWS use Insert or Caps Lock, and single
// letters in browse mode): Alt+N, Alt+K and Alt+P are free in Chrome, Edge
// and Firefox on Windows; Ctrl+S is taken over only to save the form shown.

import { modal } from './dialog.js';
import { h } from './dom.js';

/** The shortcuts: key as shown, and what it does. */
export const SHORTCUTS = [
  { keys: 'Alt+N', id: 'newClient' },
  { keys: 'Alt+K', id: 'search' },
  { keys: 'Ctrl+S', id: 'save' },
  { keys: 'Alt+P', id: 'persontjenesten' },
  { keys: 'Esc', id: 'close' },
  { keys: '?', id: 'help' },
];

export const messages = {
  nb: {
    'keys.open': 'Hurtigtaster',
    'keys.title': 'Hurtigtaster',
    'keys.colKey': 'Tast',
    'keys.colAction': 'Gjør',
    'keys.newClient': 'Legg til klient',
    'keys.search': 'Søk etter klient',
    'keys.save': 'Lagre skjemaet',
    'keys.persontjenesten': 'Søk i Persontjenesten (Legg til klient) eller Oppdater via Persontjenesten (Rediger)',
    'keys.close': 'Lukk dialogvinduet',
    'keys.help': 'Vis denne oversikten (når du ikke skriver i et felt)',
    'keys.hint': 'På Mac brukes Option i stedet for Alt og Cmd i stedet for Ctrl.',
  },
  en: {
    'keys.open': 'Keyboard shortcuts',
    'keys.title': 'Keyboard shortcuts',
    'keys.colKey': 'Key',
    'keys.colAction': 'Does',
    'keys.newClient': 'Add client',
    'keys.search': 'Search for a client',
    'keys.save': 'Save the form',
    'keys.persontjenesten': 'Search the Person Service (Add client) or Update via the Person Service (Edit)',
    'keys.close': 'Close the dialog',
    'keys.help': 'Show this list (when you are not typing in a field)',
    'keys.hint': 'On a Mac, use Option instead of Alt and Cmd instead of Ctrl.',
  },
};

/** The key of a shortcut as shown in a tooltip: "Lagre (Ctrl+S)". */
export function withKey(label, id) {
  const s = SHORTCUTS.find((x) => x.id === id);
  return s ? `${label} (${s.keys})` : label;
}

/** Shows the list of shortcuts in a dialog. */
export function showShortcuts(i18n) {
  const t = (k) => i18n.t(k);
  const close = h('button', { type: 'button', class: 'button button-primary', id: 'keys-close', text: t('common.close') });
  const rows = SHORTCUTS.map((s) => h('tr', {}, h('th', { scope: 'row' }, h('kbd', { text: s.keys })), h('td', { text: t(`keys.${s.id}`) })));
  const { dialog, close: shut } = modal(
    { id: 'keys-dialog', titleText: t('keys.title') },
    h('table', { class: 'table keys-table' }, h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: t('keys.colKey') }), h('th', { scope: 'col', text: t('keys.colAction') }))), h('tbody', {}, rows)),
    h('p', { class: 'hint', text: t('keys.hint') }),
    h('div', { class: 'dialog-actions' }, close),
  );
  close.addEventListener('click', shut);
  close.focus();
  return dialog;
}

/** True when the key goes into a text field (a "?" typed there is text). */
function typing(el) {
  if (!el) return false;
  if (el.isContentEditable) return true;
  if (el.tagName === 'TEXTAREA' || el.tagName === 'SELECT') return true;
  return el.tagName === 'INPUT' && !['checkbox', 'radio', 'button', 'submit'].includes(el.type);
}

/**
 * Listens for the shortcuts on the window. go(hash) navigates; Alt+K on
 * another page goes to the client list, whose search box takes the focus.
 */
export function installShortcuts(win, { i18n, go }) {
  const doc = win.document;
  const click = (selector) => {
    const el = doc.querySelector(selector);
    if (!el || el.disabled || el.closest('[hidden]')) return false;
    el.click();
    return true;
  };
  win.addEventListener('keydown', (e) => {
    if (e.defaultPrevented || e.isComposing) return;
    const ctrl = e.ctrlKey || e.metaKey;
    const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
    // A dialog is open: only Esc (the browser's own) and Ctrl+S's guard apply.
    const inDialog = Boolean(doc.querySelector('dialog[open]'));
    if (ctrl && !e.altKey && !e.shiftKey && (key === 's' || e.code === 'KeyS')) {
      // Never the browser's "save page": save the form on screen, if any.
      e.preventDefault();
      if (!inDialog) {
        const form = doc.querySelector('#client-form:not([hidden])');
        if (form) form.requestSubmit();
      }
      return;
    }
    if (inDialog) return;
    if (e.altKey && !ctrl && !e.shiftKey) {
      const code = e.code;
      if (code === 'KeyN') {
        e.preventDefault();
        go('#/clients/new');
      } else if (code === 'KeyK') {
        e.preventDefault();
        const search = doc.getElementById('search');
        if (search) {
          search.focus();
          search.select();
        } else {
          go('#/clients');
        }
      } else if (code === 'KeyP') {
        e.preventDefault();
        click('#pt-search-link') || click('#pt-update');
      }
      return;
    }
    if (key === '?' && !ctrl && !e.altKey && !typing(e.target)) {
      e.preventDefault();
      showShortcuts(i18n);
    }
  });
}
