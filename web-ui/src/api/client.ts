// The one way the app talks to query-service: same origin, /api/v1, a bearer token when signed
// in, JSON errors turned into ApiError, and conditional GETs (If-None-Match) so polling while
// runs train costs the server a hash and the network nothing when nothing changed.

import type { ApiErrorBody, CursorPage } from './types';

export class ApiError extends Error {
  constructor(readonly status: number, readonly body: ApiErrorBody | null, message: string) {
    super(message);
  }

  /** The server's sentence with the column it points at, for a filter box. */
  describe(): string {
    if (!this.body) return this.message;
    const where = this.body.column ? ` (column ${this.body.column})` : '';
    return `${this.body.message}${where}`;
  }
}

type TokenSource = () => Promise<string | null>;

let tokenSource: TokenSource = async () => null;

export function setTokenSource(source: TokenSource): void {
  tokenSource = source;
}

const etagCache = new Map<string, { etag: string; body: unknown }>();

async function headers(extra: Record<string, string> = {}): Promise<Headers> {
  const h = new Headers({ Accept: 'application/json', ...extra });
  const token = await tokenSource();
  if (token) h.set('Authorization', `Bearer ${token}`);
  return h;
}

async function failure(response: Response, what: string): Promise<ApiError> {
  let body: ApiErrorBody | null = null;
  try {
    const parsed = await response.json();
    if (parsed && typeof parsed.message === 'string') body = parsed as ApiErrorBody;
  } catch {
    // not Athanor's JSON: the status line says enough
  }
  const message = body?.message ?? `${what} answered ${response.status} ${response.statusText}`;
  return new ApiError(response.status, body, message);
}

/** GET /api/v1{path} as JSON. Reuses the cached body when the server answers 304. */
export async function get<T>(path: string, signal?: AbortSignal): Promise<T> {
  const url = `/api/v1${path}`;
  const cached = etagCache.get(url);
  const response = await fetch(url, {
    headers: await headers(cached ? { 'If-None-Match': cached.etag } : {}),
    signal,
  });
  if (response.status === 304 && cached) return cached.body as T;
  if (!response.ok) throw await failure(response, `GET ${url}`);
  const body = (await response.json()) as T;
  const etag = response.headers.get('ETag');
  if (etag) {
    if (etagCache.size > 500) etagCache.clear();
    etagCache.set(url, { etag, body });
  }
  return body;
}

/** An answer that may be 202 Accepted (work under way: `body` says how far, ask again after `retryAfterSeconds`). */
export type MaybeAccepted<T, P> = { status: 200; body: T } | { status: 202; body: P; retryAfterSeconds: number };

/** GET /api/v1{path} as JSON, where the server may answer 202 while it prepares the answer. */
export async function getOrAccepted<T, P>(path: string, signal?: AbortSignal): Promise<MaybeAccepted<T, P>> {
  const url = `/api/v1${path}`;
  const response = await fetch(url, { headers: await headers(), signal });
  if (!response.ok) throw await failure(response, `GET ${url}`);
  if (response.status === 202) {
    const retry = Number(response.headers.get('Retry-After'));
    return { status: 202, body: (await response.json()) as P, retryAfterSeconds: Number.isFinite(retry) && retry > 0 ? retry : 1 };
  }
  return { status: 200, body: (await response.json()) as T };
}

export async function post<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T> {
  const url = `/api/v1${path}`;
  const response = await fetch(url, {
    method: 'POST',
    headers: await headers({ 'Content-Type': 'application/json' }),
    body: JSON.stringify(body),
    signal,
  });
  if (!response.ok) throw await failure(response, `POST ${url}`);
  return (await response.json()) as T;
}

export async function patch<T>(path: string, body: unknown): Promise<T> {
  const url = `/api/v1${path}`;
  const response = await fetch(url, {
    method: 'PATCH',
    headers: await headers({ 'Content-Type': 'application/json' }),
    body: JSON.stringify(body),
  });
  if (!response.ok) throw await failure(response, `PATCH ${url}`);
  // A later GET of the same URL must not be answered from a stale ETag body.
  etagCache.clear();
  return (await response.json()) as T;
}

export async function put<T>(path: string, body: unknown): Promise<T> {
  const url = `/api/v1${path}`;
  const response = await fetch(url, {
    method: 'PUT',
    headers: await headers({ 'Content-Type': 'application/json' }),
    body: JSON.stringify(body),
  });
  if (!response.ok) throw await failure(response, `PUT ${url}`);
  etagCache.clear();
  return (await response.json()) as T;
}

export async function del(path: string): Promise<void> {
  const url = `/api/v1${path}`;
  const response = await fetch(url, { method: 'DELETE', headers: await headers({}) });
  if (!response.ok) throw await failure(response, `DELETE ${url}`);
  etagCache.clear();
}

/** Bytes of a URL the API gave (blob data, downloads), with the token; `url` may be absolute or /api/v1-relative. */
export async function fetchBlob(url: string, signal?: AbortSignal): Promise<globalThis.Blob> {
  const full = url.startsWith('/') || /^https?:/.test(url) ? url : `/api/v1/${url}`;
  const response = await fetch(full, { headers: await headers({ Accept: '*/*' }), signal });
  if (!response.ok) throw await failure(response, `GET ${full}`);
  return response.blob();
}

/** Builds a query string, skipping empty values and repeating arrays. */
export function query(params: Record<string, string | number | boolean | null | undefined | (string | number)[]>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === null || v === undefined || v === '') continue;
    if (Array.isArray(v)) v.forEach((item) => q.append(k, String(item)));
    else q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

/**
 * Every page of a paged list (limit 1000 per request): after the cursor a page answers in `next`
 * (keyset paging: each page costs like the first; the runs listing), else at its `nextOffset`.
 * The total is the first page's (later cursor pages are not counted).
 */
export async function getAll<T>(path: string, params: Record<string, string | number | undefined>, signal?: AbortSignal): Promise<{ items: T[]; total: number }> {
  const items: T[] = [];
  let after: { cursor?: string; offset?: number } | null = {};
  let total: number | null = null;
  while (after !== null) {
    const page: CursorPage<T> = await get(`${path}${query({ ...params, ...after, limit: 1000 })}`, signal);
    items.push(...page.items);
    if (total === null && page.total !== null) total = page.total;
    after = page.next ? { cursor: page.next } : page.nextOffset !== null && page.nextOffset !== undefined ? { offset: page.nextOffset } : null;
  }
  return { items, total: total ?? items.length };
}
