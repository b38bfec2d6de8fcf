import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, api, buildUrl, setCsrfToken } from './api-client.ts';

type FetchArgs = [input: string, init: RequestInit];

function jsonResponse(status: number, body: unknown, type = 'application/json'): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });
}

describe('api-client', () => {
  const fetchMock = vi.fn<(...args: FetchArgs) => Promise<Response>>();

  beforeEach(() => {
    fetchMock.mockReset();
    vi.stubGlobal('fetch', fetchMock);
    setCsrfToken(null);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('parses a problem+json error into an ApiError with code, detail and field errors', async () => {
    fetchMock.mockResolvedValue(
      jsonResponse(
        400,
        {
          type: 'about:blank',
          title: 'Bad Request',
          status: 400,
          code: 'validation',
          detail: 'body/name: Required',
          errors: [{ path: 'name', message: 'Required' }],
        },
        'application/problem+json; charset=utf-8',
      ),
    );
    const error = await api.post('/organisations', { name: '' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 400,
      code: 'validation',
      title: 'Bad Request',
      detail: 'body/name: Required',
      errors: [{ path: 'name', message: 'Required' }],
    });
  });

  it('keeps the current row of a 409 version conflict', async () => {
    fetchMock.mockResolvedValue(
      jsonResponse(
        409,
        { type: 'about:blank', title: 'Conflict', status: 409, code: 'version_conflict', current: { id: 'x', version: 3 } },
        'application/problem+json',
      ),
    );
    const error = (await api.patch('/organisations/x', { version: 2 }).catch((e: unknown) => e)) as ApiError;
    expect(error.isVersionConflict).toBe(true);
    expect(error.current).toEqual({ id: 'x', version: 3 });

    // A duplicate name is a 409 too, but not a stale version: the UI must not "reload the latest".
    fetchMock.mockResolvedValue(
      jsonResponse(409, { type: 'about:blank', title: 'Conflict', status: 409, code: 'conflict', detail: 'name taken' }),
    );
    const duplicate = (await api.post('/organisations', { name: '淇县政府' }).catch((e: unknown) => e)) as ApiError;
    expect(duplicate.isVersionConflict).toBe(false);
    expect(duplicate.detail).toBe('name taken');
  });

  it('makes an ApiError from a non-JSON failure and from a network failure', async () => {
    fetchMock.mockResolvedValueOnce(new Response('<html>bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }));
    await expect(api.get('/plans')).rejects.toMatchObject({ status: 502, code: 'internal', title: 'Bad Gateway' });

    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'));
    await expect(api.get('/plans')).rejects.toMatchObject({ status: 0, code: 'network' });
  });

  it('sends the CSRF token on writes only, with same-origin credentials and JSON', async () => {
    setCsrfToken('tok-123');
    fetchMock.mockImplementation(async () => jsonResponse(200, { ok: true }));

    await api.get('/plans', { q: '道路', sectionId: undefined, limit: 20 });
    await api.patch('/organisations/abc', { version: 1, name: '淇县' });
    await api.delete('/organisations/abc', { version: 2 });
    await api.post('/auth/logout');

    const [getUrl, getInit] = fetchMock.mock.calls[0];
    expect(getUrl).toBe(`/api/plans?q=${encodeURIComponent('道路')}&limit=20`);
    expect(getInit.credentials).toBe('same-origin');
    expect((getInit.headers as Record<string, string>)['x-csrf-token']).toBeUndefined();

    const [patchUrl, patchInit] = fetchMock.mock.calls[1];
    expect(patchUrl).toBe('/api/organisations/abc');
    expect(patchInit.method).toBe('PATCH');
    expect(patchInit.headers).toMatchObject({ 'x-csrf-token': 'tok-123', 'content-type': 'application/json' });
    expect(JSON.parse(String(patchInit.body))).toEqual({ version: 1, name: '淇县' });

    const [deleteUrl, deleteInit] = fetchMock.mock.calls[2];
    expect(deleteUrl).toBe('/api/organisations/abc?version=2');
    expect(deleteInit.headers).toMatchObject({ 'x-csrf-token': 'tok-123' });

    // A body-less POST must not claim a JSON body (fastify rejects an empty JSON body).
    const [, logoutInit] = fetchMock.mock.calls[3];
    expect(logoutInit.headers).toMatchObject({ 'x-csrf-token': 'tok-123' });
    expect((logoutInit.headers as Record<string, string>)['content-type']).toBeUndefined();
  });

  it('returns undefined for 204 and builds URLs without empty values', async () => {
    fetchMock.mockResolvedValue(new Response(null, { status: 204 }));
    await expect(api.delete('/assignments/1')).resolves.toBeUndefined();
    expect(buildUrl('plans', { a: '', b: null, c: 0, d: false })).toBe('/api/plans?c=0&d=false');
  });

  it('uploads a file as multipart after its fields, with the CSRF token and no JSON content type', async () => {
    setCsrfToken('tok');
    fetchMock.mockResolvedValueOnce(jsonResponse(201, { id: 'f1' }));
    const file = new File(['hello'], '现场照片.png', { type: 'image/png' });
    expect(await api.upload('/plan-imports', file, { fields: { revisesPlanId: 'p1' }, query: { dryRun: '1' } })).toEqual({ id: 'f1' });
    const [url, init] = fetchMock.mock.calls[0];
    expect(url).toBe('/api/plan-imports?dryRun=1');
    expect(init.method).toBe('POST');
    const headers = init.headers as Record<string, string>;
    expect(headers['x-csrf-token']).toBe('tok');
    expect(headers['content-type']).toBeUndefined();
    const form = init.body as FormData;
    expect([...form.keys()]).toEqual(['revisesPlanId', 'file']);
    expect((form.get('file') as File).name).toBe('现场照片.png');

    fetchMock.mockResolvedValueOnce(
      jsonResponse(
        415,
        { status: 415, code: 'unsupported_media_type', title: 'Unsupported', detail: 'not a photo' },
        'application/problem+json',
      ),
    );
    await expect(api.upload('/reports/r1/evidence', file)).rejects.toMatchObject({
      status: 415,
      code: 'unsupported_media_type',
      detail: 'not a photo',
    });
  });
});
