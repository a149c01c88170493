// "Søk i Persontjenesten": a dialog with one box for a fødselsnummer or
// D-nummer (exact lookup) or the name fields plus birth date, street
// address, postal code and municipality number (search). What is missing is
// said before any call; the matches are a list that works with the keyboard
// alone (Tab into it, arrows to move, Enter to pick). Picking fetches the full
// person and hands the draft to the Add-client form.

import { modal } from '../dialog.js';
import { h, replace, say } from '../dom.js';
import { formatDate, formatNin, fullName, parseDate } from '../format.js';
import { busyIndicator, errorText, isNotActivated, isQuiet, notActivatedDialog } from './persontjenesten-common.js';

/** Letters (any script) in s. */
function letterCount(s) {
  return (String(s).match(/\p{L}/gu) || []).length;
}

/**
 * Checks the search form the way the API does. Returns {body, errors}: body is
 * what to send, errors maps field -> i18n key (+ a general key under "_").
 */
export function checkSearch(v) {
  const errors = {};
  const nin = String(v.nin || '').replace(/\s+/g, '');
  if (nin) {
    if (!/^\d{11}$/.test(nin)) errors.nin = 'pt.search.err.nin';
    return { body: { nin }, errors };
  }
  const names = ['givenName', 'middleName', 'familyName', 'fullName'].map((k) => String(v[k] || '').trim());
  const body = {};
  ['givenName', 'middleName', 'familyName', 'fullName'].forEach((k, i) => {
    if (names[i]) body[k] = names[i];
  });
  const birth = parseDate(v.birthDate);
  if (!birth.ok) errors.birthDate = 'pt.search.err.birthDate';
  else if (birth.iso) body.birthDate = birth.iso;
  const postal = String(v.postalCode || '').trim();
  if (postal && !/^\d{4}$/.test(postal)) errors.postalCode = 'pt.search.err.postalCode';
  else if (postal) body.postalCode = postal;
  const muni = String(v.municipalityNumber || '').trim();
  if (muni && !/^\d{4}$/.test(muni)) errors.municipalityNumber = 'pt.search.err.municipality';
  else if (muni) body.municipalityNumber = muni;
  // A street narrows the search when it has at least three letters; it may
  // hold letters, digits and spaces only (the API's rule).
  const street = String(v.streetAddress || '').trim().replace(/\s+/g, ' ');
  const streetOK = /^[\p{L}\d ]*$/u.test(street) && [...street].length <= 200;
  if (street && (!streetOK || letterCount(street) < 3)) errors.streetAddress = 'pt.search.err.street';
  else if (street) body.streetAddress = street;

  const letters = names.reduce((n, s) => n + letterCount(s), 0);
  const missing = [];
  if (letters === 0) missing.push('pt.search.missing.name');
  else if (letters < 3) missing.push('pt.search.missing.letters');
  if (!body.birthDate && !body.municipalityNumber && !body.streetAddress && !errors.birthDate && !errors.municipalityNumber && !errors.streetAddress) {
    missing.push('pt.search.missing.narrow');
  }
  if (missing.length) errors._ = missing;
  return { body, errors };
}

const BADGE_CLASS = {
  deceased: 'badge badge-deceased',
  emigrated: 'badge badge-emigrated',
  address_protected: 'badge badge-strict',
  dnumber: 'badge badge-dnumber',
};

/** Matches in the order a receptionist reads a list: family name, given name, birth date. */
export function sortMatches(list) {
  const byText = (a, b) => String(a || '').localeCompare(String(b || ''), 'nb', { sensitivity: 'base' });
  return [...list].sort((a, b) => byText(a.familyName, b.familyName) || byText(a.givenName, b.givenName) || byText(a.middleName, b.middleName) || String(a.birthDate || '').localeCompare(String(b.birthDate || '')));
}

/**
 * Opens the search dialog. onPick(draft) gets the person fetched from
 * Persontjenesten (not saved); an already registered person offers to go to
 * the client or update it instead.
 */
export function openPersonSearch(ctx, { onPick }) {
  const { i18n, router } = ctx;
  const t = (k, v) => i18n.t(k, v);
  const pt = ctx.api.persontjenesten;

  const inputs = {};
  const errs = {};
  function field(name, { type = 'text', inputmode = null, hint = '', wide = false } = {}) {
    const id = `pts-${name}`;
    const input = h('input', { id, name, class: 'input', type, autocomplete: 'off', spellcheck: 'false', inputmode });
    const hintEl = hint ? h('p', { class: 'hint', id: `${id}-hint`, text: hint }) : null;
    const err = h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
    if (hintEl) input.setAttribute('aria-describedby', hintEl.id);
    inputs[name] = input;
    errs[name] = err;
    return h('div', { class: `field${wide ? ' field-wide' : ''}` }, h('label', { class: 'label', htmlFor: id, text: t(`pt.search.${name}`) }), input, hintEl, err);
  }

  const message = h('div', { class: 'page-message', id: 'pts-message', tabindex: '-1' });
  const results = h('div', { class: 'pt-results', id: 'pts-results' });
  const busy = busyIndicator(t, 'pts-busy');
  const searchButton = h('button', { type: 'submit', class: 'button button-primary', id: 'pts-search', text: t('pt.search.submit') });
  const closeButton = h('button', { type: 'button', class: 'button', id: 'pts-close', text: t('common.close') });

  const form = h(
    'form',
    { class: 'pt-search-form', id: 'pts-form', novalidate: true },
    h('p', { class: 'hint pt-search-intro', text: t('pt.search.intro') }),
    h('div', { class: 'pt-search-grid' }, field('nin', { inputmode: 'numeric', hint: t('pt.search.ninHint'), wide: true })),
    h('p', { class: 'pt-or', text: t('pt.search.or') }),
    h(
      'div',
      { class: 'pt-search-grid' },
      field('givenName'),
      field('middleName'),
      field('familyName'),
      field('fullName', { hint: t('pt.search.fullNameHint') }),
      field('birthDate', { inputmode: 'numeric', hint: t('form.dateHint') }),
      field('streetAddress', { hint: t('pt.search.streetHint') }),
      field('postalCode', { inputmode: 'numeric' }),
      field('municipalityNumber', { inputmode: 'numeric', hint: t('pt.search.municipalityHint') }),
      h('div', { class: 'pt-search-actions' }, searchButton, closeButton),
    ),
  );

  // After a search the form folds into one line, so the matches get the height.
  const askedText = h('p', { class: 'pt-asked-text', id: 'pts-asked-text' });
  const editSearch = h('button', { type: 'button', class: 'button', id: 'pts-edit', text: t('pt.search.edit') });
  const asked = h('div', { class: 'pt-asked', id: 'pts-asked', hidden: true }, askedText, editSearch);
  editSearch.addEventListener('click', () => {
    unfold();
    const filled = Object.values(inputs).find((el) => el.value.trim() !== '');
    (filled || inputs.nin).focus();
  });

  const { dialog, close } = modal(
    { id: 'pt-search-dialog', titleText: t('pt.search.title'), className: 'dialog-wide dialog-search' },
    form,
    asked,
    busy.node,
    message,
    results,
  );

  function fold(values) {
    const parts = [];
    if (values.nin.trim()) parts.push(formatNin(values.nin.replace(/\s+/g, '')));
    const name = values.fullName.trim() || [values.givenName, values.middleName, values.familyName].map((x) => x.trim()).filter(Boolean).join(' ');
    if (name) parts.push(name);
    if (values.birthDate.trim()) parts.push(t('pt.search.askedBorn', { date: values.birthDate.trim() }));
    const place = [values.streetAddress, values.postalCode].map((x) => x.trim()).filter(Boolean).join(', ');
    if (place) parts.push(place);
    if (values.municipalityNumber.trim()) parts.push(t('pt.search.askedMunicipality', { n: values.municipalityNumber.trim() }));
    askedText.textContent = t('pt.search.asked', { what: parts.join(', ') });
    form.hidden = true;
    asked.hidden = false;
    dialog.classList.add('dialog-folded');
  }

  function unfold() {
    form.hidden = false;
    asked.hidden = true;
    dialog.classList.remove('dialog-folded');
  }

  // ArrowDown from any search field goes to the matches.
  form.addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowDown' || e.target.tagName !== 'INPUT') return;
    const first = results.querySelector('.pt-result-button[tabindex="0"]');
    if (!first) return;
    e.preventDefault();
    first.focus();
  });
  closeButton.addEventListener('click', close);
  // Results belong to the question asked; a changed question clears them.
  form.addEventListener('input', () => {
    if (results.firstChild && !busy.busy) replace(results);
  });
  dialog.addEventListener('close', () => busy.cancel());
  inputs.nin.focus();

  function clearErrors() {
    for (const [name, err] of Object.entries(errs)) {
      err.hidden = true;
      err.textContent = '';
      inputs[name].removeAttribute('aria-invalid');
      const hint = document.getElementById(`pts-${name}-hint`);
      if (hint) inputs[name].setAttribute('aria-describedby', hint.id);
      else inputs[name].removeAttribute('aria-describedby');
    }
  }

  function markError(name, text) {
    errs[name].textContent = text;
    errs[name].hidden = false;
    inputs[name].setAttribute('aria-invalid', 'true');
    const ids = [document.getElementById(`pts-${name}-hint`)?.id, errs[name].id].filter(Boolean);
    inputs[name].setAttribute('aria-describedby', ids.join(' '));
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors();
    say(message, '', '');
    replace(results);
    const values = {};
    for (const [name, input] of Object.entries(inputs)) values[name] = input.value;
    const { body, errors } = checkSearch(values);
    const fieldErrors = Object.entries(errors).filter(([k]) => k !== '_');
    if (fieldErrors.length || errors._) {
      for (const [name, key] of fieldErrors) markError(name, t(key));
      const missing = (errors._ || []).map((k) => h('li', { text: t(k) }));
      say(message, 'error', t('pt.search.missingTitle'), missing.length ? h('ul', { id: 'pts-missing' }, missing) : null);
      const first = fieldErrors.length ? inputs[fieldErrors[0][0]] : inputs.givenName;
      first.focus();
      return;
    }
    const signal = busy.start(t('pt.search.searching'));
    searchButton.disabled = true;
    try {
      const found = await pt.search(body, signal);
      const list = found.results || [];
      showResults(list, found.total ?? list.length);
      if (list.length) {
        fold(values);
        // The best match is ready for Enter: the exact number hit, or the first by name.
        results.querySelector('.pt-result-button').focus();
      }
    } catch (err) {
      if (isNotActivated(err)) {
        close();
        notActivatedDialog(ctx);
        return;
      }
      if (isQuiet(err)) {
        if (signal.aborted) say(message, 'info', t('pt.search.cancelled'));
        return;
      }
      const other = applyServerFields(err);
      say(message, 'error', errorText(t, err), other.length ? h('ul', { id: 'pts-missing' }, other.map((x) => h('li', { text: x }))) : null);
      message.focus();
    } finally {
      busy.stop();
      searchButton.disabled = false;
    }
  });

  function applyServerFields(err) {
    const map = { nin: 'nin', givenName: 'givenName', middleName: 'middleName', familyName: 'familyName', fullName: 'fullName', birthDate: 'birthDate', streetAddress: 'streetAddress', postalCode: 'postalCode', municipalityNumber: 'municipalityNumber' };
    const other = [];
    for (const [name, text] of Object.entries(err.fields || {})) {
      if (map[name]) markError(map[name], text);
      else other.push(text);
    }
    return other;
  }

  function showResults(found, total) {
    if (!found.length) {
      replace(
        results,
        h('div', { class: 'empty-state pt-no-hits', id: 'pts-no-hits', role: 'status' }, h('p', { class: 'no-hits', text: t('pt.search.noHits') }), h('p', { text: t('pt.search.noHitsHint') })),
      );
      results.scrollIntoView({ block: 'nearest' });
      return;
    }
    const list = sortMatches(found);
    const summary = h('p', { class: 'result-summary', id: 'pts-summary', role: 'status', text: t(total > list.length ? 'pt.search.countMore' : 'pt.search.count', { n: list.length, total }) });
    const items = list.map((m, i) =>
      h(
        'li',
        { class: 'pt-result', role: 'none' },
        h(
          'button',
          {
            type: 'button',
            class: 'pt-result-button',
            id: `pts-result-${i}`,
            role: 'option',
            'aria-selected': i === 0 ? 'true' : 'false',
            tabindex: i === 0 ? '0' : '-1',
            dataset: { index: String(i) },
            on: { click: () => pick(m) },
          },
          h('span', { class: 'pt-result-name', text: fullName(m) || '–' }),
          h('span', { class: 'pt-result-meta nowrap', text: m.birthDate ? formatDate(m.birthDate) : '' }),
          h('span', { class: 'pt-result-meta', text: [m.postalCode, m.city].filter(Boolean).join(' ') }),
          h('span', { class: 'pt-result-meta nowrap', text: m.nin ? formatNin(m.nin) : '' }),
          h(
            'span',
            { class: 'badges' },
            (m.badges || []).map((b) => h('span', { class: BADGE_CLASS[b] || 'badge', text: t(`pt.badge.${b}`) })),
            m.existingClientId ? h('span', { class: 'badge badge-registered', text: t('pt.badge.registered') }) : null,
          ),
        ),
      ),
    );
    const listbox = h('ul', { class: 'pt-result-list', id: 'pts-list', role: 'listbox', 'aria-label': t('pt.search.resultsLabel') }, items);
    listbox.addEventListener('keydown', (e) => {
      const buttons = [...listbox.querySelectorAll('.pt-result-button')];
      const at = buttons.indexOf(document.activeElement);
      if (at < 0) return;
      let to = at;
      if (e.key === 'ArrowDown') to = Math.min(at + 1, buttons.length - 1);
      else if (e.key === 'ArrowUp') to = Math.max(at - 1, 0);
      else if (e.key === 'Home') to = 0;
      else if (e.key === 'End') to = buttons.length - 1;
      else return;
      e.preventDefault();
      buttons.forEach((b, i) => {
        b.tabIndex = i === to ? 0 : -1;
        b.setAttribute('aria-selected', i === to ? 'true' : 'false');
      });
      buttons[to].focus();
    });
    replace(results, summary, h('p', { class: 'hint', text: t('pt.search.keyboardHint') }), listbox);
    results.scrollIntoView({ block: 'nearest' });
  }

  async function pick(match) {
    if (match.existingClientId) {
      // Already a client: nothing needs fetching to offer the choice.
      showExisting(match.existingClientId, match);
      return;
    }
    const signal = busy.start(t('pt.search.fetching'));
    say(message, '', '');
    try {
      const body = match.personId ? { personId: match.personId } : { nin: match.nin };
      const got = await pt.lookup(body, signal);
      const existing = got.existingClientId ?? match.existingClientId ?? null;
      if (existing) {
        showExisting(existing, got.draft || match);
        return;
      }
      close();
      onPick(got.draft, got.badges || match.badges || []);
    } catch (err) {
      if (isNotActivated(err)) {
        close();
        notActivatedDialog(ctx);
        return;
      }
      if (isQuiet(err)) {
        if (signal.aborted) say(message, 'info', t('pt.search.cancelled'));
        return;
      }
      say(message, 'error', errorText(t, err));
      message.focus();
    } finally {
      busy.stop();
    }
  }

  /** The person is a client already: go there, or update that client. */
  function showExisting(clientId, person) {
    const goTo = h('button', { type: 'button', class: 'button button-primary', id: 'pts-go-existing', text: t('pt.search.goExisting') });
    const update = h('button', { type: 'button', class: 'button', id: 'pts-update-existing', text: t('pt.search.updateExisting') });
    const back = h('button', { type: 'button', class: 'button', id: 'pts-back', text: t('pt.search.backToResults') });
    const listHolder = [...results.childNodes];
    const box = h(
      'div',
      { class: 'message message-info', id: 'pts-existing', role: 'status' },
      h('p', { text: t('pt.search.existing', { name: fullName(person) || '–' }) }),
      h('div', { class: 'message-actions' }, goTo, update, back),
    );
    replace(results, box);
    goTo.addEventListener('click', () => {
      close();
      router.navigate(`#/clients/${clientId}`);
    });
    update.addEventListener('click', () => {
      close();
      router.navigate(`#/clients/${clientId}/edit?persontjenesten=update`);
    });
    back.addEventListener('click', () => {
      replace(results, listHolder);
      const first = results.querySelector('.pt-result-button[tabindex="0"]');
      if (first) first.focus();
    });
    goTo.focus();
  }

  return { dialog, close };
}
