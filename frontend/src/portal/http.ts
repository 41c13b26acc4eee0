// The portal's calls to the API: same origin, the session cookie as the only
// credential (never a token in storage or in a URL), JSON in and out,
// problem+json errors as ApiError. A 401 on anything but the login itself
// calls the handler main.ts sets: it keeps the work and shows the login.

import { ApiError } from '../api';

export interface CallError {
  field: string;
  reason: string;
  row?: number;
  column?: string;
}

/** ApiError with the problem's type and the CSV members (row, column) of its errors. */
export class PortalError extends ApiError {
  constructor(status: number, title: string, detail: string, readonly type: string, readonly fieldErrors: CallError[]) {
    super(status, title, detail, fieldErrors.map((e) => ({ field: e.field, reason: e.reason })));
  }
}

let onUnauthenticated: (e: PortalError) => void = () => {};
export function setUnauthenticatedHandler(fn: (e: PortalError) => void): void {
  onUnauthenticated = fn;
}

export interface Answer<T> {
  status: number;
  data: T;
  etag: string | null;
}

export interface CallOptions {
  body?: unknown;
  /** Sent as the raw body with this content type (e.g. text/csv) instead of JSON. */
  raw?: { text: string; type: string };
  ifMatch?: string | null;
  idempotencyKey?: string;
  /** The login call: a 401 there is a wrong password, not an expired session. */
  noAuthRedirect?: boolean;
}

async function problem(res: Response): Promise<PortalError> {
  let title = res.statusText || `HTTP ${res.status}`;
  let detail = '';
  let type = 'about:blank';
  let errors: CallError[] = [];
  try {
    const b = await res.json();
    title = b.title ?? title;
    detail = b.detail ?? '';
    type = b.type ?? type;
    errors = Array.isArray(b.errors) ? b.errors : [];
  } catch {
    // not a problem document
  }
  return new PortalError(res.status, title, detail, type, errors);
}

export async function call<T>(method: string, path: string, opts: CallOptions = {}): Promise<Answer<T>> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  let body: string | undefined;
  if (opts.raw) {
    headers['Content-Type'] = opts.raw.type;
    body = opts.raw.text;
  } else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  if (opts.ifMatch) headers['If-Match'] = opts.ifMatch;
  if (opts.idempotencyKey) headers['Idempotency-Key'] = opts.idempotencyKey;
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body, credentials: 'same-origin', cache: 'no-store' });
  } catch (e) {
    throw new PortalError(0, 'Network error', `Could not reach the tracker (${(e as Error).message}). Nothing was lost: try again.`, 'network', []);
  }
  if (!res.ok) {
    const p = await problem(res);
    if (res.status === 401 && !opts.noAuthRedirect) onUnauthenticated(p);
    throw p;
  }
  const etag = res.headers.get('ETag');
  const text = res.status === 204 ? '' : await res.text();
  const ct = res.headers.get('Content-Type') ?? '';
  const data = (text && ct.includes('json') ? JSON.parse(text) : text) as T;
  return { status: res.status, data, etag };
}

export const get = <T>(path: string) => call<T>('GET', path).then((a) => a.data);

/** A fresh idempotency key (kept by the caller for retries of the same action). */
export function newKey(): string {
  return crypto.randomUUID();
}

/** The ETag of a report version ("<version>" as the API sends it). */
export const etagOf = (version: number) => `"${version}"`;
