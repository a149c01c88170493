// Activation step 3, "HelseID": the environment, the client id from HelseID
// selvbetjening and the tenancy (the practice's own client or the vendor's).

import { h, say } from '../dom.js';

/** The step's form; "Neste" saves and goes on to the key. */
export function helseidStep(w) {
  const { t, message, values } = w;
  const status = w.status;
  const envs = (status && status.environments) || [];
  const envSelect = h(
    'select',
    { id: 'w-environment', class: 'input', name: 'environment' },
    envs.map((e) => h('option', { value: e.id, selected: e.id === values.environment, text: t(`pt.env.${e.id}`) })),
  );
  const envInfo = h('p', { class: 'hint', id: 'w-environment-hint' });
  const describeEnv = () => {
    const e = envs.find((x) => x.id === envSelect.value);
    envInfo.textContent = e ? t('pt.envUrls', { authority: e.authority || '–', api: e.apiBaseUrl || '–' }) : '';
  };
  envSelect.setAttribute('aria-describedby', envInfo.id);
  envSelect.addEventListener('change', () => {
    values.environment = envSelect.value;
    w.markDirty();
    describeEnv();
  });
  describeEnv();
  const tenancy = ['single', 'multi'].map((v) => {
    const id = `w-tenancy-${v}`;
    const input = h('input', { type: 'radio', name: 'tenancy', id, value: v, checked: values.tenancy === v });
    input.addEventListener('change', () => {
      if (input.checked) values.tenancy = v;
      w.markDirty();
    });
    return h('div', { class: 'radio radio-described' }, input, h('label', { htmlFor: id }, h('strong', { text: t(`pt.tenancy.${v}`) }), h('span', { class: 'hint block', text: t(`pt.tenancyHint.${v}`) })));
  });
  const form = h(
    'form',
    { class: 'card', id: 'wizard-helseid', novalidate: true },
    h('h2', { text: t('pt.step.helseid') }),
    h('p', { class: 'hint', text: t('pt.helseid.hint') }),
    h(
      'div',
      { class: 'grid grid-wide' },
      h('div', { class: 'field' }, h('label', { class: 'label', htmlFor: 'w-environment', text: t('pt.environment') }), envSelect, envInfo),
      w.textField('clientId', 'pt.clientId', { hint: t('pt.clientIdHint'), required: true }),
    ),
    h('fieldset', { class: 'fieldset-plain tenancy' }, h('legend', { text: t('pt.tenancy') }), tenancy),
    w.nav(h('button', { type: 'submit', class: 'button button-primary', id: 'wizard-next', text: t('pt.next') }), w.back('practice')),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    w.clearMarks();
    values.environment = envSelect.value;
    if (!values.clientId.trim()) {
      w.markField('clientId', t('pt.clientIdMissing'));
      say(message, 'error', t('form.fixFields'));
      document.getElementById('w-clientId').focus();
      return;
    }
    w.save({ helseid: { environment: values.environment, clientId: values.clientId.trim(), tenancy: values.tenancy } }, 'key');
  });
  return form;
}
