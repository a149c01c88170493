// The client form's clashes with the register: a save that conflicts with
// one made elsewhere (the stored client is merged three ways with what the
// user typed), and a likely duplicate of a client already registered.

import { ApiError, isAbort, SessionEndedError } from '../api.js';
import { h } from '../dom.js';
import { formatDate } from '../format.js';
import { displayValue, EDITABLE } from './client-fields.js';
import { textsOf, threeWay } from './client-form-texts.js';

/**
 * After a conflict: fetch the stored client and merge three ways. base is
 * the form as it was loaded (snapshot), mine what is typed now, theirs what
 * is stored now. A field this user edited keeps their value; every other
 * field takes the stored one. Where both changed the same field, the
 * stored value is shown under it so the user can choose.
 */
export async function compare(form) {
  const { api, id, signal, i18n, t, say, errorText, message, storedNotes, inputs, saveButton } = form;
  let stored;
  try {
    stored = await api.getClient(id, signal);
  } catch (err) {
    if (isAbort(err) || err instanceof SessionEndedError) return;
    if (err instanceof ApiError && err.status === 404) say('error', t('form.goneAway'));
    else say('error', errorText(err));
    message.focus();
    return;
  }
  const merge = threeWay(form.snapshot(), form.readTexts(), textsOf(stored));
  for (const f of EDITABLE) {
    const note = storedNotes[f.name];
    const both = merge.both.includes(f.name);
    if (both || merge.theirs.includes(f.name)) {
      note.textContent = t(both ? 'form.storedNow' : 'form.storedTaken', { value: displayValue(i18n, f.name, stored[f.name]) || t('form.storedEmpty') });
      note.hidden = false;
    } else {
      note.hidden = true;
      note.textContent = '';
    }
    form.describe(f.name);
  }
  const label = (names) => names.map((n) => t(`field.${n}`)).join(', ');
  const keep = h('button', {
    type: 'button',
    class: 'button button-primary',
    id: 'keep-mine',
    text: t('form.keepMine'),
    on: {
      click: () => {
        // Their version number, their fields, our edits: the next save
        // writes only what this user changed.
        form.setBase(stored);
        form.writeTexts(merge.texts);
        form.setSnapshot(textsOf(stored));
        form.drawRegister();
        form.clearFieldMarks();
        say(
          'info',
          t('form.keptMine'),
          h(
            'ul',
            { id: 'merge-summary' },
            merge.mine.length ? h('li', { dataset: { from: 'mine' }, text: t('form.keptFromMine', { fields: label(merge.mine) }) }) : null,
            merge.theirs.length ? h('li', { dataset: { from: 'theirs' }, text: t('form.keptFromTheirs', { fields: label(merge.theirs) }) }) : null,
          ),
        );
        saveButton.focus();
      },
    },
  });
  const use = h('button', {
    type: 'button',
    class: 'button',
    id: 'use-stored',
    text: t('form.useStored'),
    on: {
      click: () => {
        form.setValues(stored);
        form.setSnapshot(form.readTexts());
        form.clearFieldMarks();
        say('info', t('form.usedStored'));
        inputs[EDITABLE[0].name].focus();
      },
    },
  });
  const explain = [
    merge.theirs.length ? t('form.theirChanges', { fields: label(merge.theirs) }) : '',
    merge.both.length ? t('form.compareText') : '',
    merge.mine.length || merge.both.length ? '' : t('form.noDifferences'),
  ].filter(Boolean);
  say('error', [t('form.conflict'), ...explain].join(' '), h('div', { class: 'message-actions' }, keep, merge.mine.length ? use : null));
  keep.focus();
}

/**
 * Clients already registered with the same name and birth date (a likely
 * duplicate without an identity number to catch it). Empty when the
 * search fails: the warning is a help, not a gate.
 */
export async function sameNameAndBirth(api, id, signal, payload) {
  if (!payload.birthDate || !payload.givenName.trim() || !payload.familyName.trim()) return [];
  const same = (a, b) => String(a || '').trim().toLocaleLowerCase('nb') === String(b || '').trim().toLocaleLowerCase('nb');
  try {
    const found = await api.listClients({ q: formatDate(payload.birthDate), limit: 50 }, signal);
    const twins = (found.results || []).filter((c) => String(c.id) !== String(id) && c.birthDate === payload.birthDate && same(c.givenName, payload.givenName) && same(c.familyName, payload.familyName));
    // The same identity number is refused by the register itself, with its own link.
    const nin = String(payload.nin || '').replace(/\s+/g, '');
    return nin && twins.some((c) => c.nin === nin) ? [] : twins;
  } catch {
    return [];
  }
}
