// The router's address parsing and path matching (ui/router.js).
// The folder starts with "_", so go:embed leaves these files out of the binary.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { matchPath, parseHash } from '../router.js';

test('parseHash splits path and query', () => {
  const cases = [
    ['', '/', ''],
    ['#', '/', ''],
    ['#/', '/', ''],
    ['#/clients', '/clients', ''],
    ['#/clients?q=kari+nord&page=2', '/clients', 'q=kari+nord&page=2'],
    ['#/clients/12/edit?x=1', '/clients/12/edit', 'x=1'],
    ['#?q=a', '/', 'q=a'],
    [undefined, '/', ''],
  ];
  for (const [hash, path, query] of cases) {
    const got = parseHash(hash);
    assert.equal(got.path, path, `path of ${hash}`);
    assert.equal(got.query.toString(), query, `query of ${hash}`);
  }
  assert.equal(parseHash('#/clients?q=%C3%85se').query.get('q'), 'Åse');
});

test('matchPath matches literal segments and numeric parameters', () => {
  const cases = [
    ['/clients', '/clients', {}],
    ['/clients', '/clients/', {}],
    ['/clients/:id', '/clients/12', { id: '12' }],
    ['/clients/:id/edit', '/clients/12/edit', { id: '12' }],
    ['/clients/:id', '/clients/new', null],
    ['/clients/new', '/clients/new', {}],
    ['/clients/:id', '/clients/12/edit', null],
    ['/clients/:id/edit', '/clients/12', null],
    ['/clients/:id', '/clients/-1', null],
    ['/clients/:id', '/clients/1e3', null],
    ['/clients', '/settings', null],
    ['/', '/', {}],
  ];
  for (const [pattern, path, want] of cases) {
    assert.deepEqual(matchPath(pattern, path), want, `${pattern} against ${path}`);
  }
});
