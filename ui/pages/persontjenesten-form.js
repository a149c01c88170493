// Persontjenesten in the client form: the "Søk i Persontjenesten" link of
// Legg til klient and the "Oppdater via Persontjenesten" button of Rediger
// klient. Both only fill the form; the receptionist looks it over and saves.
// Phone, e-mail and notes the receptionist typed are never replaced without a
// visible, checked change.

import { modal } from '../dialog.js';
import { h, say } from '../dom.js';
import { withKey } from '../shortcuts.js';
import { busyIndicator, errorText, isNotActivated, isQuiet, notActivatedDialog } from './persontjenesten-common.js';
import { openPersonSearch } from './persontjenesten-search.js';
import { displayValue } from './client-fields.js';

/** Fields the practice owns; a draft never overwrites what was typed there. */
const PRACTICE_OWNED = ['phone', 'email', 'notes'];

/**
 * Builds the Persontjenesten part of the client form.
 * form: {editing, id, query, signal, getBase(), setBase(c), readValues(),
 *        setValues(c, opts), setField(name, value), markChanged(names),
 *        say(kind, text), focusFirst()}
 * Returns {node, loaded(client)}; loaded is called once an edited client is shown.
 */
export function persontjenestenFormActions(ctx, form) {
  const { i18n } = ctx;
  const t = (k, v) => i18n.t(k, v);
  const pt = ctx.api.persontjenesten;
  const busy = busyIndicator(t, 'pt-form-busy');
  const note = h('span', { class: 'hint pt-inactive-note', id: 'pt-inactive-note', hidden: true, text: t('pt.form.notActivated') });

  let activated = null; // unknown until the status answers
  ctx.api
    .call('GET', '/api/persontjenesten/status', { signal: form.signal })
    .then((s) => {
      activated = Boolean(s && s.activated);
      note.hidden = activated;
    })
    .catch(() => {
      activated = null;
    });

  /** Asks the server when the answer is not known; explains when not activated. */
  async function ensureActivated() {
    if (activated === true) return true;
    try {
      const s = await pt.status(form.signal);
      activated = Boolean(s.activated);
    } catch (err) {
      if (!isQuiet(err)) (form.editing ? tell : form.say)('error', errorText(t, err));
      return false;
    }
    note.hidden = activated;
    if (!activated) await notActivatedDialog(ctx);
    return activated;
  }

  const answer = h('div', { class: 'pt-answer', id: 'pt-update-message', tabindex: '-1' });
  let node;
  if (!form.editing) {
    const link = h('button', { type: 'button', class: 'link-button', id: 'pt-search-link', 'aria-keyshortcuts': 'Alt+P', title: withKey(t('pt.form.searchLink'), 'persontjenesten'), text: t('pt.form.searchLink') });
    link.addEventListener('click', async () => {
      if (!(await ensureActivated())) return;
      openPersonSearch(ctx, { onPick: fill });
    });
    node = h('div', { class: 'pt-form-actions' }, link, note);
  } else {
    const button = h('button', { type: 'button', class: 'button', id: 'pt-update', 'aria-keyshortcuts': 'Alt+P', title: withKey(t('pt.form.updateButton'), 'persontjenesten'), text: t('pt.form.updateButton') });
    button.addEventListener('click', () => runUpdate(button));
    node = h('div', { class: 'pt-form-actions' }, button, note, busy.node, answer);
  }

  /**
   * The answer to "Oppdater via Persontjenesten", right under the button,
   * with the focus on it: the receptionist sees it where they pressed.
   */
  function tell(kind, text) {
    say(answer, kind, text);
    if (!text) return;
    answer.scrollIntoView({ block: 'nearest' });
    answer.focus();
  }

  /** Fills the Add-client form with a draft from Persontjenesten. */
  function fill(draft, badges) {
    const typed = form.readValues();
    const merged = { ...draft };
    const kept = [];
    for (const f of PRACTICE_OWNED) {
      // What the receptionist typed wins; an empty field takes KRR's value.
      if (f === 'notes' || String(typed[f] || '').trim() !== '' || !draft[f]) merged[f] = typed[f];
      if (f !== 'notes' && draft[f] && merged[f] !== draft[f]) kept.push(t('pt.form.keptTyped', { field: t(`field.${f}`), value: draft[f] }));
    }
    form.setValues(merged, { keepBase: false });
    const protectedNote = (badges || []).includes('address_protected') ? ` ${t('pt.form.protectedNote')}` : '';
    form.say('info', [t('pt.form.filled') + protectedNote, ...kept].join(' '));
    form.focusFirst();
  }

  async function runUpdate(button) {
    if (!(await ensureActivated())) return;
    const signal = busy.start(t('pt.form.fetching'));
    button.disabled = true;
    tell('', '');
    try {
      const got = await pt.update(form.id, signal);
      showChanges(got.draft || {}, got.changes || [], got.kept || []);
    } catch (err) {
      if (isNotActivated(err)) {
        notActivatedDialog(ctx);
        return;
      }
      if (isQuiet(err)) {
        if (signal.aborted) tell('info', t('pt.form.cancelled'));
        return;
      }
      tell('error', `${errorText(t, err)} ${t('pt.form.unchanged')}`);
    } finally {
      busy.stop();
      button.disabled = false;
    }
  }

  /**
   * The old -> new table; the checked changes go into the form. A phone or
   * e-mail changed in Resepsjon since the last fetch (kept) is offered
   * unticked, saying that the receptionist's value is kept.
   */
  function showChanges(draft, changes, kept = []) {
    if (!changes.length && !kept.length) {
      tell('ok', t('pt.form.noChanges'));
      return;
    }
    const boxes = [];
    const rows = [...changes.map((c) => ({ c, kept: false })), ...kept.map((c) => ({ c, kept: true }))].map(({ c, kept: isKept }) => {
      const box = h('input', { type: 'checkbox', id: `pt-change-${c.field}`, checked: !isKept, dataset: { field: c.field } });
      boxes.push({ box, change: c });
      const label = t(`field.${c.field}`);
      const hint = isKept ? h('span', { class: 'hint pt-kept', id: `pt-kept-${c.field}`, text: t('pt.form.keptRow') }) : null;
      if (hint) box.setAttribute('aria-describedby', hint.id);
      return h(
        'tr',
        { dataset: { field: c.field, kept: isKept ? 'true' : 'false' } },
        h('td', { class: 'col-check' }, box),
        h('th', { scope: 'row' }, h('label', { htmlFor: box.id, text: label === `field.${c.field}` ? c.field : label }), hint ? h('br') : null, hint),
        h('td', { class: 'pt-old', text: displayValue(i18n, c.field, c.old) || t('pt.form.empty') }),
        h('td', { class: 'pt-arrow', 'aria-hidden': 'true', text: '→' }),
        h('td', { class: 'pt-new', text: displayValue(i18n, c.field, c.new) || t('pt.form.empty') }),
      );
    });
    const table = h(
      'table',
      { class: 'table pt-diff', id: 'pt-diff' },
      h('caption', { class: 'visually-hidden', text: t('pt.form.diffCaption') }),
      h(
        'thead',
        {},
        h('tr', {}, h('th', { scope: 'col' }, h('span', { class: 'visually-hidden', text: t('pt.form.colApply') })), h('th', { scope: 'col', text: t('pt.form.colField') }), h('th', { scope: 'col', text: t('pt.form.colOld') }), h('th', { scope: 'col' }), h('th', { scope: 'col', text: t('pt.form.colNew') })),
      ),
      h('tbody', {}, rows),
    );
    const apply = h('button', { type: 'button', class: 'button button-primary', id: 'pt-apply', text: t('pt.form.apply') });
    const cancel = h('button', { type: 'button', class: 'button', id: 'pt-diff-cancel', text: t('common.cancel') });
    const { dialog, close } = modal(
      { id: 'pt-diff-dialog', titleText: t('pt.form.diffTitle'), className: 'dialog-wide' },
      h('p', { text: t('pt.form.diffText') }),
      h('div', { class: 'table-scroll' }, table),
      h('div', { class: 'dialog-actions' }, apply, cancel),
    );
    cancel.addEventListener('click', close);
    apply.addEventListener('click', () => {
      const base = { ...form.getBase() };
      let n = 0;
      const shown = [];
      for (const { box, change } of boxes) {
        if (!box.checked) continue;
        n += 1;
        if (form.setField(change.field, change.new)) shown.push(change.field);
        else base[change.field] = change.new;
      }
      form.markChanged(shown);
      if (n) {
        // Provenance of the fetch goes with the save.
        for (const f of ['personId', 'fetchedAt', 'sequenceNumber', 'ninType']) {
          if (draft[f] !== undefined) base[f] = draft[f];
        }
        form.setBase(base);
      }
      close();
      tell(n ? 'ok' : 'info', n ? t('pt.form.applied', { n }) : t('pt.form.noneApplied'));
    });
    boxes[0].box.focus();
    return dialog;
  }

  return {
    node,
    /** Called when an edited client is on screen; starts an update asked for in the address. */
    loaded() {
      if (form.editing && form.query && form.query.get('persontjenesten') === 'update') {
        const button = document.getElementById('pt-update');
        if (button) runUpdate(button);
      }
    },
  };
}
