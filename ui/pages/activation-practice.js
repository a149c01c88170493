// Activation step 2, "Virksomheten": organisation number (checked at once
// with the mod-11 check digit), sub-organisation number and practice name.

import { h, say } from '../dom.js';
import { validOrgNumber } from '../orgnr.js';

/** The step's form; "Neste" saves and goes on to HelseID. */
export function practiceStep(w) {
  const { t, message, panel, values } = w;
  const form = h(
    'form',
    { class: 'card', id: 'wizard-practice', novalidate: true },
    h('h2', { text: t('pt.step.practice') }),
    h('p', { class: 'hint', text: t('pt.practice.hint') }),
    h(
      'div',
      { class: 'grid' },
      w.textField('orgNumber', 'pt.orgNumber', { hint: t('pt.orgNumberHint'), inputmode: 'numeric', required: true }),
      w.textField('subOrgNumber', 'pt.subOrgNumber', { hint: t('pt.subOrgNumberHint'), inputmode: 'numeric' }),
      w.textField('name', 'pt.practiceName'),
    ),
    demoOrganisations(w),
    w.nav(h('button', { type: 'submit', class: 'button button-primary', id: 'wizard-next', text: t('pt.next') }), w.back('intro')),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    w.clearMarks();
    const org = values.orgNumber.replace(/\s+/g, '');
    const sub = values.subOrgNumber.replace(/\s+/g, '');
    let bad = false;
    if (!validOrgNumber(org)) bad = w.markField('orgNumber', t(org ? 'pt.orgNumberInvalid' : 'pt.orgNumberMissing')) || true;
    if (sub && !validOrgNumber(sub)) bad = w.markField('subOrgNumber', t('pt.orgNumberInvalid')) || true;
    if (bad) {
      say(message, 'error', t('form.fixFields'));
      panel.querySelector('[aria-invalid=true]').focus();
      return;
    }
    w.save({ practice: { orgNumber: org, subOrgNumber: sub, name: values.name.trim() } }, 'helseid');
  });
  return form;
}

/** In the demo: the mock's organisation numbers, to try each outcome. */
function demoOrganisations(w) {
  const { t, status } = w;
  const orgs = (status && status.demoOrganisations) || [];
  if (!orgs.length) return null;
  return h(
    'div',
    { class: 'demo-orgs', id: 'demo-orgs' },
    h('p', { class: 'hint', text: t('pt.demoOrgs') }),
    h(
      'ul',
      {},
      orgs.map((o) => {
        const label = t(`pt.demoOrg.${o.purpose}`);
        return h('li', {}, h('span', { class: 'mono', text: o.orgNumber }), ` – ${label === `pt.demoOrg.${o.purpose}` ? o.purpose : label}`);
      }),
    ),
  );
}
