// Texts in Norwegian bokmål (default) and English. The shell's texts live here;
// each page module brings its own texts (see pages/index.js), so adding a page
// does not mean editing this file.

/** Languages offered, in menu order. Each is named in its own language. */
export const LANGUAGES = [
  { code: 'nb', name: 'Norsk bokmål' },
  { code: 'en', name: 'English' },
];

const STORAGE_KEY = 'resepsjon.language';

const SHELL = {
  nb: {
    'app.name': 'Resepsjon',
    'app.demo': 'DEMO – syntetiske data',
    'nav.label': 'Hovedmeny',
    'skip.main': 'Gå til hovedinnhold',
    'session.title': 'Økten er utløpt',
    'session.text': 'Lukk denne fanen og start Resepsjon på nytt, for eksempel ved å dobbeltklikke på ikonet.',
    'error.network': 'Fikk ikke kontakt med Resepsjon. Sjekk at programmet kjører, og prøv igjen.',
    'error.timeout': 'Resepsjon svarte ikke i tide. Vent litt og prøv igjen.',
    'error.generic': 'Noe gikk galt. Prøv igjen, og start Resepsjon på nytt hvis det ikke hjelper.',
    'error.notFoundPage': 'Denne siden finnes ikke.',
    'common.loading': 'Laster …',
    'common.retry': 'Prøv igjen',
    'common.cancel': 'Avbryt',
    'common.close': 'Lukk',
    'leave.title': 'Endringene er ikke lagret',
    'leave.text': 'Du har endringer som ikke er lagret. Vil du forkaste dem?',
    'leave.discard': 'Forkast endringene',
    'leave.stay': 'Fortsett å redigere',
  },
  en: {
    'app.name': 'Resepsjon',
    'app.demo': 'DEMO – synthetic data',
    'nav.label': 'Main menu',
    'skip.main': 'Skip to main content',
    'session.title': 'The session has ended',
    'session.text': 'Close this tab and start Resepsjon again, for example by double-clicking its icon.',
    'error.network': 'Could not reach Resepsjon. Check that the program is running and try again.',
    'error.timeout': 'Resepsjon did not answer in time. Wait a moment and try again.',
    'error.generic': 'Something went wrong. Try again, and restart Resepsjon if that does not help.',
    'error.notFoundPage': 'This page does not exist.',
    'common.loading': 'Loading …',
    'common.retry': 'Try again',
    'common.cancel': 'Cancel',
    'common.close': 'Close',
    'leave.title': 'Changes not saved',
    'leave.text': 'You have changes that are not saved. Do you want to discard them?',
    'leave.discard': 'Discard changes',
    'leave.stay': 'Keep editing',
  },
};

/** Translations plus the chosen language, remembered in storage. */
export class I18n {
  /**
   * storage: window.localStorage (or anything with getItem/setItem); it may
   * throw when the browser blocks storage, and the choice then lasts only for
   * this page load.
   */
  constructor(storage) {
    this.storage = storage;
    this.messages = { nb: { ...SHELL.nb }, en: { ...SHELL.en } };
    this.current = this.stored() || 'nb';
  }

  /** The language the user chose earlier, or "" when none. */
  stored() {
    try {
      const v = this.storage.getItem(STORAGE_KEY);
      return LANGUAGES.some((l) => l.code === v) ? v : '';
    } catch {
      return '';
    }
  }

  get lang() {
    return this.current;
  }

  /** Switches language; remember=false applies a default without storing it. */
  setLang(code, remember = true) {
    if (!LANGUAGES.some((l) => l.code === code)) return;
    this.current = code;
    if (remember) {
      try {
        this.storage.setItem(STORAGE_KEY, code);
      } catch {
        // Blocked storage: the switch still works for this page load.
      }
    }
  }

  /** Adds a page's texts: {nb: {...}, en: {...}}. */
  add(messages) {
    for (const { code } of LANGUAGES) Object.assign(this.messages[code], messages[code] || {});
  }

  /**
   * The text for key in the current language, with {name} placeholders filled
   * from vars. A missing English text falls back to bokmål, a missing key shows
   * the key so it is noticed.
   */
  t(key, vars = {}) {
    const text = this.messages[this.current][key] ?? this.messages.nb[key] ?? key;
    return text.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
  }
}
