// «Endringer fra Folkeregisteret»: a card on the Persontjenesten page with
// the change feed's status (on/off, last run, events read, clients updated,
// the last error in plain words) and the list «Endret fra
// Folkeregisteret» of the latest changes the feed made, each with a link
// to the client. Refreshed every 15 seconds while the page is open.
// The card line on a client («Oppdatert fra Folkeregisteret dd.mm.åååå»)
// is feedLine below.

import { h, replace, say } from '../dom.js';
import { formatDateTime } from '../format.js';
import { errorText, isQuiet } from './persontjenesten-common.js';

const POLL_MS = 15000;
const KINDS = ['moved', 'renamed', 'deceased', 'new_number', 'protected'];

export const feedTexts = {
  nb: {
    'pt.feed.title': 'Endringer fra Folkeregisteret',
    'pt.feed.hint':
      'Resepsjon henter selv endringer fra Folkeregisteret (flytting, navn, dødsfall, nytt nummer, adressesperre) for klientene i registeret, med de samme reglene som «Oppdater alle». En klient som er endret i Resepsjon etter endringen, blir ikke overskrevet, men vist i listen.',
    'pt.feed.toggle': 'Hent endringer automatisk',
    'pt.feed.on': 'På',
    'pt.feed.off': 'Av – endringer hentes ikke',
    'pt.feed.state': 'Status',
    'pt.feed.lastRun': 'Sist sjekket',
    'pt.feed.never': 'Ikke ennå',
    'pt.feed.events': 'Endringer lest',
    'pt.feed.updated': 'Klienter oppdatert',
    'pt.feed.interval': 'Sjekkes hvert {minutes}. minutt',
    'pt.feed.intervalSeconds': 'Sjekkes hvert {seconds}. sekund',
    'pt.feed.pollNow': 'Sjekk nå',
    'pt.feed.polling': 'Sjekker …',
    'pt.feed.errorAt': 'Siste feil {time}:',
    'pt.feed.listTitle': 'Endret fra Folkeregisteret',
    'pt.feed.listEmpty': 'Ingen klienter er endret fra Folkeregisteret ennå.',
    'pt.feed.kept': 'Ikke oppdatert: endret i Resepsjon etter endringen. Åpne klienten og trykk «Oppdater via Persontjenesten».',
    'pt.feed.deletedClient': 'Slettet klient',
    'pt.feed.saved': 'Innstillingen er lagret.',
    'pt.feed.kind.moved': 'Flyttet',
    'pt.feed.kind.renamed': 'Nytt navn',
    'pt.feed.kind.deceased': 'Død',
    'pt.feed.kind.new_number': 'Nytt fødselsnummer',
    'pt.feed.kind.protected': 'Adressesperre',
    'pt.feed.kind.other': 'Andre opplysninger',
    'client.feedUpdated': 'Oppdatert fra Folkeregisteret {date}',
    'pt.bulk.unfinished':
      'En oppdatering av alle klienter som startet {time}, ble avbrutt da Resepsjon stoppet ({done} av {total} klienter ferdige). Fullfør den: klientene som er ferdige, røres ikke.',
    'pt.bulk.unfinishedFailed':
      'En oppdatering av alle klienter som startet {time}, stoppet fordi Persontjenesten ikke svarte ({done} av {total} klienter ferdige). Fullfør den når tjenesten svarer igjen: klientene som er ferdige, røres ikke.',
    'pt.bulk.resume': 'Fullfør oppdateringen',
  },
  en: {
    'pt.feed.title': 'Changes from the National Population Register',
    'pt.feed.hint':
      'Resepsjon fetches changes from the National Population Register by itself (moves, names, deaths, new numbers, address protection) for the clients in the register, with the same rules as Update all. A client changed in Resepsjon after the change is not overwritten but shown in the list.',
    'pt.feed.toggle': 'Fetch changes automatically',
    'pt.feed.on': 'On',
    'pt.feed.off': 'Off – changes are not fetched',
    'pt.feed.state': 'Status',
    'pt.feed.lastRun': 'Last checked',
    'pt.feed.never': 'Not yet',
    'pt.feed.events': 'Changes read',
    'pt.feed.updated': 'Clients updated',
    'pt.feed.interval': 'Checked every {minutes} minutes',
    'pt.feed.intervalSeconds': 'Checked every {seconds} seconds',
    'pt.feed.pollNow': 'Check now',
    'pt.feed.polling': 'Checking …',
    'pt.feed.errorAt': 'Last error {time}:',
    'pt.feed.listTitle': 'Changed from the National Population Register',
    'pt.feed.listEmpty': 'No client has been changed from the National Population Register yet.',
    'pt.feed.kept': 'Not updated: changed in Resepsjon after the change. Open the client and press Update via Persontjenesten.',
    'pt.feed.deletedClient': 'Deleted client',
    'pt.feed.saved': 'The setting is saved.',
    'pt.feed.kind.moved': 'Moved',
    'pt.feed.kind.renamed': 'New name',
    'pt.feed.kind.deceased': 'Deceased',
    'pt.feed.kind.new_number': 'New identity number',
    'pt.feed.kind.protected': 'Address protection',
    'pt.feed.kind.other': 'Other information',
    'client.feedUpdated': 'Updated from the National Population Register {date}',
    'pt.bulk.unfinished':
      'An update of all clients that started {time} was cut off when Resepsjon stopped ({done} of {total} clients done). Finish it: the clients already done are not touched.',
    'pt.bulk.unfinishedFailed':
      'An update of all clients that started {time} stopped because the Person Service did not answer ({done} of {total} clients done). Finish it when the service answers again: the clients already done are not touched.',
    'pt.bulk.resume': 'Finish the update',
  },
};

/** The card; signal ends its refreshing when the page is left. */
export function feedCard(ctx, { signal }) {
  const t = (k, v) => ctx.i18n.t(k, v);
  const call = (method, path, body) => ctx.api.call(method, path, { body, signal });

  const toggle = h('input', { type: 'checkbox', id: 'pt-feed-enabled' });
  const toggleRow = h('div', { class: 'check-option' }, toggle, h('label', { htmlFor: 'pt-feed-enabled', text: t('pt.feed.toggle') }));
  const pollNow = h('button', { type: 'button', class: 'button', id: 'pt-feed-poll', text: t('pt.feed.pollNow') });
  const status = h('dl', { class: 'fields', id: 'pt-feed-status' });
  const message = h('div', { class: 'page-message', id: 'pt-feed-message', tabindex: '-1', role: 'status' });
  const list = h('div', { id: 'pt-feed-changes' });
  let timer = 0;

  signal.addEventListener('abort', () => clearTimeout(timer));

  function later(ms = POLL_MS) {
    clearTimeout(timer);
    if (signal.aborted) return;
    timer = setTimeout(() => card.isConnected && load(), ms);
  }

  async function load() {
    try {
      draw(await call('GET', '/api/persontjenesten/feed'));
    } catch (err) {
      if (isQuiet(err)) return;
      say(message, 'error', errorText(t, err));
    }
    later();
  }

  const row = (label, value, id) => h('div', { class: 'field-row' }, h('dt', { text: label }), h('dd', { id, text: value }));

  function draw(f) {
    toggle.checked = f.enabled;
    pollNow.disabled = !f.enabled || f.running;
    pollNow.textContent = t(f.running ? 'pt.feed.polling' : 'pt.feed.pollNow');
    const every =
      f.intervalSeconds >= 60 && f.intervalSeconds % 60 === 0
        ? t('pt.feed.interval', { minutes: f.intervalSeconds / 60 })
        : t('pt.feed.intervalSeconds', { seconds: f.intervalSeconds });
    replace(
      status,
      row(t('pt.feed.state'), f.enabled ? `${t('pt.feed.on')} · ${every}` : t('pt.feed.off'), 'pt-feed-state'),
      row(t('pt.feed.lastRun'), f.lastRunAt ? formatDateTime(f.lastRunAt) : t('pt.feed.never'), 'pt-feed-last-run'),
      row(t('pt.feed.events'), String(f.eventsRead), 'pt-feed-events'),
      row(t('pt.feed.updated'), String(f.clientsUpdated), 'pt-feed-updated'),
    );
    if (f.error) {
      say(message, 'error', `${f.error.at ? `${t('pt.feed.errorAt', { time: formatDateTime(f.error.at) })} ` : ''}${f.error.message}`);
      message.querySelector('.message')?.setAttribute('id', 'pt-feed-error');
      message.querySelector('.message')?.setAttribute('role', 'status');
    } else if (!message.querySelector('.message-ok')) {
      say(message, '', '');
    }
    drawChanges(f.changes || []);
  }

  function drawChanges(changes) {
    const title = h('h3', { id: 'pt-feed-list-title', text: t('pt.feed.listTitle') });
    if (!changes.length) {
      replace(list, title, h('p', { class: 'hint', id: 'pt-feed-empty', text: t('pt.feed.listEmpty') }));
      return;
    }
    replace(
      list,
      title,
      h(
        'ul',
        { class: 'pt-bulk-list pt-feed-list', 'aria-labelledby': 'pt-feed-list-title' },
        changes.map((ch) => {
          const kinds = ch.kinds.filter((k) => KINDS.includes(k));
          const what = (kinds.length ? kinds : ['other']).map((k) => t(`pt.feed.kind.${k}`)).join(', ');
          return h(
            'li',
            { 'data-client-id': String(ch.clientId), 'data-outcome': ch.outcome },
            ch.name
              ? h('a', { href: `#/clients/${encodeURIComponent(ch.clientId)}`, text: ch.name })
              : h('span', { text: t('pt.feed.deletedClient') }),
            h('span', { text: ` – ${what}, ${formatDateTime(ch.time)}` }),
            ch.outcome === 'kept' ? h('p', { class: 'note pt-feed-kept', text: t('pt.feed.kept') }) : null,
          );
        }),
      ),
    );
  }

  toggle.addEventListener('change', async () => {
    toggle.disabled = true;
    try {
      draw(await call('PUT', '/api/persontjenesten/feed', { enabled: toggle.checked }));
      say(message, 'ok', t('pt.feed.saved'));
    } catch (err) {
      toggle.checked = !toggle.checked;
      if (isQuiet(err)) return;
      say(message, 'error', errorText(t, err));
    } finally {
      toggle.disabled = false;
    }
  });

  pollNow.addEventListener('click', async () => {
    pollNow.disabled = true;
    pollNow.textContent = t('pt.feed.polling');
    try {
      await call('POST', '/api/persontjenesten/feed/poll');
      later(1500);
    } catch (err) {
      pollNow.disabled = false;
      if (isQuiet(err)) return;
      say(message, 'error', errorText(t, err));
    }
  });

  const card = h(
    'section',
    { class: 'card', id: 'pt-feed', 'aria-labelledby': 'pt-feed-title' },
    h('h2', { id: 'pt-feed-title', text: t('pt.feed.title') }),
    h('p', { class: 'hint', text: t('pt.feed.hint') }),
    toggleRow,
    status,
    h('div', { class: 'actions' }, pollNow),
    message,
    list,
  );
  load();
  return card;
}

/**
 * The client card's «Oppdatert fra Folkeregisteret dd.mm.åååå»: an empty
 * paragraph filled when the client's last update from the feed is known.
 */
export function feedLine(ctx, clientId, signal) {
  const line = h('p', { class: 'hint feed-updated', id: 'feed-updated', hidden: true });
  ctx.api
    .call('GET', `/api/clients/${encodeURIComponent(clientId)}/feed`, { signal })
    .then((r) => {
      if (r && r.updatedAt) {
        line.textContent = ctx.i18n.t('client.feedUpdated', { date: localDate(r.updatedAt) });
        line.hidden = false;
      }
    })
    .catch(() => {});
  return line;
}

/** The local calendar date of a time as dd.mm.åååå. */
function localDate(value) {
  return formatDateTime(value).slice(0, 10);
}
