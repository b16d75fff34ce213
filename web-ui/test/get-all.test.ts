import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getAll } from '../src/api/client';

type Answer = Record<string, unknown>;

/** Replaces fetch with one that answers the given pages in order and records the URLs asked. */
function serve(pages: Answer[]): string[] {
  const asked: string[] = [];
  globalThis.fetch = (async (url: string) => {
    asked.push(url);
    const page = pages.shift();
    assert.ok(page, `an unexpected request: ${url}`);
    return new Response(JSON.stringify(page), { status: 200, headers: { 'Content-Type': 'application/json' } });
  }) as typeof fetch;
  return asked;
}

test('a listing that answers cursors is followed by cursor, its total taken from the first page', async () => {
  const asked = serve([
    { items: [1, 2], offset: 0, limit: 1000, total: 3, nextOffset: 2, next: 'c-1' },
    { items: [3], offset: null, limit: 1000, total: null, nextOffset: null, next: null },
  ]);
  const all = await getAll<number>('/runs', { experiment: 7, sort: '-metrics.acc' });
  assert.deepEqual(all, { items: [1, 2, 3], total: 3 });
  assert.deepEqual(asked, [
    '/api/v1/runs?experiment=7&sort=-metrics.acc&limit=1000',
    '/api/v1/runs?experiment=7&sort=-metrics.acc&cursor=c-1&limit=1000',
  ]);
});

test('a listing without cursors is followed by offset', async () => {
  const asked = serve([
    { items: ['a'], offset: 0, limit: 1000, total: 2, nextOffset: 1 },
    { items: ['b'], offset: 1, limit: 1000, total: 2, nextOffset: null },
  ]);
  assert.deepEqual(await getAll<string>('/experiments', {}), { items: ['a', 'b'], total: 2 });
  assert.deepEqual(asked, ['/api/v1/experiments?limit=1000', '/api/v1/experiments?offset=1&limit=1000']);
});
