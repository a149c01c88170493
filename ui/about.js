// «Om Resepsjon» (which build runs, where the data lives, with «Kopier» for
// support) and «Avslutt» (stops the program after a confirmation). Both sit
// below the main menu.

import { isAbort } from './api.js';
import { h, replace } from './dom.js';
import { modal } from './dialog.js';

const nb = {
  'about.open': 'Om Resepsjon',
  'about.title': 'Om Resepsjon',
  'about.version': 'Versjon',
  'about.commit': 'Commit',
  'about.built': 'Bygget',
  'about.platform': 'Plattform',
  'about.dataDir': 'Datamappe',
  'about.dbSize': 'Databasens størrelse',
  'about.unknown': 'Ukjent',
  'about.copy': 'Kopier',
  'about.copied': 'Opplysningene er kopiert. Lim dem inn i e-posten til brukerstøtte.',
  'about.copyFailed': 'Kunne ikke kopiere. Merk teksten og kopier den med Ctrl+C.',
  'about.close': 'Lukk',
  'about.loadFailed': 'Kunne ikke hente opplysningene. Prøv igjen om litt.',
  'quit.open': 'Avslutt',
  'quit.title': 'Avslutte Resepsjon?',
  'quit.text': 'Resepsjon stopper, og denne fanen slutter å virke. Start programmet på nytt for å fortsette.',
  'quit.textUpdateAll': '«Oppdater alle» pågår. Avslutter du nå, stopper oppdateringen etter klienten som lagres; resten blir ikke oppdatert.',
  'quit.textUnsaved': 'Endringer som ikke er lagret, går tapt.',
  'quit.textUnsentMail': 'E-post til pasientportalen venter på å bli sendt. Den sendes først når Resepsjon startes igjen.',
  'quit.confirm': 'Avslutt',
  'quit.cancel': 'Avbryt',
  'quit.failed': 'Resepsjon kunne ikke avsluttes. Prøv igjen.',
  'quit.doneTitle': 'Resepsjon er avsluttet',
  'quit.doneText': 'Du kan lukke fanen. Start Resepsjon igjen fra snarveien når du trenger det.',
};

const en = {
  'about.open': 'About Resepsjon',
  'about.title': 'About Resepsjon',
  'about.version': 'Version',
  'about.commit': 'Commit',
  'about.built': 'Built',
  'about.platform': 'Platform',
  'about.dataDir': 'Data folder',
  'about.dbSize': 'Database size',
  'about.unknown': 'Unknown',
  'about.copy': 'Copy',
  'about.copied': 'The details are copied. Paste them into your e-mail to support.',
  'about.copyFailed': 'Could not copy. Select the text and copy it with Ctrl+C.',
  'about.close': 'Close',
  'about.loadFailed': 'Could not load the details. Try again in a moment.',
  'quit.open': 'Quit',
  'quit.title': 'Quit Resepsjon?',
  'quit.text': 'Resepsjon stops, and this tab stops working. Start the program again to continue.',
  'quit.textUpdateAll': '“Update all” is running. If you quit now, it stops after the client being saved; the rest are not updated.',
  'quit.textUnsaved': 'Changes that are not saved will be lost.',
  'quit.textUnsentMail': 'Patient portal mail is waiting to be sent. It is sent only when Resepsjon is started again.',
  'quit.confirm': 'Quit',
  'quit.cancel': 'Cancel',
  'quit.failed': 'Resepsjon could not be stopped. Try again.',
  'quit.doneTitle': 'Resepsjon has stopped',
  'quit.doneText': 'You can close this tab. Start Resepsjon again from the shortcut when you need it.',
};

export const aboutMessages = { nb, en };

/** A byte count as "12,3 MB" in the UI's language. */
function formatBytes(n, lang) {
  if (typeof n !== 'number' || n < 0) return null;
  const units = ['B', 'kB', 'MB', 'GB'];
  let i = 0;
  let v = n;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i += 1;
  }
  const nf = new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'nb-NO', { maximumFractionDigits: i === 0 ? 0 : 1 });
  return `${nf.format(v)} ${units[i]}`;
}

/** Opens «Om Resepsjon» with fresh details from the server. */
export async function showAbout(ctx) {
  const { api, i18n, setStatus } = ctx;
  const t = (k) => i18n.t(k);
  let info;
  try {
    info = await api.app();
  } catch (err) {
    if (!isAbort(err) && err.name !== 'SessionEndedError') setStatus(t('about.loadFailed'));
    return;
  }
  const rows = [
    ['about.version', info.version],
    ['about.commit', info.commit],
    ['about.built', info.built],
    ['about.platform', [info.platform, info.go].filter(Boolean).join(', ')],
    ['about.dataDir', info.dataDir],
    ['about.dbSize', formatBytes(info.dbBytes, i18n.lang)],
  ].map(([key, value]) => [t(key), value || t('about.unknown')]);
  // The copied text is the same in both languages' layout: "Label: value".
  const text = [`Resepsjon ${info.version || ''}`.trim(), ...rows.slice(1).map(([k, v]) => `${k}: ${v}`)].join('\n');

  const copy = h('button', { type: 'button', class: 'button button-primary', id: 'about-copy', text: t('about.copy') });
  const closeButton = h('button', { type: 'button', class: 'button', id: 'about-close', text: t('about.close') });
  const note = h('p', { class: 'hint', id: 'about-copy-note', role: 'status', 'aria-live': 'polite' });
  const { dialog, close } = modal(
    { id: 'about-dialog', titleText: t('about.title') },
    h(
      'dl',
      { class: 'fields about-fields' },
      rows.map(([k, v], i) => h('div', { class: 'field-row' }, h('dt', { text: k }), h('dd', { id: `about-value-${i}`, class: 'about-value', text: v }))),
    ),
    note,
    h('div', { class: 'dialog-actions' }, copy, closeButton),
  );
  dialog.dataset.copyText = text;
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(text);
      note.textContent = t('about.copied');
    } catch {
      note.textContent = t('about.copyFailed');
    }
  });
  closeButton.addEventListener('click', close);
  closeButton.focus();
}

/**
 * Asks, then stops the program. The question says more when «Oppdater alle»
 * is running or the screen has unsaved changes.
 * showStopped: replaces the page with the "has stopped" screen.
 */
export async function quitApp(ctx, showStopped) {
  const { api, i18n, setStatus, confirm, router } = ctx;
  const t = (k) => i18n.t(k);
  let running = false;
  let unsentMail = false;
  try {
    const app = await api.app();
    running = Boolean(app.updateAllRunning);
    unsentMail = Boolean(app.unsentMail);
  } catch (err) {
    if (err.name === 'SessionEndedError') return;
  }
  const parts = [running ? t('quit.textUpdateAll') : t('quit.text')];
  if (unsentMail) parts.push(t('quit.textUnsentMail'));
  if (router && !router.canLeave()) parts.push(t('quit.textUnsaved'));
  const ok = await confirm({
    id: 'quit-dialog',
    title: t('quit.title'),
    text: parts.join(' '),
    confirmLabel: t('quit.confirm'),
    cancelLabel: t('quit.cancel'),
    danger: true,
  });
  if (!ok) return;
  try {
    await api.call('POST', '/api/quit');
  } catch (err) {
    if (err.name !== 'SessionEndedError') setStatus(t('quit.failed'));
    return;
  }
  showStopped();
}

/** The screen left after «Avslutt». */
export function stoppedScreen(root, i18n) {
  replace(
    root,
    h(
      'main',
      { class: 'session-ended', id: 'app-stopped', role: 'status' },
      h('h1', { tabindex: '-1', text: i18n.t('quit.doneTitle') }),
      h('p', { text: i18n.t('quit.doneText') }),
    ),
  );
  root.querySelector('h1').focus();
}
