// The activation wizard: intro, practice, HelseID, key, delegation check,
// access check. This module holds what the steps share (the values typed,
// the step list, navigation, field helpers, saving); each step is its own
// module. Everything typed lives here for the whole wizard, so going back,
// forth or trying again never asks for it twice.

import { ApiError } from '../api.js';
import { h, replace, say } from '../dom.js';
import { accessStep } from './activation-access.js';
import { delegationStep } from './activation-delegation.js';
import { helseidStep } from './activation-helseid.js';
import { introStep } from './activation-intro.js';
import { keyStep } from './activation-key.js';
import { practiceStep } from './activation-practice.js';
import { busyIndicator, errorText, isQuiet } from './persontjenesten-common.js';

const DRAW = { intro: introStep, practice: practiceStep, helseid: helseidStep, key: keyStep, delegation: delegationStep, access: accessStep };
const STEPS = ['intro', 'practice', 'helseid', 'key', 'delegation', 'access'];

export function renderActivation(ctx, { query, signal }) {
  const { i18n } = ctx;
  const t = (k, v) => i18n.t(k, v);
  const pt = ctx.api.persontjenesten;

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
        // A finished step shows a check mark instead of its number and says
        // "ferdig" to screen readers: not told by colour alone.
        h(
          'li',
          { class: `wizard-step${i < at ? ' done' : ''}${i === at ? ' current' : ''}`, 'aria-current': i === at ? 'step' : null },
          h('span', { class: 'step-number', 'aria-hidden': i < at ? 'true' : null, text: i < at ? '✓' : String(i + 1) }),
          h('span', { text: t(`pt.step.${s}`) }),
          i < at ? h('span', { class: 'visually-hidden', text: ` (${t('pt.stepDone')})` }) : null,
        ),
      ),
    );
  }

  function show(next) {
    step = next;
    drawSteps();
    say(message, '', '');
    replace(panel, DRAW[step](w));
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

  // What every step gets: the typed values, the last status, the shared
  // message and busy indicator, navigation, and the field helpers.
  const w = {
    ctx,
    t,
    values,
    message,
    panel,
    busy,
    get status() {
      return status;
    },
    set status(s) {
      status = s;
    },
    markDirty() {
      dirty = true;
    },
    show,
    nav,
    back,
    textField,
    markField,
    clearMarks,
    save,
  };

  load();
  return {
    node,
    title: t('pt.activation.title'),
    canLeave: () => !dirty,
    destroy: () => busy.cancel(),
  };
}
