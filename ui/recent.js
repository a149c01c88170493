// "Sist brukt": the clients opened recently on this PC, kept in the
// browser's storage (ids and names only, never identity numbers), newest
// first. A blocked storage just means no list.

const KEY = 'resepsjon.recent';
const MAX = 8;

/** The remembered clients: [{id, name}], newest first. */
export function recentClients(storage) {
  try {
    const list = JSON.parse(storage.getItem(KEY) || '[]');
    return Array.isArray(list) ? list.filter((x) => x && x.id && typeof x.name === 'string').slice(0, MAX) : [];
  } catch {
    return [];
  }
}

/** Puts the client first in the list. */
export function rememberClient(storage, id, name) {
  const list = recentClients(storage).filter((x) => String(x.id) !== String(id));
  list.unshift({ id: String(id), name });
  try {
    storage.setItem(KEY, JSON.stringify(list.slice(0, MAX)));
  } catch {
    // Storage blocked: nothing to remember.
  }
}

/** Drops a client (deleted) from the list. */
export function forgetClient(storage, id) {
  const list = recentClients(storage).filter((x) => String(x.id) !== String(id));
  try {
    storage.setItem(KEY, JSON.stringify(list));
  } catch {
    // Storage blocked.
  }
}
