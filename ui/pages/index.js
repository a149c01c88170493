// The pages of the app, in menu order. A page is one module whose default
// export is:
//   {
//     id: 'settings',
//     nav: {labelKey, href} | null,        // entry in the left menu
//     messages: {nb: {...}, en: {...}},    // its texts
//     routes: [{path: '/settings', render(ctx, {params, query, signal}) -> view}],
//   }
// where view is {node, title, focus?(), canLeave?(), destroy?()} and ctx holds
// api, i18n, router, appInfo, setStatus(text), confirm(opts), redraw().
// Adding a page (Persontjenesten, Pasientportal, Logg) = one module + one line here.

import audit from './audit.js';
import backup from './backup.js';
import clients from './clients.js';
import importPage from './import.js';
import persontjenesten from './persontjenesten.js';
import portal from './portal.js';
import settings from './settings.js';

export const PAGES = [clients, persontjenesten, portal, settings, audit, importPage, backup];
