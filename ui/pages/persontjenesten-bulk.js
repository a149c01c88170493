// "Oppdater alle fra Persontjenesten": a card on the Persontjenesten page
// that starts the background refresh of every client with an identity
// number, shows its progress (polled every second) with Avbryt, and at the
// end the change report grouped by kind, with a link to each client.

import { h, replace, say } from '../dom.js';
import { formatDateTime } from '../format.js';
import { displayValue } from './client-fields.js';
import { errorText, isQuiet } from './persontjenesten-common.js';

const POLL_MS = 1000;
/** Report groups, in the order shown; "other" and "failed" come last. */
const KINDS = ['moved', 'renamed', 'deceased', 'new_number', 'protected'];

/**
 * The card. signal ends the polling when the page is left; a running job
 * goes on in the app and is picked up again when the page is opened.
 */
export function bulkCard(ctx, { signal }) {
  const t = (k, v) => ctx.i18n.t(k, v);
  const pt = ctx.api.persontjenesten;

  const start = h('button', { type: 'button', class: 'button button-primary', id: 'pt-bulk-start', text: t('pt.bulk.start') });
  const message = h('div', { class: 'page-message', id: 'pt-bulk-message', tabindex: '-1' });
  const bar = h('progress', { id: 'pt-bulk-progress', max: 1, value: 0 });
  const count = h('span', { id: 'pt-bulk-count' });
  const cancel = h('button', { type: 'button', class: 'button', id: 'pt-bulk-cancel', text: t('common.cancel') });
  const progress = h(
    'div',
    { class: 'busy pt-bulk-progress', id: 'pt-bulk-running', role: 'status', hidden: true },
    h('label', { htmlFor: 'pt-bulk-progress', text: t('pt.bulk.running') }),
    bar,
    count,
    cancel,
  );
  const report = h('div', { id: 'pt-bulk-report' });
  // A run cut off by a restart: the app offers to finish it.
  const resume = h('button', { type: 'button', class: 'button', id: 'pt-bulk-resume', text: t('pt.bulk.resume') });
  const unfinished = h('div', { class: 'message message-info', id: 'pt-bulk-unfinished', role: 'status', hidden: true });
  let timer = 0;

  signal.addEventListener('abort', () => clearTimeout(timer));

  function poll() {
    clearTimeout(timer);
    if (signal.aborted) return;
    // A card replaced by a redraw of the page stops polling.
    timer = setTimeout(() => card.isConnected && load(), POLL_MS);
  }

  async function load() {
    try {
      show(await pt.refreshAll(signal));
    } catch (err) {
      if (isQuiet(err)) return;
      // A failed poll is retried; the job goes on in the app.
      say(message, 'error', errorText(t, err));
      poll();
    }
  }

  function show(job) {
    const running = job.state === 'running';
    const u = !running && job.unfinished;
    unfinished.hidden = !u;
    if (u) {
      replace(
        unfinished,
        h('p', { text: t(u.state === 'failed' ? 'pt.bulk.unfinishedFailed' : 'pt.bulk.unfinished', { time: formatDateTime(u.startedAt), done: u.done, total: u.total }) }),
        h('div', { class: 'message-actions' }, resume),
      );
    }
    start.disabled = running;
    progress.hidden = !running;
    if (running) {
      replace(report);
      say(message, '', '');
      bar.max = Math.max(job.total, 1);
      bar.value = job.done;
      count.textContent = t('pt.bulk.count', { done: job.done, total: job.total });
      cancel.disabled = false;
      poll();
      return;
    }
    if (job.state === 'none') return;
    drawResult(job);
  }

  function drawResult(job) {
    const key = job.state !== 'done' && job.done === 0 ? `pt.bulk.summary.${job.state}None` : `pt.bulk.summary.${job.state}`;
    const summary = t(key, { done: job.done, total: job.total, changed: job.changed, failed: job.failed, kept: job.kept || 0 });
    const kind = job.state === 'done' ? (job.failed ? 'info' : 'ok') : job.state === 'cancelled' ? 'info' : 'error';
    say(message, kind, summary, job.error && job.error.message ? h('p', { id: 'pt-bulk-error', text: job.error.message }) : null);
    const when = job.finishedAt ? h('p', { class: 'hint', text: t('pt.bulk.finishedAt', { time: formatDateTime(job.finishedAt) }) }) : null;
    const items = job.report || [];
    if (!items.length) {
      replace(report, when, job.state === 'done' ? h('p', { id: 'pt-bulk-nothing', text: t('pt.bulk.nothing') }) : null);
      return;
    }
    const groups = [];
    for (const k of KINDS) {
      const inGroup = items.filter((it) => !it.error && it.kinds.includes(k));
      if (inGroup.length) groups.push(group(k, inGroup));
    }
    const changedOnly = (it) => !it.error && (it.changes || []).length > 0;
    const other = items.filter((it) => changedOnly(it) && !it.kinds.some((k) => KINDS.includes(k)));
    if (other.length) groups.push(group('other', other));
    // Phone or e-mail typed in Resepsjon since the last fetch, and nothing else new.
    const kept = items.filter((it) => !it.error && !(it.changes || []).length && (it.kept || []).length);
    if (kept.length) groups.push(group('kept', kept));
    const failed = items.filter((it) => it.error);
    if (failed.length) groups.push(group('failed', failed));
    replace(report, when, groups);
  }

  function group(kind, items) {
    const id = `pt-bulk-group-${kind}`;
    return h(
      'section',
      { class: 'pt-bulk-group', id, 'aria-labelledby': `${id}-title` },
      h('h3', { id: `${id}-title`, text: t('pt.bulk.groupCount', { group: t(`pt.bulk.kind.${kind}`), n: items.length }) }),
      h(
        'ul',
        { class: 'pt-bulk-list' },
        items.map((it) =>
          h(
            'li',
            { 'data-client-id': String(it.clientId) },
            h('a', { href: `#/clients/${encodeURIComponent(it.clientId)}`, text: it.name || t('pt.bulk.noName', { id: it.clientId }) }),
            h('span', { class: 'hint', text: ` – ${it.error ? it.error.message : [describe(it.changes), describeKept(it.kept)].filter(Boolean).join('; ')}` }),
          ),
        ),
      ),
    );
  }

  /** "Adresse: Storgata 1 → Bakkegata 8; ..." with the client form's labels and formats. */
  function describe(changes) {
    const value = (field, v) => displayValue(ctx.i18n, field, v) || '–';
    return (changes || [])
      .map((c) => {
        const label = t(`field.${c.field}`);
        const name = label === `field.${c.field}` ? c.field : label;
        return `${name}: ${value(c.field, c.old)} → ${value(c.field, c.new)}`;
      })
      .join('; ');
  }

  /** Asks first: how many clients, what may change, what never does. */
  async function confirmStart() {
    let total = null;
    try {
      total = (await ctx.api.listClients({ q: '', limit: 1 }, signal)).total;
    } catch (err) {
      if (isQuiet(err)) return false;
      // Without the count the question is still worth asking.
    }
    return ctx.confirm({
      id: 'pt-bulk-confirm',
      title: t('pt.bulk.confirmTitle'),
      text: [total === null ? t('pt.bulk.confirmWho') : t('pt.bulk.confirmCount', { n: total }), t('pt.bulk.confirmWhat')].join(' '),
      confirmLabel: t('pt.bulk.confirmStart'),
      cancelLabel: t('common.cancel'),
    });
  }

  /** "Telefon: beholdt din verdi (Kontaktregisteret har 412 34 567)". */
  function describeKept(kept) {
    return (kept || [])
      .map((c) => t('pt.bulk.keptYours', { field: t(`field.${c.field}`), value: displayValue(ctx.i18n, c.field, c.new) || '–' }))
      .join('; ');
  }

  start.addEventListener('click', async () => {
    start.disabled = true;
    say(message, '', '');
    if (!(await confirmStart())) {
      start.disabled = false;
      start.focus();
      return;
    }
    try {
      // The progress line (a status region) says that it started; a
      // toast would cover the Avbryt button on a small screen.
      await pt.startRefreshAll(signal);
      await load();
      cancel.focus();
    } catch (err) {
      start.disabled = false;
      if (isQuiet(err)) return;
      say(message, 'error', errorText(t, err));
      message.focus();
      if (err && err.code === 'job_running') load();
    }
  });

  resume.addEventListener('click', async () => {
    resume.disabled = true;
    say(message, '', '');
    try {
      await ctx.api.call('POST', '/api/persontjenesten/refresh-all', { body: { resume: true }, signal });
      await load();
      cancel.focus();
    } catch (err) {
      if (isQuiet(err)) return;
      say(message, 'error', errorText(t, err));
      message.focus();
    } finally {
      resume.disabled = false;
    }
  });

  cancel.addEventListener('click', async () => {
    cancel.disabled = true;
    count.textContent = t('pt.bulk.cancelling');
    try {
      await pt.cancelRefreshAll(signal);
    } catch (err) {
      if (isQuiet(err)) return;
      cancel.disabled = false;
      say(message, 'error', errorText(t, err));
    }
  });

  const card = h(
    'section',
    { class: 'card', id: 'pt-bulk', 'aria-labelledby': 'pt-bulk-title' },
    h('h2', { id: 'pt-bulk-title', text: t('pt.bulk.title') }),
    h('p', { class: 'hint pt-bulk-hint', text: t('pt.bulk.hint') }),
    unfinished,
    h('div', { class: 'actions' }, start),
    progress,
    message,
    report,
  );
  load();
  return card;
}
