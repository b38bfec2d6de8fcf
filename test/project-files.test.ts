/**
 * Files on projects (附件) and photos of monthly reports (现场照片), issue 14 items 1, 4 and 9:
 * the round trip, who may add, read and delete (projects.policy.ts), hostile files, the audit
 * trail, another city's files as unknown, and the public library showing none of them.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { listPublicLibrary } from '../src/server/modules/projects/projects-public.service.ts';
import type { ProjectDetail, ProjectFile, ProjectReport } from '../src/shared/schemas/project.schema.ts';
import { describeEachDialect } from './helpers/dialects.ts';
import { makePeriod, makePlan, makeUser, unique } from './helpers/factories.ts';
import { multipart } from './helpers/multipart.ts';
import { makeProject, okJson, projectBody } from './helpers/project-factories.ts';
import { type TestClient, useTestApp } from './helpers/test-app.ts';
import { makeProvince } from './helpers/tenancy-factories.ts';

// The smallest valid PNG (1×1, transparent).
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

/** A multipart body: the file, and text fields (sent before it). */
function multipartWith(bytes: Buffer, filename: string, fields: Record<string, string>) {
  const boundary = `----luoshi${randomUUID()}`;
  const parts = Object.entries(fields).map(([k, v]) =>
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`),
  );
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  return {
    payload: Buffer.concat([...parts, head, bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

describeEachDialect('project files and report photos', (ctx) => {
  const uploadDir = mkdtempSync(path.join(os.tmpdir(), 'luoshi-project-files-'));
  afterAll(() => rmSync(uploadDir, { recursive: true, force: true }));
  const t = useTestApp(ctx, { uploadDir });
  let admin: TestClient;
  let unit: TestClient;
  let unit2: TestClient;
  let leader: TestClient;
  let planId: string;

  const upload = (c: TestClient, projectId: string, bytes: Buffer, filename: string, fields: Record<string, string> = {}) =>
    c.request({
      method: 'POST',
      url: `/api/projects/${projectId}/files`,
      ...(Object.keys(fields).length ? multipartWith(bytes, filename, fields) : multipart(bytes, filename)),
    });
  const files = async (c: TestClient, projectId: string) =>
    okJson<{ items: ProjectFile[] }>(await c.get(`/api/projects/${projectId}/files`)).items;

  beforeAll(async () => {
    admin = await t().login('admin');
    unit = await t().login('unit');
    leader = await t().login('leader');
    unit2 = await (await makeUser(t(), { orgId: t().orgs.county2.id, role: 'unit', displayName: '浚县填报员' })).login();
    planId = (await makePlan(t(), { title: '项目附件测试方案', tasks: [] })).planId;
  });

  it('uploads, lists and downloads a project document byte for byte under its (Chinese) name, audited', async () => {
    const p = await makeProject(unit, admin, { name: `附件项目${unique()}` }, 'draft');
    const file = okJson<ProjectFile>(await upload(unit, p.id, PDF, '立项批复.pdf'), 201);
    expect(file).toMatchObject({
      projectId: p.id,
      reportId: null,
      kind: 'document',
      filename: '立项批复.pdf',
      contentType: 'application/pdf',
    });
    expect(file.sizeBytes).toBe(PDF.length);

    for (const c of [unit, admin, leader]) expect((await files(c, p.id)).map((f) => f.id)).toEqual([file.id]);
    expect((await files(unit, p.id))[0].canDelete).toBe(true);
    expect((await files(leader, p.id))[0].canDelete).toBe(false);

    const res = await leader.get(`/api/project-files/${file.id}`);
    expect(res.statusCode).toBe(200);
    expect(Buffer.compare(res.rawPayload, PDF)).toBe(0);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('立项批复.pdf')}`);
    expect(res.headers['x-content-type-options']).toBe('nosniff');

    const audit = await t().db.selectFrom('audit_events').select(['action', 'actor_id']).where('entity_id', '=', file.id).execute();
    expect(audit.map((a) => a.action)).toEqual(['project_file.create']);
  });

  it('a county that does not own the project neither sees nor adds its files (404); the lead department without a link neither', async () => {
    const p = await makeProject(unit, admin, { name: `淇县项目${unique()}` }, 'draft');
    const file = okJson<ProjectFile>(await upload(unit, p.id, PNG, '现场.png'), 201);
    const lead = await t().login('lead');
    for (const c of [unit2, lead]) {
      expect((await c.get(`/api/projects/${p.id}/files`)).statusCode).toBe(404);
      expect((await c.get(`/api/project-files/${file.id}`)).statusCode).toBe(404);
      expect((await c.delete(`/api/project-files/${file.id}`)).statusCode).toBe(404);
    }
    expect((await upload(unit2, p.id, PNG, '现场.png')).statusCode).toBe(404);
    // Leadership reads but does not add.
    expect((await upload(leader, p.id, PNG, '现场.png')).statusCode).toBe(403);
    expect((await leader.delete(`/api/project-files/${file.id}`)).statusCode).toBe(403);
  });

  it('follows the project’s edit rule: the unit while 谋划/退回 or in implementation, not while 报送; the office always', async () => {
    const p = await makeProject(unit, admin, { name: `报送项目${unique()}` }, 'submitted');
    const locked = await upload(unit, p.id, PNG, '照片.png');
    expect(locked.statusCode).toBe(409);
    const byOffice = okJson<ProjectFile>(await upload(admin, p.id, PNG, '审查意见.png'), 201);
    // The unit deletes neither the office's file nor, while locked, its own.
    expect((await unit.delete(`/api/project-files/${byOffice.id}`)).statusCode).toBe(403);
    okJson(await admin.delete(`/api/project-files/${byOffice.id}`));
    expect((await files(unit, p.id)).length).toBe(0);
    const audit = await t().db.selectFrom('audit_events').select('action').where('entity_id', '=', byOffice.id).orderBy('seq').execute();
    expect(audit.map((a) => a.action)).toEqual(['project_file.create', 'project_file.delete']);
  });

  it('attaches a photo to a monthly report; once the report is submitted the unit neither adds nor deletes photos', async () => {
    const p = await makeProject(unit, admin, { name: `调度项目${unique()}` });
    const period = await makePeriod(t(), planId, { start: '2026-05-01', open: true });
    let report = okJson<ProjectReport>(
      await unit.post(`/api/projects/${p.id}/reports`, { periodId: period.id, investment: 1, progressPct: 5, started: true }),
    );
    const photo = okJson<ProjectFile>(await upload(unit, p.id, PNG, '施工现场.png', { reportId: report.id }), 201);
    expect(photo).toMatchObject({ kind: 'photo', reportId: report.id, contentType: 'image/png' });
    // A photo must be an image; a report of another project is refused.
    const pdfPhoto = await upload(unit, p.id, PDF, '现场.pdf', { reportId: report.id });
    expect(pdfPhoto.statusCode).toBe(415);
    expect(pdfPhoto.json()).toMatchObject({ code: 'evidence_type_not_allowed' });
    const other = await makeProject(unit, admin, { name: `另一项目${unique()}` });
    const wrong = await upload(unit, other.id, PNG, '现场.png', { reportId: report.id });
    expect(wrong.statusCode).toBe(400);
    expect((await upload(unit, p.id, PNG, '现场.png', { reportId: 'not-an-id' })).statusCode).toBe(400);

    const list = await files(unit, p.id);
    expect(list.map((f) => [f.id, f.reportId])).toEqual([[photo.id, report.id]]);
    expect(Buffer.compare((await unit.get(`/api/project-files/${photo.id}`)).rawPayload, PNG)).toBe(0);

    report = okJson<ProjectReport>(
      await unit.post(`/api/projects/${p.id}/reports`, { periodId: period.id, investment: 1, progressPct: 5, started: true, submit: true }),
    );
    expect(report.status).toBe('submitted');
    expect((await upload(unit, p.id, PNG, '补拍.png', { reportId: report.id })).statusCode).toBe(409);
    expect((await files(unit, p.id))[0].canDelete).toBe(false);
    expect((await unit.delete(`/api/project-files/${photo.id}`)).statusCode).toBe(409);
    okJson(await admin.delete(`/api/project-files/${photo.id}`));
    expect((await unit.get(`/api/project-files/${photo.id}`)).statusCode).toBe(404);
  });

  it('refuses hostile files with the evidence codes, never a 500, and strips bidi controls from names', async () => {
    const p = await makeProject(unit, admin, { name: `坏文件项目${unique()}` }, 'draft');
    const empty = await upload(unit, p.id, Buffer.alloc(0), '空.pdf');
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toMatchObject({ code: 'file_empty' });
    const html = await upload(unit, p.id, Buffer.from('<html><script>alert(1)</script></html>'), '照片.png');
    expect(html.statusCode).toBe(415);
    expect(html.json()).toMatchObject({ code: 'evidence_type_not_allowed' });
    expect(html.headers['content-type']).toContain('application/problem+json');
    const big = await upload(unit, p.id, Buffer.concat([PDF, Buffer.alloc(21 * 1024 * 1024)]), '大文件.pdf');
    expect(big.statusCode).toBe(413);
    const notMultipart = await unit.post(`/api/projects/${p.id}/files`, { file: 'x' });
    expect(notMultipart.statusCode).toBe(415);
    const bidi = okJson<ProjectFile>(await upload(unit, p.id, PNG, '照片\u202egnp.exe'), 201);
    expect(bidi.filename).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/);
    expect(bidi.filename.endsWith('.png')).toBe(true);
    expect((await files(unit, p.id)).map((f) => f.id)).toEqual([bidi.id]);
  });

  it('the public library shows no file of a project', async () => {
    const p = await makeProject(unit, admin, { name: `公开项目${unique()}` });
    const file = okJson<ProjectFile>(await upload(admin, p.id, PNG, '不公开的照片.png'), 201);
    const lib = await listPublicLibrary(t().db, 2026);
    expect(lib.projects.map((x) => x.name)).toContain(p.name);
    const text = JSON.stringify(lib);
    for (const secret of [file.id, file.sha256, '不公开的照片', '/project-files/']) expect(text).not.toContain(secret);
    expect(Object.keys(lib.projects.find((x) => x.name === p.name) ?? {})).not.toContain('files');
  });
});

describeEachDialect('project files across cities', (ctx) => {
  const uploadDir = mkdtempSync(path.join(os.tmpdir(), 'luoshi-project-files-'));
  afterAll(() => rmSync(uploadDir, { recursive: true, force: true }));
  const t = useTestApp(ctx, { uploadDir });

  it('another city’s project files are unknown (404); the province reads them and changes none (403)', async () => {
    const p = await makeProvince(t());
    const [aAdmin, aUnit, bUnit, province] = await Promise.all([p.a.admin.login(), p.a.unit.login(), p.b.unit.login(), p.admin.login()]);
    const theirs = okJson<ProjectDetail>(await bUnit.post('/api/projects', projectBody({ name: `乙市项目${unique()}` })), 201);
    const file = okJson<ProjectFile>(
      await bUnit.request({ method: 'POST', url: `/api/projects/${theirs.id}/files`, ...multipart(PNG, '乙市照片.png') }),
      201,
    );
    for (const c of [aAdmin, aUnit]) {
      expect((await c.get(`/api/projects/${theirs.id}/files`)).statusCode).toBe(404);
      expect((await c.get(`/api/project-files/${file.id}`)).statusCode).toBe(404);
      expect((await c.delete(`/api/project-files/${file.id}`)).statusCode).toBe(404);
      expect((await c.request({ method: 'POST', url: `/api/projects/${theirs.id}/files`, ...multipart(PNG, 'x.png') })).statusCode).toBe(
        404,
      );
    }
    const list = okJson<{ items: ProjectFile[] }>(await province.get(`/api/projects/${theirs.id}/files`)).items;
    expect(list.map((f) => [f.id, f.canDelete])).toEqual([[file.id, false]]);
    expect((await province.delete(`/api/project-files/${file.id}`)).statusCode).toBe(403);
    expect(
      (await province.request({ method: 'POST', url: `/api/projects/${theirs.id}/files`, ...multipart(PNG, 'x.png') })).statusCode,
    ).toBe(403);
  });
});
