// Resepsjon's web UI: builds the shell (top bar, menu, main area, status
// region), wires the API, texts and router together, and hands them to the
// pages listed in pages/index.js.

import { aboutMessages, quitApp, showAbout, stoppedScreen } from './about.js';
import { createApi, isAbort } from './api.js';
import { confirmDialog } from './dialog.js';
import { h, replace } from './dom.js';
import { I18n } from './i18n.js';
import { refreshBackupWarning } from './pages/backup.js';
import { createAheadAnswers } from './pages/client-search.js';
import { PAGES } from './pages/index.js';
import { Router } from './router.js';
import { installShortcuts, messages as shortcutTexts, showShortcuts } from './shortcuts.js';

/**
 * How long a status message stays visible. It also goes away when the user
 * moves on to another screen after the one it was shown on.
 */
const STATUS_MS = 5000;

function boot(win) {
  const doc = win.document;
  const root = doc.getElementById('root');
  const i18n = new I18n(win.localStorage);
  for (const page of PAGES) i18n.add(page.messages || {});
  i18n.add(shortcutTexts);
  i18n.add(aboutMessages);

  let sessionEnded = false;
  const appInfo = { version: '', demo: false, language: '' };

  const api = createApi({
    lang: () => i18n.lang,
    fetchFn: win.fetch.bind(win),
    onSessionEnded: () => {
      if (sessionEnded) return;
      sessionEnded = true;
      showSessionEnded();
    },
  });

  // The shell's parts survive route changes; only their texts are redrawn.
  const statusText = h('p', { class: 'status-text' });
  const status = h('div', { class: 'status', id: 'status', role: 'status', 'aria-live': 'polite', hidden: true }, statusText);
  const main = h('main', { id: 'main', class: 'main', tabindex: '-1' });
  const nav = h('nav', { class: 'nav', id: 'nav' });
  // Demo mode is said in the top bar itself, so the bar and the marker take
  // one line of the reception PC's short screen, not two.
  const banner = h('span', { class: 'demo-banner', id: 'demo-banner', hidden: true });
  // Backups that need attention are said above every screen (pages/backup.js).
  const backupWarning = h('div', { class: 'backup-warning', id: 'backup-warning', role: 'status', hidden: true });
  const header = h('header', { class: 'topbar' });
  let statusTimer = 0;
  // Screens mounted so far, and how many there were when the status message
  // was set: a message set just before a route change ("… er lagret.") shows
  // on the next screen and is gone on the one after.
  let mounts = 0;
  let statusMounts = 0;

  function setStatus(text) {
    win.clearTimeout(statusTimer);
    statusText.textContent = text;
    status.hidden = !text;
    statusMounts = mounts;
    if (text) statusTimer = win.setTimeout(() => setStatus(''), STATUS_MS);
  }

  function drawShell(activePage) {
    doc.documentElement.lang = i18n.lang;
    const skip = h('a', {
      class: 'skip-link',
      href: '#main',
      text: i18n.t('skip.main'),
      on: {
        click: (e) => {
          // A real "#main" would be taken for a route.
          e.preventDefault();
          main.focus();
        },
      },
    });
    banner.textContent = i18n.t('app.demo');
    banner.hidden = !appInfo.demo;
    replace(
      header,
      skip,
      h('span', { class: 'app-name', text: i18n.t('app.name') }),
      appInfo.practice ? h('span', { class: 'practice-name', id: 'practice-name', text: appInfo.practice }) : null,
      banner,
    );
    nav.setAttribute('aria-label', i18n.t('nav.label'));
    const items = PAGES.filter((p) => p.nav).map((p) =>
      h(
        'li',
        {},
        h('a', {
          href: p.nav.href,
          class: 'nav-link',
          id: `nav-${p.id}`,
          'aria-current': p.id === activePage ? 'page' : null,
          text: i18n.t(p.nav.labelKey),
        }),
      ),
    );
    // «Om Resepsjon» and «Avslutt» are actions, not places: buttons below the menu.
    const actions = [
      h('li', {}, h('button', { type: 'button', class: 'nav-action', id: 'nav-keys', 'aria-keyshortcuts': '?', title: `${i18n.t('keys.open')} (?)`, text: i18n.t('keys.open'), on: { click: () => showShortcuts(i18n) } })),
      h('li', {}, h('button', { type: 'button', class: 'nav-action', id: 'nav-about', text: i18n.t('about.open'), on: { click: () => showAbout(ctx) } })),
      appInfo.canQuit
        ? h('li', {}, h('button', { type: 'button', class: 'nav-action', id: 'nav-quit', text: i18n.t('quit.open'), on: { click: () => quitApp(ctx, showStopped) } }))
        : null,
    ];
    replace(nav, h('ul', { class: 'nav-list' }, items), h('ul', { class: 'nav-list nav-actions' }, actions));
  }

  function showStopped() {
    sessionEnded = true;
    router.view = null;
    doc.title = `${i18n.t('quit.doneTitle')} – ${i18n.t('app.name')}`;
    stoppedScreen(root, i18n);
  }

  function showSessionEnded() {
    router.view = null;
    doc.title = `${i18n.t('session.title')} – ${i18n.t('app.name')}`;
    replace(
      root,
      h(
        'main',
        { class: 'session-ended', id: 'session-ended', role: 'alert' },
        h('h1', { text: i18n.t('session.title') }),
        h('p', { text: i18n.t('session.text') }),
      ),
    );
  }

  const ctx = {
    api,
    i18n,
    /** The client list's answers asked ahead, kept from one opening of the list to the next (client-search.js). */
    clientsAhead: createAheadAnswers({ now: () => win.performance.now(), writes: api.writes }),
    appInfo,
    setStatus,
    confirm: confirmDialog,
    /** Renders the shell and current page again, e.g. after a language switch. */
    redraw: () => {
      drawShell(router.activePage);
      router.refresh();
      refreshBackupWarning(ctx);
    },
  };

  const routes = [];
  for (const page of PAGES) {
    for (const r of page.routes) {
      routes.push({ path: r.path, page: page.id, render: (match) => r.render(ctx, match) });
    }
  }

  const router = new Router({
    routes,
    home: PAGES[0].nav.href,
    win,
    confirmLeave: () =>
      confirmDialog({
        id: 'leave-dialog',
        title: i18n.t('leave.title'),
        text: i18n.t('leave.text'),
        confirmLabel: i18n.t('leave.discard'),
        cancelLabel: i18n.t('leave.stay'),
        danger: true,
      }),
    notFound: () => ({
      title: i18n.t('error.notFoundPage'),
      node: h('section', { class: 'page' }, h('h1', { tabindex: '-1', text: i18n.t('error.notFoundPage') })),
    }),
    mount: (view, route) => {
      if (sessionEnded) return;
      if (!status.hidden && statusMounts < mounts) setStatus('');
      mounts += 1;
      router.activePage = route ? route.page : '';
      drawShell(router.activePage);
      doc.title = view.title ? `${view.title} – ${i18n.t('app.name')}` : i18n.t('app.name');
      replace(main, view.node);
      if (view.focus) {
        view.focus();
      } else {
        const heading = main.querySelector('h1');
        if (heading) {
          heading.setAttribute('tabindex', '-1');
          heading.focus();
        }
      }
    },
  });
  ctx.router = router;

  installShortcuts(win, { i18n, go: (hash) => router.navigate(hash) });

  win.addEventListener('beforeunload', (e) => {
    if (!sessionEnded && !router.canLeave()) e.preventDefault();
  });

  replace(root, header, backupWarning, h('div', { class: 'layout' }, nav, main), status);
  drawShell('');

  // The server's default language applies until the user picks one; knowing
  // it (and demo mode) before the first screen avoids a flash of the wrong one.
  api
    .app()
    .then((info) => {
      Object.assign(appInfo, info);
      if (!i18n.stored() && info.language) i18n.setLang(info.language, false);
    })
    .catch((err) => {
      if (!isAbort(err)) appInfo.error = err;
    })
    // The backup warning is placed before the first screen is drawn, so
    // that it does not push the screen down under the user's pointer; a
    // slow answer (a network share that hangs) does not hold the screen.
    .then(() => Promise.race([refreshBackupWarning(ctx), new Promise((r) => win.setTimeout(r, 1500))]))
    .finally(() => {
      if (sessionEnded) return;
      router.start();
      // The backup can fall behind, or its disk go away, while the app is open.
      win.setInterval(() => {
        if (!sessionEnded) refreshBackupWarning(ctx);
      }, 5 * 60 * 1000);
    });
}

boot(window);
