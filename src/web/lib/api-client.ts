import { codeForStatus } from '../../shared/error-codes.ts';
import type { Problem } from '../../shared/schemas/common.schema.ts';

/** An API failure as the UI needs it: the problem+json members, or a synthetic one for network errors. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail?: string;
  readonly errors: NonNullable<Problem['errors']>;
  /** On a 409 version conflict: the row as the server has it now. */
  readonly current?: unknown;
  /** The problem's other text and number members (`max`, `cells`): the `{name}` values of its code's message. */
  readonly params: Record<string, string | number>;

  constructor(problem: Pick<Problem, 'status' | 'code' | 'title'> & Partial<Problem>, params: Record<string, string | number> = {}) {
    super(problem.detail ?? problem.title);
    this.name = 'ApiError';
    this.status = problem.status;
    this.code = problem.code;
    this.title = problem.title;
    this.detail = problem.detail;
    this.errors = problem.errors ?? [];
    this.current = problem.current;
    this.params = params;
  }

  /** Someone saved the row since we read it (stale `version`), as opposed to, say, a duplicate name. */
  get isVersionConflict(): boolean {
    return this.status === 409 && (this.code === 'version_conflict' || this.current !== undefined);
  }
}

export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  /** JSON-encoded, except FormData, which goes as multipart/form-data (the browser sets the boundary). */
  body?: unknown;
  query?: Record<string, QueryValue>;
  signal?: AbortSignal;
}

const API_BASE = '/api';
const WRITE_METHODS = new Set<Method>(['POST', 'PUT', 'PATCH', 'DELETE']);

let csrfToken: string | null = null;

/** Kept from the Session of login or GET /auth/me; echoed on every write. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function getCsrfToken(): string | null {
  return csrfToken;
}

/** Builds `/api/path?a=1`, leaving out empty query values. */
export function buildUrl(path: string, query?: Record<string, QueryValue>): string {
  const url = `${API_BASE}${path.startsWith('/') ? path : `/${path}`}`;
  if (!query) return url;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const search = params.toString();
  return search ? `${url}?${search}` : url;
}

/** Turns any non-2xx response into an ApiError, reading problem+json when the server sent it. */
export async function toApiError(response: Response): Promise<ApiError> {
  const fallback = {
    status: response.status,
    code: codeForStatus(response.status) ?? (response.status >= 500 ? 'internal' : 'http_error'),
    title: response.statusText || `HTTP ${response.status}`,
  };
  const type = response.headers.get('content-type') ?? '';
  if (!type.includes('json')) return new ApiError(fallback);
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    return new ApiError(fallback);
  }
  if (!body || typeof body !== 'object') return new ApiError(fallback);
  const problem = body as Partial<Problem> & { message?: unknown; error?: unknown };
  return new ApiError(
    {
      status: typeof problem.status === 'number' ? problem.status : response.status,
      code: typeof problem.code === 'string' ? problem.code : fallback.code,
      title: typeof problem.title === 'string' ? problem.title : typeof problem.error === 'string' ? problem.error : fallback.title,
      detail: typeof problem.detail === 'string' ? problem.detail : typeof problem.message === 'string' ? problem.message : undefined,
      errors: Array.isArray(problem.errors) ? problem.errors : undefined,
      current: problem.current,
    },
    paramsOf(problem),
  );
}

const PROBLEM_MEMBERS = new Set(['type', 'title', 'status', 'detail', 'instance', 'code', 'errors', 'current', 'message', 'error']);

/** The extra members of a problem a message may name (`{max}`): text and numbers only. */
function paramsOf(problem: Record<string, unknown>): Record<string, string | number> {
  const params: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(problem)) {
    if (!PROBLEM_MEMBERS.has(key) && (typeof value === 'string' || typeof value === 'number')) params[key] = value;
  }
  return params;
}

/** The one way the SPA talks to the server: same-origin cookies, JSON both ways, CSRF on writes. */
export async function apiRequest<T>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  let body: string | FormData | undefined;
  if (options.body instanceof FormData) body = options.body;
  else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  if (WRITE_METHODS.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;

  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (error) {
    if ((error as { name?: string })?.name === 'AbortError') throw error;
    throw new ApiError({ status: 0, code: 'network', title: 'Network error', detail: String((error as Error)?.message ?? error) });
  }

  if (!response.ok) throw await toApiError(response);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const api = {
  get: <T>(path: string, query?: Record<string, QueryValue>, signal?: AbortSignal) => apiRequest<T>('GET', path, { query, signal }),
  post: <T>(path: string, body?: unknown) => apiRequest<T>('POST', path, { body }),
  put: <T>(path: string, body?: unknown) => apiRequest<T>('PUT', path, { body }),
  patch: <T>(path: string, body?: unknown) => apiRequest<T>('PATCH', path, { body }),
  delete: <T>(path: string, query?: Record<string, QueryValue>) => apiRequest<T>('DELETE', path, { query }),
  /** POSTs one file as multipart field `file`, after any `fields` (the server streams the file part and sees only what came first). */
  upload: <T>(
    path: string,
    file: Blob & { name?: string },
    options: { query?: Record<string, QueryValue>; fields?: Record<string, string> } = {},
  ) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(options.fields ?? {})) form.append(name, value);
    form.append('file', file, file.name ?? 'upload');
    return apiRequest<T>('POST', path, { body: form, query: options.query });
  },
};
