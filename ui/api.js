// The app's JSON API, as seen from the page. The session cookie is HttpOnly and
// same-origin, so fetch sends it by itself; this module adds the language
// header, a timeout, and turns every failure into one of three error types the
// screens decide on.

/** How long any API call may take before the user is told it did not answer. */
const TIMEOUT_MS = 20000;

/** The server answered with an error document ({"error": {...}}). */
export class ApiError extends Error {
  constructor(status, body) {
    const e = (body && body.error) || {};
    super(e.message || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = e.code || 'internal';
    this.serverMessage = e.message || '';
    this.fields = e.fields || {};
    this.fieldCodes = e.fieldCodes || {};
    this.existingId = e.existingId ?? null;
    this.currentVersion = e.currentVersion ?? null;
  }
}

/** The server could not be reached, or did not answer in time. */
export class NetworkError extends Error {
  constructor(cause, timedOut) {
    super(timedOut ? 'timeout' : 'network', { cause });
    this.name = 'NetworkError';
    this.timedOut = timedOut;
  }
}

/** The session has ended (401); the screen is replaced, callers just stop. */
export class SessionEndedError extends Error {
  constructor() {
    super('session ended');
    this.name = 'SessionEndedError';
  }
}

/** True for the error a fetch throws when its caller aborted it on purpose. */
export function isAbort(err) {
  return err && err.name === 'AbortError';
}

/**
 * Creates the API client.
 * lang: () => "nb" | "en", read on every call so a language switch applies at once.
 * onSessionEnded: called once per 401 answer.
 * fetchFn: window.fetch (passed in so the dependency is explicit).
 */
export function createApi({ lang, onSessionEnded, fetchFn }) {
  // Counts writes (every call but GET), before and after each, so that the
  // client list's cache of answers can drop what a write may have changed.
  let writes = 0;
  async function call(method, path, { body, signal } = {}) {
    if (method === 'GET') return send(method, path, { body, signal });
    writes += 1;
    try {
      return await send(method, path, { body, signal });
    } finally {
      writes += 1;
    }
  }

  async function send(method, path, { body, signal }) {
    const timeout = AbortSignal.timeout(TIMEOUT_MS);
    const headers = { Accept: 'application/json', 'Accept-Language': lang() };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let res;
    try {
      res = await fetchFn(path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'same-origin',
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (err) {
      if (signal && signal.aborted) throw err;
      throw new NetworkError(err, timeout.aborted);
    }
    if (res.status === 401) {
      onSessionEnded();
      throw new SessionEndedError();
    }
    if (res.status === 204) return null;
    let data = null;
    try {
      data = await res.json();
    } catch (err) {
      if (signal && signal.aborted) throw err;
      // A non-JSON answer (a proxy, a crash page): keep the status, say it generically.
      data = null;
    }
    if (!res.ok) throw new ApiError(res.status, data);
    return data;
  }

  const clientPath = (id) => `/api/clients/${encodeURIComponent(id)}`;

  return {
    /** Any route: call(method, path, {body, signal}); used by pages with their own routes. */
    call,
    /** A number that changes with every write made through this API (see call). */
    writes: () => writes,
    /** GET /api/app -> {version, demo, language} */
    app: (signal) => call('GET', '/api/app', { signal }),
    /** GET /api/clients -> {results, total} */
    listClients: ({ q = '', limit = 50, offset = 0 }, signal) => {
      const params = new URLSearchParams({ q, limit: String(limit), offset: String(offset) });
      return call('GET', `/api/clients?${params}`, { signal });
    },
    /** GET /api/clients/ahead -> {answers: [{q, results, total}]}: every one-character search. */
    listClientsAhead: ({ limit = 50 }, signal) => call('GET', `/api/clients/ahead?limit=${encodeURIComponent(limit)}`, { signal }),
    getClient: (id, signal) => call('GET', clientPath(id), { signal }),
    createClient: (client) => call('POST', '/api/clients', { body: client }),
    updateClient: (id, client) => call('PUT', clientPath(id), { body: client }),
    deleteClient: (id, version) =>
      call('DELETE', `${clientPath(id)}?version=${encodeURIComponent(version)}`),
    /** GET /api/audit?params -> {results, total}; params is a URLSearchParams. */
    audit: (params, signal) => call('GET', `/api/audit?${params}`, { signal }),
    /** The Persontjenesten routes: activation, settings, search, import, update, update all. */
    persontjenesten: {
      status: (signal) => call('GET', '/api/persontjenesten/status', { signal }),
      saveSettings: (body, signal) => call('PUT', '/api/persontjenesten/settings', { body, signal }),
      key: (body, signal) => call('POST', '/api/persontjenesten/key', { body, signal }),
      activate: (signal) => call('POST', '/api/persontjenesten/activate', { body: {}, signal }),
      refresh: (signal) => call('POST', '/api/persontjenesten/refresh', { body: {}, signal }),
      deactivate: (signal) => call('POST', '/api/persontjenesten/deactivate', { body: {}, signal }),
      search: (body, signal) => call('POST', '/api/persontjenesten/search', { body, signal }),
      lookup: (body, signal) => call('POST', '/api/persontjenesten/lookup', { body, signal }),
      /** The client with the register's current values and the list of changes; not saved. */
      update: (id, signal) => call('POST', `${clientPath(id)}/persontjenesten/update`, { body: {}, signal }),
      /** Update all: start, read the running or last run, cancel. */
      startRefreshAll: (signal) => call('POST', '/api/persontjenesten/refresh-all', { body: {}, signal }),
      refreshAll: (signal) => call('GET', '/api/persontjenesten/refresh-all', { signal }),
      cancelRefreshAll: (signal) => call('DELETE', '/api/persontjenesten/refresh-all', { signal }),
    },
  };
}

/**
 * A failed call in the user's words: the network texts, else the server's
 * message, else the generic text. timeoutKey names the text for a timeout.
 */
export function errorText(t, err, timeoutKey = 'error.timeout') {
  if (err instanceof NetworkError) return t(err.timedOut ? timeoutKey : 'error.network');
  if (err instanceof ApiError && err.serverMessage) return err.serverMessage;
  return t('error.generic');
}
