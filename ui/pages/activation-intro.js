// Activation step 1, "Om tjenesten": what Persontjenesten is and what the
// practice needs. The status page shows the same text before anything is set up.

import { h } from '../dom.js';

/** What Persontjenesten is and what the practice needs; withStart adds the button. */
export function intro(t, withStart) {
  return h(
    'section',
    { class: 'card pt-intro', id: 'pt-intro', 'aria-labelledby': 'pt-intro-title' },
    h('h2', { id: 'pt-intro-title', text: t('pt.intro.title') }),
    h('p', { text: t('pt.intro.what') }),
    h('h3', { text: t('pt.intro.needsTitle') }),
    h(
      'ul',
      { class: 'pt-needs' },
      h('li', { text: t('pt.intro.need.member') }),
      h('li', { text: t('pt.intro.need.access') }),
      h('li', { text: t('pt.intro.need.client') }),
    ),
    h('p', { class: 'hint', text: t('pt.intro.data') }),
    withStart ? h('div', { class: 'actions' }, h('a', { class: 'button button-primary', id: 'pt-start', href: '#/persontjenesten/activate', text: t('pt.activateNow') })) : null,
  );
}

/** The step: the intro and "Start". */
export function introStep(w) {
  const start = h('button', { type: 'button', class: 'button button-primary', id: 'wizard-next', text: w.t('pt.start'), on: { click: () => w.show('practice') } });
  return h('div', {}, intro(w.t, false), w.nav(start));
}
