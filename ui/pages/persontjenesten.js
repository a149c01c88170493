// The "Persontjenesten" page: the status page (persontjenesten-status.js)
// and the activation wizard (activation.js, one module per step).

import { renderActivation } from './activation.js';
import { feedTexts } from './persontjenesten-feed.js';
import { renderStatus } from './persontjenesten-status.js';
import { en, nb } from './persontjenesten-texts.js';

export default {
  id: 'persontjenesten',
  nav: { labelKey: 'pt.nav', href: '#/persontjenesten' },
  messages: { nb: { ...nb, ...feedTexts.nb }, en: { ...en, ...feedTexts.en } },
  routes: [
    { path: '/persontjenesten', render: renderStatus },
    { path: '/settings/persontjenesten', render: renderStatus },
    { path: '/persontjenesten/activate', render: renderActivation },
  ],
};
