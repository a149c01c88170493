// The "Innstillinger" page: language, what version is running, and the way to
// the practice settings (Persontjenesten with its information parts, the log).

import { isAbort } from '../api.js';
import { h } from '../dom.js';
import { LANGUAGES } from '../i18n.js';

const nb = {
  'settings.nav': 'Innstillinger',
  'settings.title': 'Innstillinger',
  'settings.language': 'Språk',
  'settings.languageHint': 'Valget huskes i denne nettleseren.',
  'settings.about': 'Om Resepsjon',
  'settings.version': 'Versjon',
  'settings.mode': 'Modus',
  'settings.demo': 'Demo med syntetiske data',
  'settings.normal': 'Vanlig drift',
  'settings.unknown': 'Ukjent',
  'settings.languageChanged': 'Språket er endret til norsk bokmål.',
  'settings.practice': 'Virksomheten',
  'settings.pt': 'Persontjenesten',
  'settings.ptHint': 'Status for delegering og avtale, «Oppdater innstillinger» og hvilke opplysninger som hentes.',
  'settings.audit': 'Logg over oppslag',
  'settings.auditHint': 'Alle oppslag i Persontjenesten, med eksport til CSV.',
};

const en = {
  'settings.nav': 'Settings',
  'settings.title': 'Settings',
  'settings.language': 'Language',
  'settings.languageHint': 'The choice is remembered in this browser.',
  'settings.about': 'About Resepsjon',
  'settings.version': 'Version',
  'settings.mode': 'Mode',
  'settings.demo': 'Demo with synthetic data',
  'settings.normal': 'Normal operation',
  'settings.unknown': 'Unknown',
  'settings.languageChanged': 'The language is now English.',
  'settings.practice': 'The practice',
  'settings.pt': 'Person Service',
  'settings.ptHint': 'Status of delegation and agreement, “Refresh settings” and which information is fetched.',
  'settings.audit': 'Log of lookups',
  'settings.auditHint': 'Every lookup in the Person Service, with CSV export.',
};

function renderSettings(ctx, { signal }) {
  const { i18n, api, appInfo } = ctx;
  const t = (k, v) => i18n.t(k, v);

  const choices = LANGUAGES.map((l) => {
    const input = h('input', {
      type: 'radio',
      name: 'language',
      id: `lang-${l.code}`,
      value: l.code,
      checked: l.code === i18n.lang,
      // Each language is named in itself, so anyone can find their way back.
      lang: l.code,
    });
    input.addEventListener('change', () => {
      if (!input.checked) return;
      i18n.setLang(l.code);
      ctx.redraw();
      ctx.setStatus(t('settings.languageChanged'));
      const again = document.getElementById(`lang-${l.code}`);
      if (again) again.focus();
    });
    return h('div', { class: 'radio' }, input, h('label', { htmlFor: `lang-${l.code}`, lang: l.code, text: l.name }));
  });

  const version = h('dd', { id: 'app-version', text: appInfo.version || t('settings.unknown') });
  const mode = h('dd', { id: 'app-mode', text: modeText() });

  function modeText() {
    if (!appInfo.version) return t('settings.unknown');
    return t(appInfo.demo ? 'settings.demo' : 'settings.normal');
  }

  // The first load may have failed (server starting); ask again.
  if (!appInfo.version) {
    api
      .app(signal)
      .then((info) => {
        Object.assign(appInfo, info);
        version.textContent = info.version || t('settings.unknown');
        mode.textContent = modeText();
      })
      .catch((err) => {
        if (!isAbort(err)) version.textContent = t('settings.unknown');
      });
  }

  const node = h(
    'section',
    { class: 'page page-settings' },
    h('h1', { text: t('settings.title') }),
    h(
      'div',
      { class: 'card' },
      h(
        'fieldset',
        { class: 'fieldset-plain', 'aria-describedby': 'language-hint' },
        h('legend', { text: t('settings.language') }),
        choices,
        h('p', { class: 'hint', id: 'language-hint', text: t('settings.languageHint') }),
      ),
    ),
    h(
      'section',
      { class: 'card', id: 'settings-practice', 'aria-labelledby': 'practice-title' },
      h('h2', { id: 'practice-title', text: t('settings.practice') }),
      h(
        'ul',
        { class: 'settings-links' },
        h('li', {}, h('a', { href: '#/settings/persontjenesten', id: 'settings-pt', text: t('settings.pt') }), h('p', { class: 'hint', text: t('settings.ptHint') })),
        h('li', {}, h('a', { href: '#/settings/audit', id: 'settings-audit', text: t('settings.audit') }), h('p', { class: 'hint', text: t('settings.auditHint') })),
        h('li', {}, h('a', { href: '#/settings/import', id: 'settings-import', text: t('settings.import') }), h('p', { class: 'hint', text: t('settings.importHint') })),
        h('li', {}, h('a', { href: '#/settings/export', id: 'settings-export', text: t('settings.export') }), h('p', { class: 'hint', text: t('settings.exportHint') })),
        h('li', {}, h('a', { href: '#/settings/backup', id: 'settings-backup', text: t('settings.backup') }), h('p', { class: 'hint', text: t('settings.backupHint') })),
      ),
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'about-title' },
      h('h2', { id: 'about-title', text: t('settings.about') }),
      h(
        'dl',
        { class: 'fields' },
        h('div', { class: 'field-row' }, h('dt', { text: t('settings.version') }), version),
        h('div', { class: 'field-row' }, h('dt', { text: t('settings.mode') }), mode),
      ),
    ),
  );

  return { node, title: t('settings.title') };
}

export default {
  id: 'settings',
  nav: { labelKey: 'settings.nav', href: '#/settings' },
  messages: { nb, en },
  routes: [{ path: '/settings', render: renderSettings }],
};
