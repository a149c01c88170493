// Hash routing: "#/clients/12/edit?x=1" -> route "/clients/:id/edit".
// A view may refuse to be left (unsaved form); the router then puts the old
// address back and asks the user before going on.

/** Splits a location hash into its path and query. */
export function parseHash(hash) {
  const raw = String(hash || '').replace(/^#/, '');
  const i = raw.indexOf('?');
  const path = (i < 0 ? raw : raw.slice(0, i)) || '/';
  const query = new URLSearchParams(i < 0 ? '' : raw.slice(i + 1));
  return { path, query };
}

/**
 * Matches path against pattern. ":name" segments match digits only, so
 * "/clients/new" never matches "/clients/:id".
 */
export function matchPath(pattern, path) {
  const want = pattern.split('/').filter(Boolean);
  const got = path.split('/').filter(Boolean);
  if (want.length !== got.length) return null;
  const params = {};
  for (let i = 0; i < want.length; i += 1) {
    if (want[i].startsWith(':')) {
      if (!/^\d+$/.test(got[i])) return null;
      params[want[i].slice(1)] = got[i];
    } else if (want[i] !== got[i]) {
      return null;
    }
  }
  return params;
}

export class Router {
  /**
   * routes: [{path, page, render(match) -> view}], where view is
   *   {node, title, focus?(), canLeave?(), destroy?()}.
   * home: the hash to show for "#" and "#/".
   * mount(view, route): puts a view on screen.
   * confirmLeave(): Promise<boolean>, asked when a view refuses to be left.
   * win: the window (location, history, events).
   */
  constructor({ routes, home, mount, notFound, confirmLeave, win }) {
    Object.assign(this, { routes, home, mount, notFound, confirmLeave, win });
    this.view = null;
    this.controller = null;
    this.currentHash = '';
    this.asking = false;
  }

  start() {
    this.win.addEventListener('hashchange', () => this.resolve());
    this.resolve();
  }

  /** Goes to hash; replace=true does not leave the current screen in history. */
  navigate(hash, { replace = false, force = false } = {}) {
    if (force) this.forceNext = true;
    if (replace) {
      this.win.history.replaceState(null, '', hash);
      this.resolve();
    } else if (this.win.location.hash === hash) {
      this.resolve();
    } else {
      this.win.location.hash = hash;
    }
  }

  /** Changes the address without rendering again (e.g. the search text). */
  setQuietly(hash) {
    this.win.history.replaceState(null, '', hash);
    this.currentHash = this.win.location.hash;
  }

  /** Renders the current view again (after a language switch). */
  refresh() {
    this.forceNext = true;
    this.resolve();
  }

  /** True when the current view has nothing unsaved. */
  canLeave() {
    return !this.view || !this.view.canLeave || this.view.canLeave();
  }

  async resolve() {
    const hash = this.win.location.hash;
    const { path, query } = parseHash(hash);
    if (path === '/') {
      this.win.history.replaceState(null, '', this.home);
      this.resolve();
      return;
    }
    const force = this.forceNext;
    this.forceNext = false;
    if (!force && this.view && hash !== this.currentHash && !this.canLeave()) {
      // Put the form back on the address bar, then ask.
      this.win.history.replaceState(null, '', this.currentHash);
      if (this.asking) return;
      this.asking = true;
      const leave = await this.confirmLeave();
      this.asking = false;
      if (leave) this.navigate(hash, { force: true });
      return;
    }
    this.show(hash, path, query);
  }

  show(hash, path, query) {
    if (this.controller) this.controller.abort();
    if (this.view && this.view.destroy) this.view.destroy();
    this.controller = new AbortController();
    this.currentHash = hash;
    for (const route of this.routes) {
      const params = matchPath(route.path, path);
      if (params) {
        this.view = route.render({ params, query, signal: this.controller.signal });
        this.mount(this.view, route);
        return;
      }
    }
    this.view = this.notFound();
    this.mount(this.view, null);
  }
}
