// Innstillinger → Importer klienter: the move-in wizard. 1 choose the file,
// 2 check which column is which (guessed from the headers, fixable), 3 the
// check of every row (created, already there, invalid — with the reason),
// 4 import with progress, and the refused rows as a CSV to fix and import
// again.

import { errorText, isAbort } from '../api.js';
import { h, replace, say } from '../dom.js';

const nb = {
  'import.title': 'Importer klienter',
  'import.intro': 'Flytt inn klientlisten fra regneark eller det gamle systemet. Ingenting blir lagret før du trykker «Importer», og da lagres alle gyldige rader samlet eller ingen.',
  'import.step1': '1. Velg fil',
  'import.file': 'Klientliste (CSV eller Excel .xlsx)',
  'import.fileHint': 'CSV med semikolon eller komma, fra Excel eller et annet system. Første rad må være overskrifter, for eksempel Fornavn, Etternavn, Fødselsnummer, Telefon.',
  'import.upload': 'Last opp',
  'import.uploading': 'Leser filen …',
  'import.noFile': 'Velg en fil først.',
  'import.step2': '2. Kolonner',
  'import.fileInfo': '{name}: {rows} rader ({format}).',
  'import.mappingHint': 'Resepsjon har gjettet hvilket felt hver kolonne er, ut fra overskriften. Rett det som er feil; kolonner som står på «Ikke importer», hoppes over.',
  'import.column': 'Kolonne',
  'import.sample': 'Eksempel',
  'import.field': 'Felt',
  'import.skip': 'Ikke importer',
  'import.mappingFor': 'Felt for kolonnen {col}',
  'import.check': 'Kontroller radene',
  'import.checking': 'Kontrollerer …',
  'import.step3': '3. Kontroll',
  'import.summary': '{create} blir opprettet, {duplicate} finnes fra før, {invalid} er ugyldige.',
  'import.tableCaption': 'Rader som ikke blir importert, og de første som blir det',
  'import.line': 'Linje',
  'import.name': 'Navn',
  'import.result': 'Resultat',
  'import.reason': 'Hvorfor',
  'import.status.create': 'Blir opprettet',
  'import.status.duplicate': 'Finnes fra før',
  'import.status.invalid': 'Ugyldig',
  'import.report': 'Last ned radene som ikke blir importert (CSV)',
  'import.reportHint': 'Rett radene i filen og importer den på nytt; kolonnene «Linje i filen» og «Hvorfor ikke importert» hoppes over.',
  'import.run': 'Importer {n} klienter',
  'import.nothing': 'Ingen rader kan importeres. Rett filen og last den opp på nytt.',
  'import.step4': '4. Import',
  'import.progress': 'Importerer: {done} av {total}',
  'import.done': 'Ferdig: {n} klienter er importert.',
  'import.toList': 'Til klientlisten',
  'import.refreshHint': 'Med Persontjenesten aktivert fyller «Oppdater alle» inn adresse og status fra Folkeregisteret for de importerte klientene.',
  'import.refresh': 'Gå til Persontjenesten',
  'import.progressLabel': 'Fremdrift for importen',
};

const en = {
  'import.title': 'Import clients',
  'import.intro': 'Move the client list in from a spreadsheet or the old system. Nothing is saved until you press “Import”, and then all valid rows are saved together or none.',
  'import.step1': '1. Choose the file',
  'import.file': 'Client list (CSV or Excel .xlsx)',
  'import.fileHint': 'CSV with semicolons or commas, from Excel or another system. The first row must be headings, for example Fornavn, Etternavn, Fødselsnummer, Telefon (or First name, Last name …).',
  'import.upload': 'Upload',
  'import.uploading': 'Reading the file …',
  'import.noFile': 'Choose a file first.',
  'import.step2': '2. Columns',
  'import.fileInfo': '{name}: {rows} rows ({format}).',
  'import.mappingHint': 'Resepsjon guessed which field each column is from its heading. Correct what is wrong; columns set to “Do not import” are skipped.',
  'import.column': 'Column',
  'import.sample': 'Example',
  'import.field': 'Field',
  'import.skip': 'Do not import',
  'import.mappingFor': 'Field for the column {col}',
  'import.check': 'Check the rows',
  'import.checking': 'Checking …',
  'import.step3': '3. Check',
  'import.summary': '{create} will be created, {duplicate} are already there, {invalid} are invalid.',
  'import.tableCaption': 'Rows that will not be imported, and the first that will',
  'import.line': 'Line',
  'import.name': 'Name',
  'import.result': 'Result',
  'import.reason': 'Why',
  'import.status.create': 'Will be created',
  'import.status.duplicate': 'Already there',
  'import.status.invalid': 'Invalid',
  'import.report': 'Download the rows that will not be imported (CSV)',
  'import.reportHint': 'Fix the rows in the file and import it again; the columns “Line in file” and “Why not imported” are skipped.',
  'import.run': 'Import {n} clients',
  'import.nothing': 'No rows can be imported. Fix the file and upload it again.',
  'import.step4': '4. Import',
  'import.progress': 'Importing: {done} of {total}',
  'import.done': 'Done: {n} clients imported.',
  'import.toList': 'To the client list',
  'import.refreshHint': 'With the Person Service activated, “Update all” fills in address and status from the population register for the imported clients.',
  'import.refresh': 'Go to the Person Service',
  'import.progressLabel': 'Import progress',
};

/** Uploads a file as the request body; the server checks its type. */
export async function uploadFile(ctx, path, file) {
  const res = await fetch(path, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { Accept: 'application/json', 'Accept-Language': ctx.i18n.lang, 'Content-Type': file.type || 'application/octet-stream' },
    body: file,
  });
  const data = await res.json().catch(() => null);
  if (!res.ok) {
    const err = new Error((data && data.error && data.error.message) || ctx.i18n.t('error.generic'));
    err.serverMessage = err.message;
    throw err;
  }
  return data;
}

function renderImport(ctx, { signal }) {
  const { i18n, api } = ctx;
  const t = (k, v) => i18n.t(k, v);
  let upload = null; // the server's answer to the upload
  let selects = [];

  const fileInput = h('input', { type: 'file', id: 'import-file', class: 'input', accept: '.csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'aria-describedby': 'import-file-hint' });
  const uploadMsg = h('div', { id: 'import-upload-message' });
  const step2 = h('section', { class: 'card', id: 'import-step2', 'aria-labelledby': 'import-step2-title', hidden: true });
  const step3 = h('section', { class: 'card', id: 'import-step3', 'aria-labelledby': 'import-step3-title', hidden: true });
  const step4 = h('section', { class: 'card', id: 'import-step4', 'aria-labelledby': 'import-step4-title', hidden: true });

  const uploadButton = h('button', {
    type: 'button', class: 'button button-primary', id: 'import-upload', text: t('import.upload'),
    on: {
      click: async () => {
        const file = fileInput.files && fileInput.files[0];
        if (!file) {
          say(uploadMsg, 'error', t('import.noFile'));
          fileInput.focus();
          return;
        }
        say(uploadMsg, 'info', t('import.uploading'));
        step2.hidden = step3.hidden = step4.hidden = true;
        try {
          upload = await uploadFile(ctx, `/api/import/file?name=${encodeURIComponent(file.name)}`, file);
          say(uploadMsg, '');
          showMapping();
        } catch (err) {
          say(uploadMsg, 'error', errorText(t, err));
        }
      },
    },
  });

  function showMapping() {
    const fieldOptions = [{ field: '', label: t('import.skip') }, ...upload.fields];
    selects = upload.header.map((col, i) => {
      const name = col || `#${i + 1}`;
      const sel = h('select', { class: 'input', id: `import-map-${i}`, 'aria-label': t('import.mappingFor', { col: name }) },
        fieldOptions.map((f) => h('option', { value: f.field, text: f.label, selected: (upload.mapping[i] || '') === f.field })));
      return sel;
    });
    const rows = upload.header.map((col, i) =>
      h('tr', {},
        h('th', { scope: 'row', text: col || `#${i + 1}` }),
        h('td', { class: 'muted', text: upload.preview.map((r) => r[i]).filter(Boolean).slice(0, 2).join(' · ') }),
        h('td', {}, selects[i])));
    const format = upload.format === 'xlsx' ? 'Excel .xlsx' : `CSV, ${upload.encoding}, «${upload.separator === '\t' ? 'tab' : upload.separator}»`;
    const checkMsg = h('div', { id: 'import-check-message' });
    replace(step2,
      h('h2', { id: 'import-step2-title', text: t('import.step2') }),
      h('p', { id: 'import-file-info', text: t('import.fileInfo', { name: upload.name, rows: upload.rows, format }) }),
      h('p', { class: 'hint', text: t('import.mappingHint') }),
      h('div', { class: 'table-scroll' }, h('table', { class: 'table', id: 'import-mapping' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: t('import.column') }), h('th', { scope: 'col', text: t('import.sample') }), h('th', { scope: 'col', text: t('import.field') }))),
        h('tbody', {}, rows))),
      checkMsg,
      h('div', { class: 'form-actions' }, h('button', { type: 'button', class: 'button button-primary', id: 'import-check', text: t('import.check'), on: { click: () => check(checkMsg) } })));
    step2.hidden = false;
    step2.querySelector('h2').setAttribute('tabindex', '-1');
    step2.querySelector('h2').focus();
  }

  const mapping = () => selects.map((s) => s.value);

  async function check(msg) {
    say(msg, 'info', t('import.checking'));
    step3.hidden = step4.hidden = true;
    try {
      const plan = await api.call('POST', `/api/import/${upload.id}/check`, { body: { mapping: mapping() }, signal });
      say(msg, '');
      showPlan(plan);
    } catch (err) {
      if (!isAbort(err)) say(msg, 'error', errorText(t, err));
    }
  }

  function showPlan(plan) {
    const rows = plan.rows.map((r) =>
      h('tr', { class: `import-${r.status}` },
        h('td', { text: String(r.line) }),
        h('td', { text: r.name.trim() }),
        h('td', {}, h('span', { class: `badge import-badge-${r.status}`, text: t(`import.status.${r.status}`) })),
        h('td', { text: r.reason || '' })));
    const refused = plan.duplicate + plan.invalid;
    const runMsg = h('div', { id: 'import-run-message' });
    replace(step3,
      h('h2', { id: 'import-step3-title', tabindex: '-1', text: t('import.step3') }),
      h('p', { id: 'import-summary', role: 'status', text: t('import.summary', plan) }),
      h('div', { class: 'table-scroll' }, h('table', { class: 'table', id: 'import-plan' },
        h('caption', { class: 'visually-hidden', text: t('import.tableCaption') }),
        h('thead', {}, h('tr', {}, ['import.line', 'import.name', 'import.result', 'import.reason'].map((k) => h('th', { scope: 'col', text: t(k) })))),
        h('tbody', {}, rows))),
      refused > 0
        ? h('p', {}, h('a', { href: `/api/import/${upload.id}/refused.csv?lang=${i18n.lang}`, id: 'import-report', download: '', text: t('import.report') }), h('br'), h('span', { class: 'hint', text: t('import.reportHint') }))
        : null,
      runMsg,
      h('div', { class: 'form-actions' },
        plan.create > 0
          ? h('button', { type: 'button', class: 'button button-primary', id: 'import-run', text: t('import.run', { n: plan.create }), on: { click: () => run(runMsg) } })
          : h('p', { text: t('import.nothing') })));
    step3.hidden = false;
    step3.querySelector('h2').focus();
  }

  async function run(msg) {
    say(msg, '');
    try {
      let job = await api.call('POST', `/api/import/${upload.id}/run`, { body: { mapping: mapping() }, signal });
      const bar = h('progress', { id: 'import-progress', max: String(Math.max(job.total, 1)), value: '0', 'aria-label': t('import.progressLabel') });
      const text = h('p', { id: 'import-progress-text', role: 'status', 'aria-live': 'polite' });
      replace(step4, h('h2', { id: 'import-step4-title', tabindex: '-1', text: t('import.step4') }), bar, text);
      step4.hidden = false;
      step3.querySelector('#import-run')?.setAttribute('disabled', '');
      step4.querySelector('h2').focus();
      while (job.state === 'running') {
        bar.value = job.done;
        text.textContent = t('import.progress', { done: job.done, total: job.total });
        await new Promise((r) => setTimeout(r, 300));
        job = await api.call('GET', `/api/import/${upload.id}`, { signal });
      }
      bar.value = job.total;
      if (job.state === 'done') {
        text.textContent = t('import.done', { n: job.created });
        step4.append(
          h('p', {}, h('a', { class: 'button', href: '#/clients', id: 'import-to-list', text: t('import.toList') })),
          h('p', { class: 'hint' }, t('import.refreshHint'), ' ', h('a', { href: '#/persontjenesten', id: 'import-refresh', text: t('import.refresh') })),
        );
      } else {
        bar.hidden = true;
        text.textContent = '';
        step4.append(h('div', { class: 'message message-error', role: 'alert' }, h('p', { text: (job.error && job.error.message) || t('error.generic') })));
      }
    } catch (err) {
      if (!isAbort(err)) say(msg, 'error', errorText(t, err));
    }
  }

  const node = h('section', { class: 'page page-import' },
    h('p', { class: 'back' }, h('a', { href: '#/settings', class: 'back-link', text: `← ${t('settings.title')}` })),
    h('h1', { text: t('import.title') }),
    h('p', { text: t('import.intro') }),
    h('section', { class: 'card', 'aria-labelledby': 'import-step1-title' },
      h('h2', { id: 'import-step1-title', text: t('import.step1') }),
      h('div', { class: 'field' }, h('label', { class: 'label', htmlFor: 'import-file', text: t('import.file') }), fileInput,
        h('p', { class: 'hint', id: 'import-file-hint', text: t('import.fileHint') })),
      uploadMsg,
      h('div', { class: 'form-actions' }, uploadButton)),
    step2, step3, step4);
  return { node, title: t('import.title') };
}

export default {
  id: 'import',
  nav: null,
  messages: { nb, en },
  routes: [{ path: '/settings/import', render: renderImport }],
};
