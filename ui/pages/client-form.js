// Add and edit a client. The rule throughout: what the user typed is never
// lost without their say-so. Errors are shown beside the fields, a conflicting
// save shows the stored values next to the typed ones, and leaving with
// unsaved changes asks first (see router.js).

import { ApiError, errorText as apiErrorText, isAbort, SessionEndedError } from '../api.js';
import { h, replace, say as sayIn } from '../dom.js';
import { formatDate, formatNin, fullName } from '../format.js';
import { strictBanner } from './badges.js';
import { displayValue, EDITABLE, GROUPS, READ_ONLY } from './client-fields.js';
import { ninFacts } from '../nin.js';
import { withKey } from '../shortcuts.js';
import { persontjenestenFormActions } from './persontjenesten-form.js';
import { compare, sameNameAndBirth } from './client-form-conflict.js';
import { payloadFrom, textsOf } from './client-form-texts.js';

/**
 * Renders the form. id is the client's id when editing, null when adding.
 */
export function renderClientForm(ctx, { signal, query }, id) {
  const { api, i18n, router } = ctx;
  const t = (k, v) => i18n.t(k, v);
  const editing = id !== null;

  // The client as last read from the server: carries version and the
  // read-only fields through a save.
  let base = {};
  // The field texts as loaded, to tell whether anything was changed.
  let snapshot = null;
  let saving = false;
  let saved = false;
  // The user has seen the same-name-and-birth-date warning and saves anyway.
  let duplicateSeen = false;

  const inputs = {};
  const errors = {};
  const storedNotes = {};
  const hints = {};
  const changedNotes = {};

  const heading = h('h1', { tabindex: '-1', text: t(editing ? 'form.editTitle' : 'form.addTitle') });
  const message = h('div', { class: 'page-message', id: 'form-message', tabindex: '-1' });
  const registerBox = h('div', { class: 'register-box' });
  // Shown above the form whenever the address protection is "strengt fortrolig".
  const strict = strictBanner(i18n, 'form-strict-banner');
  strict.hidden = true;
  const saveButton = h('button', { type: 'submit', class: 'button button-primary', id: 'save', 'aria-keyshortcuts': 'Control+S', title: withKey(t('form.save'), 'save'), text: t('form.save') });
  const cancelLink = h('a', { class: 'button', id: 'cancel', href: editing ? `#/clients/${id}` : '#/clients', text: t('form.cancel') });

  const fieldsets = GROUPS.map((g) =>
    h('fieldset', { class: `card fieldset fieldset-${g.key}` }, h('legend', { text: t(`group.${g.key}`) }), h('div', { class: 'grid' }, g.fields.map(field))),
  );

  // Persontjenesten: "Søk i Persontjenesten" above the add form, "Oppdater via
  // Persontjenesten" at the bottom of the edit form. Both only fill the form.
  const persontjenesten = persontjenestenFormActions(ctx, {
    editing,
    id,
    query,
    signal,
    getBase: () => base,
    setBase: (c) => {
      base = { ...c };
      drawRegister();
    },
    readValues: () => readTexts(),
    setValues: (c, opts) => setValues(c, opts),
    setField: (name, value) => {
      if (!inputs[name]) return false;
      const texts = readTexts();
      texts[name] = textsOf({ [name]: value })[name];
      writeTexts(texts);
      return true;
    },
    markChanged: (names) => {
      for (const name of names) markChanged(name, t('form.changedNote'));
    },
    say: (kind, text) => (text ? say(kind, text) : replace(message)),
    focusFirst: () => inputs[EDITABLE[0].name].focus(),
  });

  const form = h(
    'form',
    { class: 'client-form', id: 'client-form', novalidate: true, hidden: editing, on: { submit } },
    persontjenesten.node,
    fieldsets,
    registerBox,
    h('div', { class: 'form-actions' }, saveButton, cancelLink),
  );
  const loading = h('p', { class: 'muted', text: t('common.loading'), hidden: !editing });
  const node = h('section', { class: 'page page-form' }, heading, strict, message, loading, form);

  function field(f) {
    const fid = `f-${f.name}`;
    // A group of one field named like the group (Notater) shows its heading
    // only; the label stays for screen readers.
    const solo = GROUPS.some((g) => g.fields.length === 1 && g.fields[0] === f && t(`group.${g.key}`) === t(`field.${f.name}`));
    const label = h('label', { htmlFor: fid, class: solo ? 'label visually-hidden' : 'label' }, t(`field.${f.name}`), f.required ? h('span', { class: 'required', text: ` (${t('form.required')})` }) : null);
    let input;
    const common = { id: fid, name: f.name, class: 'input', 'aria-required': f.required ? 'true' : null };
    if (f.kind === 'select') {
      input = h('select', common, f.options.map((o) => h('option', { value: o, text: t(`${f.labels}.${o}`) })));
    } else if (f.kind === 'textarea') {
      input = h('textarea', { ...common, rows: '5' });
    } else {
      const plain = f.kind === 'nin' || f.kind === 'date' || f.type === 'email' || f.type === 'tel' || f.inputmode;
      input = h('input', {
        ...common,
        type: f.type || 'text',
        autocomplete: 'off',
        inputmode: f.inputmode || (f.kind === 'date' ? 'numeric' : null),
        spellcheck: plain ? 'false' : null,
      });
    }
    let hintText = '';
    if (f.kind === 'date') hintText = t('form.dateHint');
    if (f.kind === 'nin') hintText = t('form.ninHint');
    if (f.name === 'addressProtection') hintText = t('form.strictHint');
    const hint = hintText ? h('p', { class: 'hint', id: `${fid}-hint`, text: hintText }) : null;
    if (f.kind === 'nin') input.addEventListener('change', () => fillFromNin(input.value));
    if (f.name === 'addressProtection') {
      // Only relevant for one choice; shown when it is made.
      hint.hidden = true;
      input.addEventListener('change', () => showStrict());
    }
    const error = h('p', { class: 'field-error', id: `${fid}-error`, hidden: true });
    const stored = h('p', { class: 'stored-note', id: `${fid}-stored`, hidden: true });
    const changed = h('p', { class: 'changed-note', id: `${fid}-changed`, hidden: true, text: t('form.changedNote') });
    changedNotes[f.name] = changed;
    inputs[f.name] = input;
    errors[f.name] = error;
    storedNotes[f.name] = stored;
    hints[f.name] = hint;
    describe(f.name);
    return h('div', { class: `field${f.wide ? ' field-wide' : ''}`, dataset: { field: f.name } }, label, input, hint, changed, error, stored);
  }

  /** A valid number fills birth date and gender where they are still empty. */
  function fillFromNin(text) {
    const facts = ninFacts(text);
    if (!facts.ok) return;
    const filled = [];
    if (!inputs.birthDate.value.trim()) {
      inputs.birthDate.value = formatDate(facts.birthDate);
      filled.push('birthDate');
    }
    if (!inputs.gender.value) {
      inputs.gender.value = facts.gender;
      filled.push('gender');
    }
    for (const name of filled) markChanged(name, t('form.fromNin'));
  }


  /** The strict-address hint and banner follow the address protection chosen. */
  function showStrict() {
    const on = inputs.addressProtection.value === 'StrictlyConfidential';
    hints.addressProtection.hidden = !on;
    strict.hidden = !on;
    describe('addressProtection');
  }

  /** Points aria-describedby at whatever help is visible for the field. */
  function describe(name) {
    const ids = [hints[name], changedNotes[name], errors[name], storedNotes[name]].filter((el) => el && !el.hidden).map((el) => el.id);
    if (ids.length) inputs[name].setAttribute('aria-describedby', ids.join(' '));
    else inputs[name].removeAttribute('aria-describedby');
  }

  /**
   * Marks a field the Persontjenesten update filled ("Ny fra Folkeregisteret")
   * until the form is saved or the receptionist types in it.
   */
  function markChanged(name, text = '') {
    const note = changedNotes[name];
    if (!note) return;
    if (text) note.textContent = text;
    note.hidden = false;
    note.parentElement.classList.add('field-changed');
    describe(name);
    inputs[name].addEventListener(
      'input',
      () => {
        note.hidden = true;
        note.parentElement.classList.remove('field-changed');
        describe(name);
      },
      { once: true },
    );
  }

  function readTexts() {
    const out = {};
    for (const f of EDITABLE) out[f.name] = inputs[f.name].value;
    return out;
  }

  function writeTexts(texts) {
    for (const f of EDITABLE) {
      const input = inputs[f.name];
      const v = texts[f.name];
      if (f.kind === 'select' && ![...input.options].some((o) => o.value === v)) {
        // A code this version does not know: keep it selectable rather than drop it.
        input.append(h('option', { value: v, text: v }));
      }
      input.value = v;
    }
    showStrict();
  }

  /**
   * Fills the form from c (a stored client, or later a draft from
   * Persontjenesten). keepBase=false makes c the new base (version, provenance).
   */
  function setValues(c, { keepBase = false } = {}) {
    if (!keepBase) base = { ...c };
    writeTexts(textsOf(c));
    drawRegister();
  }

  function isDirty() {
    if (!snapshot || saved) return false;
    const now = readTexts();
    return EDITABLE.some((f) => now[f.name] !== snapshot[f.name]);
  }

  function drawRegister() {
    // Registered and last changed exist only once the client is saved; a
    // draft from Persontjenesten carries zero times, which are never shown.
    const stored = Boolean(base.id);
    const present = READ_ONLY.filter((f) => (stored || (f !== 'createdAt' && f !== 'updatedAt')) && displayValue(i18n, f, base[f]) !== '');
    if (!present.length) {
      replace(registerBox);
      return;
    }
    replace(
      registerBox,
      h(
        'section',
        { class: 'card readonly', id: 'register-details', 'aria-labelledby': 'register-title' },
        h('h2', { id: 'register-title', text: t('group.register') }),
        h(
          'dl',
          { class: 'fields' },
          present.map((f) => h('div', { class: 'field-row', dataset: { field: f } }, h('dt', { text: t(`field.${f}`) }), h('dd', { text: displayValue(i18n, f, base[f]) }))),
        ),
      ),
    );
  }

  function clearFieldMarks() {
    for (const f of EDITABLE) {
      errors[f.name].hidden = true;
      errors[f.name].textContent = '';
      storedNotes[f.name].hidden = true;
      storedNotes[f.name].textContent = '';
      inputs[f.name].removeAttribute('aria-invalid');
      describe(f.name);
    }
  }

  /** Shows messages beside fields; returns the texts for fields the form does not have. */
  function markFields(fields) {
    const other = [];
    for (const [name, text] of Object.entries(fields || {})) {
      if (inputs[name]) {
        errors[name].textContent = text;
        errors[name].hidden = false;
        inputs[name].setAttribute('aria-invalid', 'true');
        describe(name);
      } else {
        const label = t(`field.${name}`);
        other.push(label === `field.${name}` ? text : `${label}: ${text}`);
      }
    }
    const first = EDITABLE.find((f) => fields && fields[f.name] && inputs[f.name]);
    return { other, first: first ? inputs[first.name] : null };
  }

  /** Shows a message above the form. kind: error | info. */
  const say = (kind, text, ...extra) => sayIn(message, kind, text, ...extra);
  const errorText = (err) => apiErrorText(t, err);

  async function submit(e) {
    e.preventDefault();
    if (saving) return;
    clearFieldMarks();
    replace(message);
    const { payload, bad } = payloadFrom(readTexts(), base, t);
    if (Object.keys(bad).length) {
      const { first } = markFields(bad);
      say('error', t('form.fixFields'));
      first.focus();
      return;
    }
    saving = true;
    form.setAttribute('aria-busy', 'true');
    saveButton.textContent = t('form.saving');
    try {
      if (!editing && !duplicateSeen) {
        const twins = await sameNameAndBirth(api, id, signal, payload);
        if (twins.length) {
          warnDuplicate(twins);
          return;
        }
      }
      const result = editing ? await api.updateClient(id, payload) : await api.createClient(payload);
      saved = true;
      router.navigate(`#/clients/${result.id}`, { replace: !editing });
      ctx.setStatus(t('clients.saved', { name: fullName(result) }));
    } catch (err) {
      failed(err);
    } finally {
      saving = false;
      form.removeAttribute('aria-busy');
      saveButton.textContent = t('form.save');
    }
  }

  /** Warns about a likely duplicate; "Lagre likevel" saves. */
  function warnDuplicate(twins) {
    const links = twins.map((c) => h('li', {}, h('a', { href: `#/clients/${c.id}`, class: 'duplicate-twin', text: `${fullName(c)}, ${formatDate(c.birthDate)}${c.nin ? ` (${formatNin(c.nin)})` : ''}` })));
    const anyway = h('button', {
      type: 'button',
      class: 'button',
      id: 'save-anyway',
      text: t('form.saveAnyway'),
      on: {
        click: () => {
          duplicateSeen = true;
          form.requestSubmit();
        },
      },
    });
    say('info', t('form.maybeDuplicate'), h('ul', { id: 'duplicate-twins' }, links), h('div', { class: 'message-actions' }, anyway));
    message.focus();
  }

  function failed(err) {
    if (err instanceof SessionEndedError) return;
    if (err instanceof ApiError && err.code === 'invalid_input') {
      const { other, first } = markFields(err.fields);
      say('error', err.serverMessage || t('form.fixFields'), other.length ? h('ul', {}, other.map((x) => h('li', { text: x }))) : null);
      (first || message).focus();
      return;
    }
    if (err instanceof ApiError && err.code === 'conflict') {
      const reload = h('button', { type: 'button', class: 'button', id: 'reload-stored', text: t('form.reload'), on: { click: () => compare(conflictView) } });
      say('error', t('form.conflict'), h('div', { class: 'message-actions' }, reload));
      reload.focus();
      return;
    }
    if (err instanceof ApiError && err.code === 'duplicate') {
      const link = err.existingId
        ? h('a', { href: `#/clients/${err.existingId}`, id: 'duplicate-link', text: t('form.duplicateLink') })
        : null;
      say('error', errorText(err), link ? h('p', {}, link) : null);
      (link || message).focus();
      return;
    }
    if (err instanceof ApiError && err.status === 404 && editing) {
      say('error', t('form.goneAway'));
      message.focus();
      return;
    }
    say('error', errorText(err));
    message.focus();
  }

  // What the conflict view (client-form-conflict.js) reads and changes.
  const conflictView = {
    api, id, signal, i18n, t, say, errorText, message, storedNotes, inputs, saveButton,
    describe, readTexts, writeTexts, drawRegister, clearFieldMarks, setValues,
    snapshot: () => snapshot,
    setSnapshot: (texts) => {
      snapshot = texts;
    },
    setBase: (c) => {
      base = { ...c };
    },
  };

  async function load() {
    try {
      const c = await api.getClient(id, signal);
      setValues(c);
      snapshot = readTexts();
      loading.hidden = true;
      form.hidden = false;
      document.title = `${t('form.editTitle')}: ${fullName(c)} – ${t('app.name')}`;
      if (!node.contains(document.activeElement) || document.activeElement === heading) inputs[EDITABLE[0].name].focus();
      persontjenesten.loaded(c);
    } catch (err) {
      if (isAbort(err) || err instanceof SessionEndedError) return;
      loading.hidden = true;
      if (err instanceof ApiError && err.status === 404) {
        say('error', t('client.notFound'), h('p', {}, h('a', { href: '#/clients', text: t('client.back') })));
      } else {
        say('error', errorText(err), h('div', { class: 'message-actions' }, h('button', { type: 'button', class: 'button', text: t('common.retry'), on: { click: () => { replace(message); loading.hidden = false; load(); } } })));
      }
    }
  }

  if (editing) {
    load();
  } else {
    setValues({});
    snapshot = readTexts();
  }

  return {
    node,
    title: t(editing ? 'form.editTitle' : 'form.addTitle'),
    focus: () => (form.hidden ? heading : inputs[EDITABLE[0].name]).focus(),
    canLeave: () => !isDirty(),
    setValues,
  };
}
