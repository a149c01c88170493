// One audit row as a sentence a data controller reads without a manual:
// "Søk i Persontjenesten på fødselsnummer 140385*****: 1 treff." The
// server's query text ("nin=… givenName=…", "job=… done=…") is read here;
// error codes become plain words. Pure functions: no DOM.

/** Reads "a=1 b=two words c=3" into {a: "1", b: "two words", c: "3"}. */
export function parseQuery(q) {
  const out = {};
  const re = /(\w+)=((?:(?!\s\w+=).)*)/g;
  let m;
  while ((m = re.exec(String(q || '')))) out[m[1]] = m[2].trim();
  return out;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
const dmy = (v) => {
  const m = ISO.exec(v || '');
  return m ? `${m[3]}.${m[2]}.${m[1]}` : v;
};

/** What was asked, in words: "fødselsnummer 140385*****, navn Kari Nordmann". */
function asked(t, q) {
  const parts = [];
  if (q.nin) parts.push(t('auditS.nin', { v: q.nin }));
  const name = q.fullName || [q.givenName, q.middleName, q.familyName].filter(Boolean).join(' ');
  if (name) parts.push(t('auditS.name', { v: name }));
  if (q.birthDate) parts.push(t('auditS.birthDate', { v: dmy(q.birthDate) }));
  if (q.streetAddress) parts.push(t('auditS.street', { v: q.streetAddress }));
  if (q.postalCode) parts.push(t('auditS.postalCode', { v: q.postalCode }));
  if (q.municipalityNumber) parts.push(t('auditS.municipality', { v: q.municipalityNumber }));
  if (q.personId && !q.nin) parts.push(t('auditS.picked'));
  return parts.join(', ');
}

/** The row's sentence, without the outcome. */
export function describe(t, r) {
  const q = parseQuery(r.query);
  const n = r.results ?? 0;
  switch (r.action) {
    case 'search':
      return t('auditS.search', { what: asked(t, q) || '–', n });
    case 'lookup':
      return t('auditS.lookup', { what: asked(t, q) || '–' });
    case 'update': {
      const who = q.clientId ? t('auditS.client', { id: q.clientId }) : '';
      const key = q.job ? 'auditS.updateBulk' : 'auditS.update';
      return t(key, { who, nin: q.nin ? t('auditS.nin', { v: q.nin }) : '' }).replace(/\s+\(\)/, '');
    }
    case 'activate':
    case 'refresh':
      return t(`auditS.${r.action}`, {
        org: q.subOrg ? `${q.org} / ${q.subOrg}` : q.org || '–',
        env: q.environment || '–',
        client: q.clientId || '–',
        tenancy: t(q.tenancy === 'single' ? 'auditS.single' : 'auditS.multi'),
      });
    case 'idporten_settings':
      return idporten(t, q);
    case 'bulk':
      if (q.done !== undefined) return t('auditS.bulkDone', { total: q.clients ?? '?', done: q.done, changed: q.changed ?? 0, failed: q.failed ?? 0 });
      if (q.clients === '0') return t('auditS.bulkNone');
      return t('auditS.bulkStart');
    default:
      return r.query || '';
  }
}

/**
 * A change to the ID-porten settings: "ID-porten-innstillinger endret:
 * sikkerhetsnivå høyt." or "Ny nøkkel for ID-porten laget (RS256, nøkkel-ID …)."
 */
function idporten(t, q) {
  if (q.change === 'settings') {
    const parts = [];
    if (q.issuer !== undefined) parts.push(t('auditS.idp.issuer', { v: q.issuer }));
    if (q.clientId !== undefined) parts.push(t('auditS.idp.clientId', { v: q.clientId }));
    if (q.level !== undefined) {
      const key = `auditS.idp.level.${q.level}`;
      const words = t(key);
      parts.push(t('auditS.idp.level', { v: words === key ? q.level : words }));
    }
    if (q.askName !== undefined) parts.push(t(q.askName === 'true' ? 'auditS.idp.askName.yes' : 'auditS.idp.askName.no'));
    return t('auditS.idp.settings', { what: parts.join(', ') || '–' });
  }
  const key = `auditS.idp.${q.change}`;
  const words = t(key, { kid: q.kid || '–', alg: q.alg || '–' });
  return words === key ? '' : words;
}

/** The outcome in words: "OK", or "Feil: Persontjenesten var opptatt". */
export function outcomeText(t, r) {
  if (r.outcome === 'ok') return t('audit.outcome.ok');
  if (!r.errorCode) return t('audit.outcome.error');
  const key = `auditS.err.${r.errorCode}`;
  const words = t(key);
  return `${t('audit.outcome.error')}: ${words === key ? r.errorCode : words}`;
}

export const nb = {
  'auditS.nin': 'fødselsnummer {v}',
  'auditS.name': 'navn {v}',
  'auditS.birthDate': 'født {v}',
  'auditS.street': 'adresse {v}',
  'auditS.postalCode': 'postnummer {v}',
  'auditS.municipality': 'kommunenummer {v}',
  'auditS.picked': 'et valgt søketreff',
  'auditS.client': 'klient {id}',
  'auditS.search': 'Søk i Persontjenesten på {what}: {n} treff.',
  'auditS.lookup': 'Henting av person fra Persontjenesten: {what}.',
  'auditS.update': 'Oppdatering av {who} ({nin}) fra Persontjenesten.',
  'auditS.updateBulk': 'Oppdatering av {who} ({nin}) under «Oppdater alle».',
  'auditS.activate': 'Aktivering: sjekk av tilgang for organisasjonsnummer {org} (miljø {env}, HelseID-klient {client}, {tenancy}).',
  'auditS.refresh': 'Sjekk av innstillinger for organisasjonsnummer {org} (miljø {env}, HelseID-klient {client}, {tenancy}).',
  'auditS.single': 'egen klient',
  'auditS.multi': 'leverandørens felles klient',
  'auditS.bulkStart': '«Oppdater alle» startet.',
  'auditS.bulkNone': '«Oppdater alle»: ingen klienter med fødselsnummer.',
  'auditS.bulkDone': '«Oppdater alle»: {done} av {total} klienter sjekket, {changed} endret, {failed} ikke oppdatert.',
  'auditS.idp.settings': 'ID-porten-innstillingene endret: {what}.',
  'auditS.idp.issuer': 'utsteder {v}',
  'auditS.idp.clientId': 'klient-ID {v}',
  'auditS.idp.level': 'sikkerhetsnivå {v}',
  'auditS.idp.level.idporten-loa-substantial': 'betydelig',
  'auditS.idp.level.idporten-loa-high': 'høyt',
  'auditS.idp.askName.yes': 'ber om navnet',
  'auditS.idp.askName.no': 'ber ikke om navnet',
  'auditS.idp.key_generated': 'Ny nøkkel for ID-porten laget ({alg}, nøkkel-ID {kid}).',
  'auditS.idp.key_imported': 'Nøkkel for ID-porten importert ({alg}, nøkkel-ID {kid}).',
  'auditS.idp.key_installed': 'Nøkkel for ID-porten tatt i bruk av programmet ({alg}, nøkkel-ID {kid}).',
  'auditS.idp.key_removed': 'Nøkkelen for ID-porten slettet (nøkkel-ID {kid}).',
  'auditS.err.nhn_rate_limited': 'Persontjenesten var opptatt',
  'auditS.err.nhn_unavailable': 'fikk ikke svar fra Norsk helsenett',
  'auditS.err.nhn_no_access': 'Norsk helsenett avviste forespørselen',
  'auditS.err.person_not_found': 'fant ingen person',
  'auditS.err.not_activated': 'Persontjenesten var ikke aktivert',
  'auditS.err.invalid_client': 'feil klient-ID eller nøkkel',
  'auditS.err.no_delegation': 'mangler delegering',
  'auditS.err.invalid_scope': 'mangler tilgang til API-et',
  'auditS.err.no_agreement': 'mangler avtale med Norsk helsenett',
  'auditS.err.helseid_unavailable': 'HelseID svarte ikke',
  'auditS.err.persontjenesten_unavailable': 'Persontjenesten svarte ikke',
  'auditS.err.conflict': 'klienten ble endret samtidig',
  'auditS.err.cancelled': 'avbrutt',
  'auditS.err.duplicate': 'nummeret finnes på en annen klient',
  'auditS.err.internal': 'feil i Resepsjon',
};

export const en = {
  'auditS.nin': 'identity number {v}',
  'auditS.name': 'name {v}',
  'auditS.birthDate': 'born {v}',
  'auditS.street': 'address {v}',
  'auditS.postalCode': 'postal code {v}',
  'auditS.municipality': 'municipality number {v}',
  'auditS.picked': 'a chosen search match',
  'auditS.client': 'client {id}',
  'auditS.search': 'Search in the Person Service for {what}: {n} matches.',
  'auditS.lookup': 'Person fetched from the Person Service: {what}.',
  'auditS.update': 'Update of {who} ({nin}) from the Person Service.',
  'auditS.updateBulk': 'Update of {who} ({nin}) during “Update all”.',
  'auditS.activate': 'Activation: access check for organisation number {org} (environment {env}, HelseID client {client}, {tenancy}).',
  'auditS.refresh': 'Settings check for organisation number {org} (environment {env}, HelseID client {client}, {tenancy}).',
  'auditS.single': 'own client',
  'auditS.multi': 'the vendor’s shared client',
  'auditS.bulkStart': '“Update all” started.',
  'auditS.bulkNone': '“Update all”: no clients with an identity number.',
  'auditS.bulkDone': '“Update all”: {done} of {total} clients checked, {changed} changed, {failed} not updated.',
  'auditS.idp.settings': 'ID-porten settings changed: {what}.',
  'auditS.idp.issuer': 'issuer {v}',
  'auditS.idp.clientId': 'client ID {v}',
  'auditS.idp.level': 'level of assurance {v}',
  'auditS.idp.level.idporten-loa-substantial': 'substantial',
  'auditS.idp.level.idporten-loa-high': 'high',
  'auditS.idp.askName.yes': 'asks for the name',
  'auditS.idp.askName.no': 'does not ask for the name',
  'auditS.idp.key_generated': 'New ID-porten key generated ({alg}, key ID {kid}).',
  'auditS.idp.key_imported': 'ID-porten key imported ({alg}, key ID {kid}).',
  'auditS.idp.key_installed': 'ID-porten key put in use by the program ({alg}, key ID {kid}).',
  'auditS.idp.key_removed': 'ID-porten key deleted (key ID {kid}).',
  'auditS.err.nhn_rate_limited': 'the Person Service was busy',
  'auditS.err.nhn_unavailable': 'no answer from Norsk helsenett',
  'auditS.err.nhn_no_access': 'Norsk helsenett refused the request',
  'auditS.err.person_not_found': 'no person found',
  'auditS.err.not_activated': 'the Person Service was not activated',
  'auditS.err.invalid_client': 'wrong client id or key',
  'auditS.err.no_delegation': 'no delegation',
  'auditS.err.invalid_scope': 'no access to the API',
  'auditS.err.no_agreement': 'no agreement with Norsk helsenett',
  'auditS.err.helseid_unavailable': 'HelseID did not answer',
  'auditS.err.persontjenesten_unavailable': 'the Person Service did not answer',
  'auditS.err.conflict': 'the client was changed at the same time',
  'auditS.err.cancelled': 'cancelled',
  'auditS.err.duplicate': 'the number belongs to another client',
  'auditS.err.internal': 'an error in Resepsjon',
};
