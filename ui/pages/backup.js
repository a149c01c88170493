// Innstillinger → Sikkerhetskopi: where and how often backups go, whether
// they are encrypted, the last good backup, «Ta sikkerhetskopi nå», and
// restoring one (the program restarts into it). Innstillinger → Eksporter:
// the register as CSV or Excel, full identity numbers only when confirmed.

import { errorText, isAbort } from '../api.js';
import { formatDateTime } from '../format.js';
import { h, replace, say } from '../dom.js';

const nb = {
  'backup.title': 'Sikkerhetskopi',
  'backup.intro': 'Resepsjon tar sikkerhetskopi av registeret selv: etter planen og når programmet avsluttes. Velg en mappe på en annen disk enn denne PC-ens: en USB-disk, en nettverksmappe eller en synkronisert skymappe.',
  'backup.status': 'Status',
  'backup.lastGood': 'Siste vellykkede sikkerhetskopi',
  'backup.never': 'Aldri',
  'backup.count': 'Kopier i mappen',
  'backup.lastError': 'Siste forsøk feilet',
  'backup.ok': 'Sikkerhetskopiene er i orden.',
  'backup.runNow': 'Ta sikkerhetskopi nå',
  'backup.running': 'Tar sikkerhetskopi …',
  'backup.done': 'Sikkerhetskopi tatt: {name}.',
  'backup.settings': 'Innstillinger for sikkerhetskopi',
  'backup.folder': 'Mappe',
  'backup.folderHint': 'Hele stien, for eksempel E:\\Sikkerhetskopi eller /media/usb/sikkerhetskopi.',
  'backup.schedule': 'Hvor ofte',
  'backup.daily': 'Hver dag',
  'backup.hourly': 'Hver time',
  'backup.atShutdown': 'Også når programmet avsluttes',
  'backup.keep': 'Beholdes: de siste 7 dagene, 4 ukene og 12 månedene.',
  'backup.encrypt': 'Krypter sikkerhetskopiene',
  'backup.encryptHint': 'Anbefales når kopiene ligger på en USB-disk eller i skyen. Passfrasen lagres i operativsystemets nøkkelring. Skriv den også ned og oppbevar den trygt: uten den kan kopiene ikke åpnes på en ny PC.',
  'backup.passphrase': 'Passfrase (minst 12 tegn)',
  'backup.passphraseKept': 'La feltet stå tomt for å beholde passfrasen som er lagret.',
  'backup.save': 'Lagre',
  'backup.saved': 'Innstillingene for sikkerhetskopi er lagret.',
  'backup.helseid': 'HelseID-nøkkelen er ikke med i sikkerhetskopien; den ligger i nøkkelringen på denne PC-en. Ved gjenoppretting på en ny PC: lag og registrer en ny nøkkel under Innstillinger → Persontjenesten.',
  'backup.restore': 'Gjenopprett',
  'backup.restoreIntro': 'Gjenoppretting erstatter registeret med en sikkerhetskopi. Registeret slik det er nå, tas vare på i datamappen først. Programmet starter på nytt etterpå.',
  'backup.file': 'Sikkerhetskopi',
  'backup.fileHint': 'Velg fra mappen, eller skriv hele stien til en kopi et annet sted.',
  'backup.path': 'Sti til sikkerhetskopi',
  'backup.restorePass': 'Passfrase (bare for krypterte kopier fra en annen PC)',
  'backup.withoutChecksum': 'Kopien er tatt for hånd og har ingen sjekksumfil',
  'backup.restoreButton': 'Gjenopprett …',
  'backup.restoreConfirmTitle': 'Gjenopprette registeret?',
  'backup.restoreConfirm': 'Registeret byttes ut med {file}. Det som er registrert etter at kopien ble tatt, finnes da bare i kopien av dagens register. Programmet starter på nytt.',
  'backup.restoreYes': 'Gjenopprett',
  'backup.restoreNo': 'Avbryt',
  'backup.restarting': 'Kopien er kontrollert ({n} klienter). Resepsjon starter på nytt med det gjenopprettede registeret; et nytt vindu åpnes, og denne fanen kan lukkes.',
  'backup.choose': '– velg –',
  'export.title': 'Eksporter klienter',
  'export.intro': 'Hele registeret som fil: CSV i samme format som importen leser, eller Excel. Eksporten logges.',
  'export.format': 'Format',
  'export.csv': 'CSV (semikolon, UTF-8)',
  'export.xlsx': 'Excel (.xlsx)',
  'export.full': 'Ta med hele fødselsnumre',
  'export.fullHint': 'Ellers står bare fødselsdatodelen (for eksempel 010180*****). Hele numre trengs for å flytte registeret til et annet system.',
  'export.button': 'Eksporter',
  'export.confirmTitle': 'Eksportere hele fødselsnumre?',
  'export.confirm': 'Filen vil inneholde fødselsnummeret til alle klientene. Lagre den bare der uvedkommende ikke kommer til, og slett den når den ikke trengs lenger.',
  'export.confirmYes': 'Eksporter med hele numre',
  'export.done': 'Eksporten er lastet ned.',
  'settings.import': 'Importer klienter',
  'settings.importHint': 'Flytt inn klientlisten fra regneark (CSV eller Excel).',
  'settings.export': 'Eksporter klienter',
  'settings.exportHint': 'Hele registeret som CSV eller Excel.',
  'settings.backup': 'Sikkerhetskopi',
  'settings.backupHint': 'Mappe, plan, kryptering, siste kopi og gjenoppretting.',
  'backupWarning.go': 'Gå til Sikkerhetskopi',
};

const en = {
  'backup.title': 'Backup',
  'backup.intro': 'Resepsjon backs the register up by itself: on schedule and when the program stops. Choose a folder on another disk than this PC’s: a USB disk, a network folder or a synced cloud folder.',
  'backup.status': 'Status',
  'backup.lastGood': 'Last good backup',
  'backup.never': 'Never',
  'backup.count': 'Backups in the folder',
  'backup.lastError': 'The last attempt failed',
  'backup.ok': 'The backups are in order.',
  'backup.runNow': 'Back up now',
  'backup.running': 'Backing up …',
  'backup.done': 'Backup made: {name}.',
  'backup.settings': 'Backup settings',
  'backup.folder': 'Folder',
  'backup.folderHint': 'The full path, for example E:\\Backup or /media/usb/backup.',
  'backup.schedule': 'How often',
  'backup.daily': 'Every day',
  'backup.hourly': 'Every hour',
  'backup.atShutdown': 'Also when the program stops',
  'backup.keep': 'Kept: the last 7 days, 4 weeks and 12 months.',
  'backup.encrypt': 'Encrypt the backups',
  'backup.encryptHint': 'Recommended when the backups are on a USB disk or in the cloud. The passphrase is kept in the operating system’s keyring. Also write it down and keep it safe: without it the backups cannot be opened on a new PC.',
  'backup.passphrase': 'Passphrase (at least 12 characters)',
  'backup.passphraseKept': 'Leave the field empty to keep the stored passphrase.',
  'backup.save': 'Save',
  'backup.saved': 'The backup settings are saved.',
  'backup.helseid': 'The HelseID key is not in the backup; it is in this PC’s keyring. When restoring on a new PC: make and register a new key under Settings → Person Service.',
  'backup.restore': 'Restore',
  'backup.restoreIntro': 'Restoring replaces the register with a backup. The register as it is now is kept in the data folder first. The program restarts afterwards.',
  'backup.file': 'Backup',
  'backup.fileHint': 'Choose from the folder, or write the full path of a backup elsewhere.',
  'backup.path': 'Path of the backup',
  'backup.restorePass': 'Passphrase (only for encrypted backups from another PC)',
  'backup.withoutChecksum': 'The backup was made by hand and has no checksum file',
  'backup.restoreButton': 'Restore …',
  'backup.restoreConfirmTitle': 'Restore the register?',
  'backup.restoreConfirm': 'The register is replaced by {file}. What was registered after the backup was made is then only in the kept copy of today’s register. The program restarts.',
  'backup.restoreYes': 'Restore',
  'backup.restoreNo': 'Cancel',
  'backup.restarting': 'The backup is checked ({n} clients). Resepsjon restarts with the restored register; a new window opens, and this tab can be closed.',
  'backup.choose': '– choose –',
  'export.title': 'Export clients',
  'export.intro': 'The whole register as a file: CSV in the format the import reads, or Excel. The export is logged.',
  'export.format': 'Format',
  'export.csv': 'CSV (semicolons, UTF-8)',
  'export.xlsx': 'Excel (.xlsx)',
  'export.full': 'Include full identity numbers',
  'export.fullHint': 'Otherwise only the birth date part is written (for example 010180*****). Full numbers are needed to move the register to another system.',
  'export.button': 'Export',
  'export.confirmTitle': 'Export full identity numbers?',
  'export.confirm': 'The file will hold every client’s identity number. Keep it only where others cannot reach it, and delete it when it is no longer needed.',
  'export.confirmYes': 'Export with full numbers',
  'export.done': 'The export is downloaded.',
  'settings.import': 'Import clients',
  'settings.importHint': 'Move the client list in from a spreadsheet (CSV or Excel).',
  'settings.export': 'Export clients',
  'settings.exportHint': 'The whole register as CSV or Excel.',
  'settings.backup': 'Backup',
  'settings.backupHint': 'Folder, schedule, encryption, last backup and restore.',
  'backupWarning.go': 'Go to Backup',
};

function field(id, labelText, input, hint) {
  return h('div', { class: 'field' }, h('label', { class: 'label', htmlFor: id, text: labelText }), input, hint ? h('p', { class: 'hint', id: `${id}-hint`, text: hint }) : null);
}

function check(id, labelText, checked, hint) {
  const input = h('input', { type: 'checkbox', id, checked, 'aria-describedby': hint ? `${id}-hint` : null });
  return { input, node: h('div', { class: 'option-check' }, input, h('label', { htmlFor: id, text: labelText }), hint ? h('p', { class: 'hint', id: `${id}-hint`, text: hint }) : null) };
}

function renderBackup(ctx, { signal }) {
  const { i18n, api } = ctx;
  const t = (k, v) => i18n.t(k, v);
  const statusBox = h('div', { id: 'backup-status' });
  const statusMsg = h('div', { id: 'backup-run-message' });
  const settingsMsg = h('div', { id: 'backup-settings-message' });
  const restoreMsg = h('div', { id: 'backup-restore-message' });

  const folder = h('input', { type: 'text', class: 'input', id: 'backup-folder', 'aria-describedby': 'backup-folder-hint', autocomplete: 'off' });
  const schedule = h('select', { class: 'input', id: 'backup-schedule' },
    h('option', { value: 'daily', text: t('backup.daily') }), h('option', { value: 'hourly', text: t('backup.hourly') }));
  const atShutdown = check('backup-at-shutdown', t('backup.atShutdown'), true);
  const encrypt = check('backup-encrypt', t('backup.encrypt'), false, t('backup.encryptHint'));
  const pass = h('input', { type: 'password', class: 'input', id: 'backup-passphrase', autocomplete: 'new-password', 'aria-describedby': 'backup-passphrase-hint' });
  let current = null;

  const files = h('select', { class: 'input', id: 'restore-file', 'aria-describedby': 'restore-file-hint' });
  const path = h('input', { type: 'text', class: 'input', id: 'restore-path', autocomplete: 'off' });
  const restorePass = h('input', { type: 'password', class: 'input', id: 'restore-passphrase', autocomplete: 'off' });
  const noSum = check('restore-without-checksum', t('backup.withoutChecksum'), false);
  files.addEventListener('change', () => { path.value = files.value; });

  async function loadStatus() {
    try {
      const st = await api.call('GET', '/api/backup/status', { signal });
      const rows = [
        [t('backup.lastGood'), st.lastGood && !st.lastGood.startsWith('0001') ? `${formatDateTime(st.lastGood, i18n.lang)} (${st.lastGoodFile})` : t('backup.never')],
        [t('backup.count'), String(st.count)],
      ];
      if (st.lastError) rows.push([t('backup.lastError'), st.lastError]);
      replace(statusBox,
        st.warning ? h('div', { class: 'message message-error', role: 'alert', id: 'backup-status-warning' }, h('p', { text: st.warningText })) : h('div', { class: 'message message-ok', id: 'backup-status-ok' }, h('p', { text: t('backup.ok') })),
        h('dl', { class: 'backup-facts' }, rows.map(([k, v]) => [h('dt', { text: k }), h('dd', { text: v })])));
    } catch (err) {
      if (!isAbort(err)) say(statusBox, 'error', errorText(t, err));
    }
  }

  async function loadSettings() {
    try {
      current = await api.call('GET', '/api/backup/settings', { signal });
      folder.value = current.folder || '';
      schedule.value = current.schedule || 'daily';
      atShutdown.input.checked = current.atShutdown;
      encrypt.input.checked = current.encrypt;
      const list = await api.call('GET', '/api/backup/files', { signal });
      replace(files, h('option', { value: '', text: t('backup.choose') }),
        (list.files || []).map((f) => h('option', { value: f.Path, text: `${f.Name} (${formatDateTime(f.Time, i18n.lang)})` })));
    } catch (err) {
      if (!isAbort(err)) say(settingsMsg, 'error', errorText(t, err));
    }
  }

  async function save() {
    say(settingsMsg, '');
    try {
      await api.call('PUT', '/api/backup/settings', {
        body: { ...(current || {}), folder: folder.value.trim(), schedule: schedule.value, atShutdown: atShutdown.input.checked, encrypt: encrypt.input.checked, passphrase: pass.value },
        signal,
      });
      pass.value = '';
      say(settingsMsg, 'ok', t('backup.saved'));
      ctx.setStatus(t('backup.saved'));
      loadStatus();
      loadSettings();
      refreshBackupWarning(ctx);
    } catch (err) {
      if (isAbort(err)) return;
      const fields = err.fields && Object.values(err.fields);
      say(settingsMsg, 'error', fields && fields.length ? fields.join(' ') : errorText(t, err));
    }
  }

  async function runNow() {
    say(statusMsg, 'info', t('backup.running'));
    try {
      const res = await api.call('POST', '/api/backup/run', { body: {}, signal });
      say(statusMsg, 'ok', t('backup.done', { name: res.file.Name }));
      loadStatus();
      loadSettings();
      refreshBackupWarning(ctx);
    } catch (err) {
      if (!isAbort(err)) say(statusMsg, 'error', errorText(t, err));
      loadStatus();
    }
  }

  async function restore() {
    say(restoreMsg, '');
    const p = path.value.trim();
    const ok = await ctx.confirm({ id: 'restore-dialog', title: t('backup.restoreConfirmTitle'), text: t('backup.restoreConfirm', { file: p || '…' }), confirmLabel: t('backup.restoreYes'), cancelLabel: t('backup.restoreNo'), danger: true });
    if (!ok) return;
    try {
      const res = await api.call('POST', '/api/backup/restore', { body: { path: p, passphrase: restorePass.value, withoutChecksum: noSum.input.checked } });
      say(restoreMsg, 'ok', t('backup.restarting', { n: res.clients }), h('p', { text: res.helseid }));
    } catch (err) {
      if (!isAbort(err)) say(restoreMsg, 'error', errorText(t, err));
    }
  }

  loadStatus();
  loadSettings();

  const node = h('section', { class: 'page page-backup' },
    h('p', { class: 'back' }, h('a', { href: '#/settings', class: 'back-link', text: `← ${t('settings.title')}` })),
    h('h1', { text: t('backup.title') }),
    h('p', { text: t('backup.intro') }),
    h('section', { class: 'card', 'aria-labelledby': 'backup-status-title' },
      h('h2', { id: 'backup-status-title', text: t('backup.status') }), statusBox, statusMsg,
      h('div', { class: 'form-actions' }, h('button', { type: 'button', class: 'button button-primary', id: 'backup-run', text: t('backup.runNow'), on: { click: runNow } }))),
    h('section', { class: 'card', 'aria-labelledby': 'backup-settings-title' },
      h('h2', { id: 'backup-settings-title', text: t('backup.settings') }),
      field('backup-folder', t('backup.folder'), folder, t('backup.folderHint')),
      field('backup-schedule', t('backup.schedule'), schedule),
      atShutdown.node,
      h('p', { class: 'hint', text: t('backup.keep') }),
      encrypt.node,
      field('backup-passphrase', t('backup.passphrase'), pass, t('backup.passphraseKept')),
      settingsMsg,
      h('div', { class: 'form-actions' }, h('button', { type: 'button', class: 'button button-primary', id: 'backup-save', text: t('backup.save'), on: { click: save } })),
      h('p', { class: 'note', id: 'backup-helseid', text: t('backup.helseid') })),
    h('section', { class: 'card', 'aria-labelledby': 'backup-restore-title' },
      h('h2', { id: 'backup-restore-title', text: t('backup.restore') }),
      h('p', { text: t('backup.restoreIntro') }),
      field('restore-file', t('backup.file'), files, t('backup.fileHint')),
      field('restore-path', t('backup.path'), path),
      field('restore-passphrase', t('backup.restorePass'), restorePass),
      noSum.node,
      restoreMsg,
      h('div', { class: 'form-actions' }, h('button', { type: 'button', class: 'button button-danger-outline', id: 'restore-run', text: t('backup.restoreButton'), on: { click: restore } }))));
  return { node, title: t('backup.title') };
}

function renderExport(ctx) {
  const { i18n } = ctx;
  const t = (k, v) => i18n.t(k, v);
  const msg = h('div', { id: 'export-message' });
  const fmt = h('select', { class: 'input', id: 'export-format' }, h('option', { value: 'csv', text: t('export.csv') }), h('option', { value: 'xlsx', text: t('export.xlsx') }));
  const full = check('export-full', t('export.full'), false, t('export.fullHint'));

  async function run() {
    say(msg, '');
    let confirm = false;
    if (full.input.checked) {
      confirm = await ctx.confirm({ id: 'export-dialog', title: t('export.confirmTitle'), text: t('export.confirm'), confirmLabel: t('export.confirmYes'), cancelLabel: t('backup.restoreNo'), danger: true });
      if (!confirm) return;
    }
    try {
      const res = await fetch('/api/export', {
        method: 'POST', credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'Accept-Language': i18n.lang },
        body: JSON.stringify({ format: fmt.value, fullNin: full.input.checked, confirm }),
      });
      if (!res.ok) {
        const data = await res.json().catch(() => null);
        throw Object.assign(new Error('export'), { serverMessage: data && data.error && data.error.message });
      }
      const blob = await res.blob();
      const name = (/filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') || '') || [])[1] || `klienter.${fmt.value}`;
      const a = h('a', { href: URL.createObjectURL(blob), download: name, hidden: true });
      document.body.append(a);
      a.click();
      a.remove();
      say(msg, 'ok', t('export.done'));
    } catch (err) {
      say(msg, 'error', errorText(t, err));
    }
  }

  const node = h('section', { class: 'page page-export' },
    h('p', { class: 'back' }, h('a', { href: '#/settings', class: 'back-link', text: `← ${t('settings.title')}` })),
    h('h1', { text: t('export.title') }),
    h('p', { text: t('export.intro') }),
    h('section', { class: 'card' }, field('export-format', t('export.format'), fmt), full.node, msg,
      h('div', { class: 'form-actions' }, h('button', { type: 'button', class: 'button button-primary', id: 'export-run', text: t('export.button'), on: { click: run } }))));
  return { node, title: t('export.title') };
}

/**
 * The shell's backup warning, shown above every screen (the first one
 * included) while the backups need attention.
 */
export async function refreshBackupWarning(ctx) {
  const holder = document.getElementById('backup-warning');
  if (!holder) return;
  try {
    const st = await ctx.api.call('GET', '/api/backup/status');
    if (!st.warning) {
      holder.hidden = true;
      replace(holder);
      return;
    }
    replace(holder, h('p', {}, h('strong', { text: `⚠ ${st.warningText} ` }), h('a', { href: '#/settings/backup', id: 'backup-warning-link', text: ctx.i18n.t('backupWarning.go') })));
    holder.dataset.warning = st.warning;
    holder.hidden = false;
  } catch {
    // Not shown when the status cannot be read (the route is off, or the
    // server is starting); the backup page says more.
  }
}

export default {
  id: 'backup',
  nav: null,
  messages: { nb, en },
  routes: [
    { path: '/settings/backup', render: renderBackup },
    { path: '/settings/export', render: renderExport },
  ],
};
