// The "Persontjenesten" page: activation (intro, practice, HelseID, key,
// delegation check, access check) and, once set up, the settings: both
// statuses with the time last checked, "Oppdater innstillinger", the
// information parts fetched, and deactivation.

import { ApiError } from '../api.js';
import { h, messageBox, replace, say } from '../dom.js';
import { formatDateTime } from '../format.js';
import { busyIndicator, errorText, isQuiet, ptApi } from './persontjenesten-common.js';
import { bulkCard } from './persontjenesten-bulk.js';
import { en, nb } from './persontjenesten-texts.js';

/** True for a 9-digit organisation number with a valid mod-11 check digit. */
export function validOrgNumber(s) {
  if (!/^\d{9}$/.test(s)) return false;
  const w = [3, 2, 7, 6, 5, 4, 3, 2];
  const sum = w.reduce((acc, x, i) => acc + x * Number(s[i]), 0);
  let check = 11 - (sum % 11);
  if (check === 11) check = 0;
  return check !== 10 && check === Number(s[8]);
}

/** One check's state as a small badge plus when it was last checked. */
function checkRow(t, id, labelKey, check) {
  const state = (check && check.state) || 'unchecked';
  const badge = h('span', { class: `state state-${state}`, id: `${id}-state`, text: t(`pt.state.${state}`) });
  const when = check && check.checkedAt ? t('pt.checkedAt', { time: formatDateTime(check.checkedAt) }) : t('pt.neverChecked');
  const parts = [h('div', { class: 'check-head' }, h('h3', { text: t(labelKey) }), badge), h('p', { class: 'hint', id: `${id}-checked`, text: when })];
  if (state === 'failed') parts.push(failure(t, id, check));
  if (state === 'ok' && check.lastAttempt) parts.push(lastAttempt(t, id, check));
  return h('div', { class: `check check-${state}`, id }, parts);
}

/** A later check that could not reach the service: the state above is the last one confirmed. */
function lastAttempt(t, id, check) {
  const a = check.lastAttempt;
  const text = t('pt.lastAttempt', { message: (a.message || t('error.generic')).replace(/\.$/, ''), time: formatDateTime(check.checkedAt) });
  return h('div', { class: 'stored-note', id: `${id}-attempt`, role: 'status' }, h('p', { text }), a.help ? h('p', { class: 'hint', text: a.help }) : null);
}

/** A failed check: what went wrong, what to do, where to fix it. */
export function failure(t, id, check) {
  const link = check.link ? h('a', { href: check.link, target: '_blank', rel: 'noopener noreferrer', id: `${id}-link`, text: t('pt.fixLink', { host: hostOf(check.link) }) }) : null;
  return h(
    'div',
    { class: 'message message-error', id: `${id}-failure`, role: 'alert' },
    h('p', { class: 'failure-message', text: check.message || t('error.generic') }),
    check.help ? h('p', { class: 'failure-help', text: check.help }) : null,
    link ? h('p', {}, link) : null,
  );
}

function hostOf(url) {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

// ---------- Status and settings ----------

function renderStatus(ctx, { signal }) {
  const { i18n, router } = ctx;
  const t = (k, v) => i18n.t(k, v);
  const pt = ptApi(ctx.api);

  const heading = h('h1', { tabindex: '-1', text: t('pt.title') });
  const message = h('div', { class: 'page-message', id: 'pt-message', tabindex: '-1' });
  const body = h('div', { class: 'pt-body', 'aria-busy': 'true' }, h('p', { class: 'muted', text: t('common.loading') }));
  const node = h('section', { class: 'page page-pt' }, heading, message, body);
  const busy = busyIndicator(t, 'pt-busy');

  async function load() {
    try {
      draw(await pt.status(signal));
    } catch (err) {
      if (isQuiet(err)) return;
      body.removeAttribute('aria-busy');
      replace(body);
      say(message, 'error', errorText(t, err), h('div', { class: 'message-actions' }, h('button', { type: 'button', class: 'button', text: t('common.retry'), on: { click: load } })));
    }
  }

  function draw(s) {
    body.removeAttribute('aria-busy');
    const configured = Boolean(s.practice && s.practice.orgNumber) || Boolean(s.helseid && s.helseid.clientId);
    if (!s.activated && !configured) {
      replace(body, intro(t, true));
      return;
    }
    const refresh = h('button', { type: 'button', class: 'button button-primary', id: 'pt-refresh', text: t('pt.refresh') });
    refresh.addEventListener('click', async () => {
      const sig = busy.start(t('pt.checking'));
      refresh.disabled = true;
      say(message, '', '');
      try {
        const next = await pt.refresh(sig);
        draw(next);
        ctx.setStatus(t(next.activated ? 'pt.refreshedOk' : 'pt.refreshedFailed'));
        document.getElementById('pt-refresh')?.focus();
      } catch (err) {
        if (isQuiet(err)) return;
        say(message, 'error', errorText(t, err));
        message.focus();
      } finally {
        busy.stop();
        refresh.disabled = false;
      }
    });

    const status = h(
      'section',
      { class: 'card', id: 'pt-status', 'aria-labelledby': 'pt-status-title' },
      h('h2', { id: 'pt-status-title', text: t('pt.statusTitle') }),
      h('p', { class: `pt-overall ${s.activated ? 'pt-overall-ok' : 'pt-overall-off'}`, id: 'pt-overall', text: t(s.activated ? 'pt.activeText' : 'pt.inactiveText') }),
      h('div', { class: 'checks' }, checkRow(t, 'pt-delegation', 'pt.delegation', s.delegation), checkRow(t, 'pt-access', 'pt.access', s.access)),
      h(
        'div',
        { class: 'actions' },
        refresh,
        s.activated ? null : h('a', { class: 'button', id: 'pt-continue', href: '#/persontjenesten/activate', text: t('pt.continueActivation') }),
      ),
      busy.node,
    );

    const p = s.practice || {};
    const hid = s.helseid || {};
    const row = (label, value, id) => h('div', { class: 'field-row' }, h('dt', { text: label }), h('dd', { id, class: value ? '' : 'muted', text: value || '–' }));
    const setup = h(
      'section',
      { class: 'card', id: 'pt-setup', 'aria-labelledby': 'pt-setup-title' },
      h('h2', { id: 'pt-setup-title', text: t('pt.setupTitle') }),
      h(
        'dl',
        { class: 'fields' },
        row(t('pt.orgNumber'), p.orgNumber, 'pt-org'),
        row(t('pt.subOrgNumber'), p.subOrgNumber, 'pt-suborg'),
        row(t('pt.practiceName'), p.name, 'pt-name'),
        row(t('pt.environment'), hid.environment ? t(`pt.env.${hid.environment}`) : '', 'pt-env'),
        row(t('pt.clientId'), hid.clientId, 'pt-clientid'),
        row(t('pt.tenancy'), hid.tenancy ? t(`pt.tenancy.${hid.tenancy}`) : '', 'pt-tenancy'),
        row(t('pt.keyId'), hid.keyId ? `${hid.keyId}${hid.alg ? ` (${hid.alg})` : ''}` : '', 'pt-keyid'),
      ),
      h('p', { class: 'hint', text: t('pt.setupHint') }),
      h('div', { class: 'actions' }, h('a', { class: 'button', id: 'pt-change', href: '#/persontjenesten/activate?step=practice', text: t('pt.change') })),
    );

    replace(body, status, s.activated ? bulkCard(ctx, { signal }) : null, setup, partsCard(s), hid.keyId || s.activated ? deactivateCard(s) : null);
  }

  function partsCard(s) {
    const chosen = new Set(s.informationParts || []);
    const defaults = new Set(s.defaultParts || []);
    const available = s.availableParts || [];
    const box = (part) => {
      const id = `pt-part-${part}`;
      const label = t(`pt.part.${part}`);
      return h(
        'div',
        { class: 'check-option' },
        h('input', { type: 'checkbox', id, value: part, checked: chosen.has(part) }),
        h('label', { htmlFor: id, title: part, text: label === `pt.part.${part}` ? part : label }),
      );
    };
    const group = (key, parts) =>
      parts.length ? h('fieldset', { class: 'fieldset-plain parts-group' }, h('legend', { text: t(key) }), h('div', { class: 'parts' }, parts.map(box))) : null;
    const fieldset = h(
      'div',
      { class: 'parts-all' },
      group('pt.parts.defaultGroup', available.filter((p) => defaults.has(p))),
      group('pt.parts.otherGroup', available.filter((p) => !defaults.has(p))),
    );
    const note = h('div', { class: 'page-message', id: 'pt-parts-message' });
    const save = h('button', { type: 'button', class: 'button button-primary', id: 'pt-parts-save', text: t('pt.parts.save') });
    const reset = h('button', { type: 'button', class: 'button', id: 'pt-parts-default', text: t('pt.parts.default') });
    reset.addEventListener('click', () => {
      const def = new Set(s.defaultParts || []);
      for (const box of fieldset.querySelectorAll('input[type=checkbox]')) box.checked = def.has(box.value);
      say(note, 'info', t('pt.parts.defaultSet'));
    });
    save.addEventListener('click', async () => {
      const parts = [...fieldset.querySelectorAll('input[type=checkbox]')].filter((b) => b.checked).map((b) => b.value);
      if (!parts.length) {
        say(note, 'error', t('pt.parts.none'));
        return;
      }
      try {
        await pt.saveSettings({ informationParts: parts }, signal);
        say(note, 'info', t('pt.parts.saved', { n: parts.length }));
      } catch (err) {
        if (isQuiet(err)) return;
        say(note, 'error', errorText(t, err));
      }
    });
    return h(
      'section',
      { class: 'card', id: 'pt-parts', 'aria-labelledby': 'pt-parts-title' },
      h('h2', { id: 'pt-parts-title', text: t('pt.parts.title') }),
      h('p', { class: 'hint', text: t('pt.parts.hint') }),
      fieldset,
      note,
      h('div', { class: 'actions' }, save, reset),
    );
  }

  function deactivateCard() {
    const button = h('button', { type: 'button', class: 'button button-danger-outline', id: 'pt-deactivate', text: t('pt.deactivate') });
    button.addEventListener('click', async () => {
      const ok = await ctx.confirm({
        id: 'pt-deactivate-dialog',
        title: t('pt.deactivateTitle'),
        text: t('pt.deactivateText'),
        confirmLabel: t('pt.deactivateConfirm'),
        cancelLabel: t('common.cancel'),
        danger: true,
      });
      if (!ok) return;
      try {
        await pt.deactivate(signal);
        ctx.setStatus(t('pt.deactivated'));
        router.navigate('#/persontjenesten', { replace: true, force: true });
      } catch (err) {
        if (isQuiet(err)) return;
        say(message, 'error', errorText(t, err));
        message.focus();
      }
    });
    return h(
      'section',
      { class: 'card', id: 'pt-deactivate-card', 'aria-labelledby': 'pt-deactivate-title' },
      h('h2', { id: 'pt-deactivate-title', text: t('pt.deactivateHeading') }),
      h('p', { class: 'hint', text: t('pt.deactivateHint') }),
      button,
    );
  }

  load();
  return { node, title: t('pt.title') };
}

/** What Persontjenesten is and what the practice needs; withStart adds the button. */
function intro(t, withStart) {
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

// ---------- Activation ----------

const STEPS = ['intro', 'practice', 'helseid', 'key', 'delegation', 'access'];

function renderActivation(ctx, { query, signal }) {
  const { i18n, router } = ctx;
  const t = (k, v) => i18n.t(k, v);
  const pt = ptApi(ctx.api);

  // Everything typed lives here for the whole wizard, so going back, forth or
  // trying again never asks for it twice.
  const values = {
    orgNumber: '',
    subOrgNumber: '',
    name: '',
    environment: '',
    clientId: '',
    tenancy: 'single',
    alg: 'ES256',
    importText: '',
  };
  let status = null;
  let step = STEPS.includes(query.get('step')) ? query.get('step') : 'intro';
  let dirty = false;

  const heading = h('h1', { tabindex: '-1', text: t('pt.activation.title') });
  const stepsNav = h('ol', { class: 'wizard-steps', id: 'wizard-steps', 'aria-label': t('pt.activation.stepsLabel') });
  const message = h('div', { class: 'page-message', id: 'wizard-message', tabindex: '-1' });
  const panel = h('div', { class: 'wizard-panel', id: 'wizard-panel' }, h('p', { class: 'muted', text: t('common.loading') }));
  const busy = busyIndicator(t, 'wizard-busy');
  const node = h('section', { class: 'page page-wizard' }, h('p', { class: 'back' }, h('a', { href: '#/persontjenesten', class: 'back-link', text: `← ${t('pt.title')}` })), heading, stepsNav, busy.node, message, panel);

  async function load() {
    try {
      status = await pt.status(signal);
      const p = status.practice || {};
      const hid = status.helseid || {};
      Object.assign(values, {
        orgNumber: p.orgNumber || '',
        subOrgNumber: p.subOrgNumber || '',
        name: p.name || '',
        environment: hid.environment || (status.environments && status.environments[0] && status.environments[0].id) || 'test',
        clientId: hid.clientId || '',
        tenancy: hid.tenancy || 'single',
      });
      show(step);
    } catch (err) {
      if (isQuiet(err)) return;
      replace(panel);
      say(message, 'error', errorText(t, err), h('div', { class: 'message-actions' }, h('button', { type: 'button', class: 'button', text: t('common.retry'), on: { click: load } })));
    }
  }

  function drawSteps() {
    const at = STEPS.indexOf(step);
    replace(
      stepsNav,
      STEPS.map((s, i) =>
        h('li', { class: `wizard-step${i < at ? ' done' : ''}${i === at ? ' current' : ''}`, 'aria-current': i === at ? 'step' : null }, h('span', { class: 'step-number', text: String(i + 1) }), h('span', { text: t(`pt.step.${s}`) })),
      ),
    );
  }

  function show(next) {
    step = next;
    drawSteps();
    say(message, '', '');
    const draw = { intro: drawIntro, practice: drawPractice, helseid: drawHelseID, key: drawKey, delegation: drawDelegation, access: drawAccess }[step];
    replace(panel, draw());
    // The key step starts with the key to copy: keep the top in view.
    const first = step === 'key' ? null : panel.querySelector('input:not([type=hidden]), select, textarea, .wizard-focus');
    (first || heading).focus();
  }

  function nav(...buttons) {
    return h('div', { class: 'form-actions wizard-actions' }, buttons);
  }

  function back(to) {
    return h('button', { type: 'button', class: 'button', id: 'wizard-back', text: t('pt.back'), on: { click: () => show(to) } });
  }

  function textField(name, labelKey, { hint = '', inputmode = null, required = false } = {}) {
    const id = `w-${name}`;
    const input = h('input', { id, name, class: 'input', type: 'text', autocomplete: 'off', spellcheck: 'false', inputmode, value: values[name], 'aria-required': required ? 'true' : null });
    input.addEventListener('input', () => {
      values[name] = input.value;
      dirty = true;
    });
    const hintEl = hint ? h('p', { class: 'hint', id: `${id}-hint`, text: hint }) : null;
    if (hintEl) input.setAttribute('aria-describedby', hintEl.id);
    const err = h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
    return h('div', { class: 'field', dataset: { field: name } }, h('label', { class: 'label', htmlFor: id }, t(labelKey), required ? h('span', { class: 'required', text: ` (${t('form.required')})` }) : null), input, hintEl, err);
  }

  function markField(name, text) {
    const input = document.getElementById(`w-${name}`);
    const err = document.getElementById(`w-${name}-error`);
    if (!input || !err) return false;
    err.textContent = text;
    err.hidden = false;
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', [document.getElementById(`w-${name}-hint`)?.id, err.id].filter(Boolean).join(' '));
    return true;
  }

  function clearMarks() {
    for (const err of panel.querySelectorAll('.field-error')) {
      err.hidden = true;
      err.textContent = '';
    }
    for (const input of panel.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
  }

  /** Shows a failed save: field errors beside the fields, the rest above. */
  function showSaveError(err) {
    if (err instanceof ApiError && err.code === 'invalid_input') {
      const other = [];
      let first = null;
      for (const [key, text] of Object.entries(err.fields || {})) {
        const name = key.split('.').pop();
        if (markField(name, text)) first = first || document.getElementById(`w-${name}`);
        else other.push(text);
      }
      say(message, 'error', err.serverMessage || t('form.fixFields'), other.length ? h('ul', {}, other.map((x) => h('li', { text: x }))) : null);
      (first || message).focus();
      return;
    }
    say(message, 'error', errorText(t, err));
    message.focus();
  }

  async function save(body, next) {
    const sig = busy.start(t('pt.saving'));
    try {
      status = await pt.saveSettings(body, sig);
      dirty = false;
      show(next);
    } catch (err) {
      if (!isQuiet(err)) showSaveError(err);
    } finally {
      busy.stop();
    }
  }

  function drawIntro() {
    const start = h('button', { type: 'button', class: 'button button-primary', id: 'wizard-next', text: t('pt.start'), on: { click: () => show('practice') } });
    return h('div', {}, intro(t, false), nav(start));
  }

  function drawPractice() {
    const form = h(
      'form',
      { class: 'card', id: 'wizard-practice', novalidate: true },
      h('h2', { text: t('pt.step.practice') }),
      h('p', { class: 'hint', text: t('pt.practice.hint') }),
      h(
        'div',
        { class: 'grid' },
        textField('orgNumber', 'pt.orgNumber', { hint: t('pt.orgNumberHint'), inputmode: 'numeric', required: true }),
        textField('subOrgNumber', 'pt.subOrgNumber', { hint: t('pt.subOrgNumberHint'), inputmode: 'numeric' }),
        textField('name', 'pt.practiceName'),
      ),
      demoOrganisations(),
      nav(h('button', { type: 'submit', class: 'button button-primary', id: 'wizard-next', text: t('pt.next') }), back('intro')),
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      clearMarks();
      const org = values.orgNumber.replace(/\s+/g, '');
      const sub = values.subOrgNumber.replace(/\s+/g, '');
      let bad = false;
      if (!validOrgNumber(org)) bad = markField('orgNumber', t(org ? 'pt.orgNumberInvalid' : 'pt.orgNumberMissing')) || true;
      if (sub && !validOrgNumber(sub)) bad = markField('subOrgNumber', t('pt.orgNumberInvalid')) || true;
      if (bad) {
        say(message, 'error', t('form.fixFields'));
        panel.querySelector('[aria-invalid=true]').focus();
        return;
      }
      save({ practice: { orgNumber: org, subOrgNumber: sub, name: values.name.trim() } }, 'helseid');
    });
    return form;
  }

  /** In the demo: the mock's organisation numbers, to try each outcome. */
  function demoOrganisations() {
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

  function drawHelseID() {
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
      dirty = true;
      describeEnv();
    });
    describeEnv();
    const tenancy = ['single', 'multi'].map((v) => {
      const id = `w-tenancy-${v}`;
      const input = h('input', { type: 'radio', name: 'tenancy', id, value: v, checked: values.tenancy === v });
      input.addEventListener('change', () => {
        if (input.checked) values.tenancy = v;
        dirty = true;
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
        { class: 'grid' },
        h('div', { class: 'field' }, h('label', { class: 'label', htmlFor: 'w-environment', text: t('pt.environment') }), envSelect, envInfo),
        textField('clientId', 'pt.clientId', { hint: t('pt.clientIdHint'), required: true }),
      ),
      h('fieldset', { class: 'fieldset-plain tenancy' }, h('legend', { text: t('pt.tenancy') }), tenancy),
      nav(h('button', { type: 'submit', class: 'button button-primary', id: 'wizard-next', text: t('pt.next') }), back('practice')),
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      clearMarks();
      values.environment = envSelect.value;
      if (!values.clientId.trim()) {
        markField('clientId', t('pt.clientIdMissing'));
        say(message, 'error', t('form.fixFields'));
        document.getElementById('w-clientId').focus();
        return;
      }
      save({ helseid: { environment: values.environment, clientId: values.clientId.trim(), tenancy: values.tenancy } }, 'key');
    });
    return form;
  }

  function drawKey() {
    const hid = (status && status.helseid) || {};
    const keyBox = h('div', { id: 'key-box' });
    const next = h('button', { type: 'button', class: 'button button-primary', id: 'wizard-next', text: t('pt.checkNow'), disabled: !hid.keyId || Boolean(hid.keyError) });
    next.addEventListener('click', () => show('delegation'));

    function drawKeyBox(k) {
      if (!k || !k.keyId) {
        replace(keyBox, h('p', { class: 'muted', id: 'key-none', text: t('pt.key.none') }));
        next.disabled = true;
        return;
      }
      const jwkText = JSON.stringify(k.publicJwk || {}, null, 2);
      const pre = h('pre', { class: 'jwk', id: 'public-jwk', tabindex: '0', 'aria-label': t('pt.key.publicLabel') }, jwkText);
      const copy = h('button', { type: 'button', class: 'button', id: 'copy-jwk', text: t('pt.key.copy') });
      const download = h('button', { type: 'button', class: 'button', id: 'download-jwk', text: t('pt.key.download') });
      const copied = h('span', { class: 'hint', id: 'copy-result', role: 'status' });
      copy.addEventListener('click', async () => {
        try {
          await navigator.clipboard.writeText(jwkText);
          copied.textContent = t('pt.key.copied');
        } catch {
          // No clipboard permission: select the text so Ctrl+C works.
          const range = document.createRange();
          range.selectNodeContents(pre);
          const sel = window.getSelection();
          sel.removeAllRanges();
          sel.addRange(range);
          pre.focus();
          copied.textContent = t('pt.key.copyManually');
        }
      });
      download.addEventListener('click', () => {
        const url = URL.createObjectURL(new Blob([jwkText + '\n'], { type: 'application/json' }));
        const a = h('a', { href: url, download: `resepsjon-helseid-${k.keyId}.json`, hidden: true });
        document.body.append(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 1000);
      });
      replace(
        keyBox,
        h('p', { id: 'key-id' }, t('pt.key.current', { id: k.keyId, alg: k.alg || '' })),
        h('p', { class: 'hint', text: t('pt.key.register', { clientId: values.clientId || '–' }) }),
        pre,
        h('div', { class: 'actions' }, copy, download, copied),
      );
      next.disabled = false;
    }
    drawKeyBox(hid.keyId && !hid.keyError ? hid : null);
    if (hid.keyError) say(message, 'error', t(`pt.key.error.${hid.keyError}`));

    const alg = h(
      'select',
      { id: 'w-alg', class: 'input input-narrow' },
      ['ES256', 'RS256'].map((a) => h('option', { value: a, selected: values.alg === a, text: t(`pt.key.alg.${a}`) })),
    );
    alg.addEventListener('change', () => {
      values.alg = alg.value;
    });
    const generate = h('button', { type: 'button', class: 'button button-primary', id: 'generate-key', text: t(hid.keyId ? 'pt.key.generateNew' : 'pt.key.generate') });
    generate.addEventListener('click', async () => {
      if (status && status.helseid && status.helseid.keyId) {
        const ok = await ctx.confirm({ id: 'replace-key-dialog', title: t('pt.key.replaceTitle'), text: t('pt.key.replaceText'), confirmLabel: t('pt.key.replaceConfirm'), cancelLabel: t('common.cancel'), danger: true });
        if (!ok) return;
      }
      await sendKey({ generate: { alg: values.alg } });
    });

    const importArea = h('textarea', { id: 'w-import', class: 'input mono', rows: '6', spellcheck: 'false', 'aria-describedby': 'w-import-hint' });
    importArea.value = values.importText;
    importArea.addEventListener('input', () => {
      values.importText = importArea.value;
    });
    const file = h('input', { type: 'file', id: 'w-import-file', accept: '.json,.jwk,.pem,.key,application/json' });
    file.addEventListener('change', async () => {
      const f = file.files && file.files[0];
      if (!f) return;
      importArea.value = await f.text();
      values.importText = importArea.value;
    });
    const importButton = h('button', { type: 'button', class: 'button', id: 'import-key', text: t('pt.key.import') });
    importButton.addEventListener('click', () => {
      if (!values.importText.trim()) {
        say(message, 'error', t('pt.key.importEmpty'));
        importArea.focus();
        return;
      }
      sendKey({ import: { key: values.importText, alg: '' } });
    });

    async function sendKey(body) {
      const sig = busy.start(t(body.generate ? 'pt.key.generating' : 'pt.key.importing'));
      say(message, '', '');
      try {
        const k = await pt.key(body, sig);
        status = { ...status, helseid: { ...(status && status.helseid), keyId: k.keyId, alg: k.alg, publicJwk: k.publicJwk } };
        values.importText = '';
        importArea.value = '';
        drawKeyBox(k);
        say(message, 'info', t(body.generate ? 'pt.key.generated' : 'pt.key.imported'));
        document.getElementById('public-jwk')?.focus();
      } catch (err) {
        if (isQuiet(err)) return;
        say(message, 'error', errorText(t, err));
        message.focus();
      } finally {
        busy.stop();
      }
    }

    return h(
      'div',
      { class: 'card', id: 'wizard-key' },
      h('h2', { text: t('pt.step.key') }),
      h('p', { class: 'hint', text: t('pt.key.hint') }),
      keyBox,
      h(
        'div',
        { class: 'key-choices' },
        h('section', { class: 'key-choice', 'aria-labelledby': 'key-gen-title' }, h('h3', { id: 'key-gen-title', text: t('pt.key.genTitle') }), h('label', { class: 'label', htmlFor: 'w-alg', text: t('pt.key.algLabel') }), alg, h('div', { class: 'actions' }, generate)),
        h(
          'section',
          { class: 'key-choice', 'aria-labelledby': 'key-imp-title' },
          h('h3', { id: 'key-imp-title', text: t('pt.key.impTitle') }),
          h('label', { class: 'label', htmlFor: 'w-import', text: t('pt.key.importLabel') }),
          importArea,
          h('p', { class: 'hint', id: 'w-import-hint', text: t('pt.key.importHint') }),
          h('label', { class: 'label', htmlFor: 'w-import-file', text: t('pt.key.fileLabel') }),
          file,
          h('div', { class: 'actions' }, importButton),
        ),
      ),
      nav(next, back('helseid')),
    );
  }

  /** Runs both checks (the API does them in order) and shows the one asked for. */
  async function runChecks(which) {
    const holder = document.getElementById('check-result');
    const sig = busy.start(t(which === 'delegation' ? 'pt.checkingDelegation' : 'pt.checkingAccess'));
    say(message, '', '');
    replace(holder, h('p', { class: 'muted', text: t('pt.checking') }));
    try {
      status = await pt.activate(sig);
      drawCheck(which);
    } catch (err) {
      if (isQuiet(err)) {
        replace(holder, h('p', { class: 'muted', text: t('pt.checkCancelled') }), retryButton(which));
        return;
      }
      if (err instanceof ApiError && err.code === 'invalid_input') {
        replace(holder, messageBox('error', err.serverMessage || t('pt.incomplete'), incompleteList(err.fields), h('div', { class: 'message-actions' }, backButtonFor(err.fields))));
        return;
      }
      replace(holder, messageBox('error', errorText(t, err)), retryButton(which));
    } finally {
      busy.stop();
    }
  }

  function incompleteList(fields) {
    const items = Object.values(fields || {}).map((x) => h('li', { text: x }));
    return items.length ? h('ul', {}, items) : null;
  }

  function backButtonFor(fields) {
    const keys = Object.keys(fields || {});
    let to = 'key';
    if (keys.some((k) => k.startsWith('practice.'))) to = 'practice';
    else if (keys.some((k) => k === 'helseid.clientId' || k === 'helseid.environment' || k === 'helseid.tenancy')) to = 'helseid';
    return h('button', { type: 'button', class: 'button', id: 'fix-settings', text: t(`pt.goTo.${to}`), on: { click: () => show(to) } });
  }

  function retryButton(which) {
    return h('button', { type: 'button', class: 'button button-primary', id: 'wizard-retry', text: t('common.retry'), on: { click: () => runChecks(which) } });
  }

  function drawCheck(which) {
    const holder = document.getElementById('check-result');
    if (!holder) return;
    const check = (status && status[which]) || { state: 'unchecked' };
    if (which === 'access' && status.delegation && status.delegation.state !== 'ok') {
      // The access check needs a token; without delegation it never ran.
      show('delegation');
      return;
    }
    if (check.state === 'ok') {
      const ok = messageBox('ok', t(which === 'delegation' ? 'pt.delegationOk' : 'pt.accessOk'), h('p', { class: 'hint', text: t('pt.checkedAt', { time: formatDateTime(check.checkedAt) }) }));
      const actions =
        which === 'delegation'
          ? [h('button', { type: 'button', class: 'button button-primary wizard-focus', id: 'wizard-next', text: t('pt.next'), on: { click: () => show('access') } })]
          : [
              h('a', { class: 'button button-primary wizard-focus', id: 'wizard-done', href: '#/clients/new', text: t('pt.doneAddClient') }),
              h('a', { class: 'button', id: 'wizard-settings', href: '#/persontjenesten', text: t('pt.doneSettings') }),
            ];
      replace(holder, ok, which === 'access' ? h('p', { class: 'pt-activated', id: 'pt-activated', text: t('pt.activatedText') }) : null, nav(...actions));
      actions[0].focus();
      if (which === 'access') ctx.setStatus(t('pt.activatedStatus'));
      return;
    }
    const fix = h('button', { type: 'button', class: 'button', id: 'fix-settings', text: t('pt.changeSettings'), on: { click: () => show(which === 'delegation' ? 'helseid' : 'practice') } });
    replace(holder, check.state === 'failed' ? failure(t, `check-${which}`, check) : messageBox('info', t('pt.notChecked')), nav(retryButton(which), fix));
    holder.querySelector('#wizard-retry').focus();
  }

  function checkPanel(which) {
    const holder = h('div', { id: 'check-result', 'aria-live': 'polite' });
    return h(
      'div',
      { class: 'card', id: `wizard-${which}` },
      h('h2', { text: t(`pt.step.${which}`) }),
      h('p', { class: 'hint', text: t(`pt.${which}Explain`) }),
      holder,
    );
  }

  function drawDelegation() {
    const p = checkPanel('delegation');
    // Run after the panel is on screen.
    queueMicrotask(() => runChecks('delegation'));
    return p;
  }

  function drawAccess() {
    const p = checkPanel('access');
    queueMicrotask(() => {
      // The access check already ran together with the delegation check;
      // coming back here (or "Prøv igjen") runs both again.
      if (status && status.access && status.access.state !== 'unchecked' && status.delegation && status.delegation.state === 'ok') drawCheck('access');
      else runChecks('access');
    });
    return p;
  }

  load();
  return {
    node,
    title: t('pt.activation.title'),
    canLeave: () => !dirty,
    destroy: () => busy.cancel(),
  };
}

export default {
  id: 'persontjenesten',
  nav: { labelKey: 'pt.nav', href: '#/persontjenesten' },
  messages: { nb, en },
  routes: [
    { path: '/persontjenesten', render: renderStatus },
    { path: '/settings/persontjenesten', render: renderStatus },
    { path: '/persontjenesten/activate', render: renderActivation },
  ],
};
