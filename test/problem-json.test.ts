import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { buildApp } from '../src/server/app.ts';
import { LIMITS } from '../src/shared/limits.ts';
import { describeEachDialect } from './helpers/dialects.ts';
import { useTestApp } from './helpers/test-app.ts';

const PROBLEM = /^application\/problem\+json/;

function expectProblem(res: { statusCode: number; headers: Record<string, unknown>; json: () => any }, status: number, code: string) {
  expect(res.statusCode).toBe(status);
  expect(String(res.headers['content-type'])).toMatch(PROBLEM);
  const body = res.json();
  expect(body).toMatchObject({ status, code, type: `urn:luoshi:problem:${code}` });
  expect(typeof body.title).toBe('string');
  return body;
}

describeEachDialect('problem+json', (ctx) => {
  const t = useTestApp(ctx);

  it('400 validation lists dotted field paths (body, query, params)', async () => {
    const admin = await t().login('admin');
    const body = expectProblem(
      await admin.post('/api/organisations', { name: '', kind: 'planet', aliases: ['ok', 7], memberIds: ['not-a-uuid'] }),
      400,
      'validation',
    );
    const paths = body.errors.map((e: { path: string }) => e.path).sort();
    expect(paths).toEqual(['aliases.1', 'kind', 'memberIds.0', 'name']);
    for (const e of body.errors) expect(typeof e.message).toBe('string');
    expect(expectProblem(await admin.get('/api/organisations?kind=planet'), 400, 'validation').errors[0].path).toBe('kind');
    expect(expectProblem(await admin.get('/api/organisations/not-a-uuid'), 400, 'validation').errors[0].path).toBe('id');
    const root = expectProblem(
      await admin.request({ method: 'POST', url: '/api/organisations', payload: '[1,2]', headers: { 'content-type': 'application/json' } }),
      400,
      'validation',
    );
    expect(root.errors[0].path).toBe('body');
  });

  it('400 (not a database error) for NUL characters in body, query or params', async () => {
    const admin = await t().login('admin');
    const body = expectProblem(await admin.post('/api/organisations', { name: 'a\u0000b', kind: 'office' }), 400, 'validation');
    expect(body.errors[0].path).toBe('name');
    expect(expectProblem(await admin.get('/api/organisations?q=%00'), 400, 'validation').errors[0].path).toBe('q');
    expectProblem(await t().anonymous.post('/api/auth/login', { username: 'admin\u0000', password: 'x' }), 400, 'validation');
  });

  it('400 for malformed JSON', async () => {
    const admin = await t().login('admin');
    expectProblem(
      await admin.request({
        method: 'POST',
        url: '/api/organisations',
        payload: '{"name":',
        headers: { 'content-type': 'application/json' },
      }),
      400,
      'bad_request',
    );
  });

  it('404 for an unknown route and an unknown id', async () => {
    const admin = await t().login('admin');
    const route = expectProblem(await admin.get('/api/no-such-thing'), 404, 'not_found');
    expect(route.instance).toBe('/api/no-such-thing');
    expectProblem(await t().anonymous.post('/api/no-such-thing', {}), 404, 'not_found');
    expectProblem(await admin.get('/api/organisations/00000000-0000-4000-8000-000000000000'), 404, 'not_found');
    expectProblem(await admin.patch('/api/users/00000000-0000-4000-8000-000000000000', { version: 1 }), 404, 'not_found');
    // Without a built web app, non-API paths are 404 problems too.
    expectProblem(await t().anonymous.get('/some/page'), 404, 'not_found');
  });

  it('413 for a body over the limit, 415 for an unsupported content type', async () => {
    const admin = await t().login('admin');
    const huge = { name: 'x', kind: 'office', aliases: ['y'.repeat(LIMITS.bodyBytes)] };
    expectProblem(await admin.post('/api/organisations', huge), 413, 'payload_too_large');
    expectProblem(
      await admin.request({ method: 'POST', url: '/api/organisations', payload: '<org/>', headers: { 'content-type': 'application/xml' } }),
      415,
      'unsupported_media_type',
    );
  });

  it('500 hides the error; the route table refuses an /api route without a policy', async () => {
    const { app } = await buildApp(t().config, { handle: t().handle, logger: false });
    app.get('/api/boom', { config: { policy: 'public' } }, async () => {
      throw new Error('secret connection string postgres://u:p@db');
    });
    await app.ready();
    const res = await app.inject({ method: 'GET', url: '/api/boom' });
    const body = expectProblem(res as any, 500, 'internal');
    expect(res.body).not.toMatch(/secret|postgres|stack/);
    expect(body.detail).toBe('An unexpected error occurred.');
    await app.close();

    const { app: bad } = await buildApp(t().config, { handle: t().handle, logger: false });
    expect(() => bad.get('/api/unguarded', async () => ({ ok: true }))).toThrow(/config\.policy/);
    await bad.close();
  });

  it('serves the SPA: built files, index.html for client routes, problems for /api', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'luoshi-web-'));
    try {
      mkdirSync(path.join(dir, 'assets'));
      writeFileSync(path.join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
      writeFileSync(path.join(dir, 'assets', 'app-abc123.js'), 'console.log(1)');
      const { app } = await buildApp({ ...t().config, webDir: dir }, { handle: t().handle, logger: false });
      const page = await app.inject({ method: 'GET', url: '/projects/review?x=1' });
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toMatch(/text\/html/);
      expect(page.body).toContain('id="root"');
      expect(page.headers['cache-control']).toBe('no-cache');
      const asset = await app.inject({ method: 'GET', url: '/assets/app-abc123.js' });
      expect(asset.statusCode).toBe(200);
      expect(asset.headers['cache-control']).toMatch(/immutable/);
      expect((await app.inject({ method: 'GET', url: '/' })).statusCode).toBe(200);
      const api = await app.inject({ method: 'GET', url: '/api/nothing-here' });
      expect(api.statusCode).toBe(404);
      expect(api.headers['content-type']).toMatch(PROBLEM);
      expect((await app.inject({ method: 'POST', url: '/somewhere' })).statusCode).toBe(404);
      await app.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('serves the OpenAPI 3.1 document and the docs UI publicly', async () => {
    const doc = await t().anonymous.get('/api/openapi.json');
    expect(doc.statusCode).toBe(200);
    expect(doc.json().openapi).toBe('3.1.0');
    expect(Object.keys(doc.json().paths)).toContain('/api/organisations/{id}');
    const ui = await t().anonymous.get('/api/docs/');
    expect(ui.statusCode).toBe(200);
    expect(ui.headers['content-type']).toMatch(/text\/html/);
  });
});
