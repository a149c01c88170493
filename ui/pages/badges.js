// Markers that must catch the eye wherever a client is shown: address
// protection and death.

import { h } from '../dom.js';
import { formatDate } from '../format.js';

/** The client's badges as a list of elements (possibly empty). */
export function clientBadges(i18n, c) {
  const badges = [];
  if (c.addressProtection === 'StrictlyConfidential') {
    badges.push(h('span', { class: 'badge badge-strict', text: i18n.t('badge.strict') }));
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
