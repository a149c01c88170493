// Markers that must catch the eye wherever a client is shown: address
// protection and death.

import { h } from '../dom.js';
import { formatDate } from '../format.js';

/** The client's badges as a list of elements (possibly empty). */
export function clientBadges(i18n, c) {
  const badges = [];
  if (c.addressProtection === 'StrictlyConfidential') {
    badges.push(h('span', { class: 'badge badge-strict' }, h('span', { 'aria-hidden': 'true', text: '⚠ ' }), i18n.t('badge.strict')));
  } else if (c.addressProtection === 'Confidential') {
    badges.push(h('span', { class: 'badge badge-confidential', text: i18n.t('badge.confidential') }));
  }
  if (c.deathDate) {
    badges.push(h('span', { class: 'badge badge-deceased', text: i18n.t('badge.deceasedOn', { date: formatDate(c.deathDate) }) }));
  } else if (c.status === 'Deceased') {
    badges.push(h('span', { class: 'badge badge-deceased', text: i18n.t('badge.deceased') }));
  }
  return badges;
}

/**
 * The unmissable marker of a strictly confidential address: what it means
 * for the desk, not only the code. id tells the card's and the form's apart.
 */
export function strictBanner(i18n, id) {
  return h(
    'div',
    { class: 'strict-banner', id, role: 'note' },
    h('span', { class: 'strict-icon', 'aria-hidden': 'true', text: '⚠' }),
    h('div', {}, h('p', { class: 'strict-title', text: i18n.t('badge.strict') }), h('p', { text: i18n.t('client.strictRules') })),
  );
}
