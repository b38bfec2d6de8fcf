/**
 * Hostile uploads (issue 9, items 2 and 6): zip bombs whose headers lie, a million-row sheet, a
 * .docx bomb, and evidence whose name lies about its type. Each hostile file is built in the test
 * (test/helpers/hostile-files.ts). The server must answer 413/415/422 with a Chinese message,
 * quickly, without its memory moving by more than ~150 MB, and keep answering /api/health.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ReportingPeriod } from '../src/shared/schemas/reporting.schema.ts';
import type { EvidenceFile } from '../src/shared/schemas/reporting-files.schema.ts';
import { describeEachDialect } from './helpers/dialects.ts';
import { insertReportingFixture, type ReportingFixture } from './helpers/fixtures.ts';
import { docxBomb, lyingXlsxBomb, millionRowXlsx } from './helpers/hostile-files.ts';
import { type TestClient, useTestApp } from './helpers/test-app.ts';

const MiB = 1024 * 1024;
/** The bound the issue sets is ~100 MB; the test allows 150 MB of noise from the test process itself. */
const MEMORY_BOUND = 150 * MiB;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

function multipart(bytes: Buffer, filename: string) {
  const boundary = `----luoshi${randomUUID()}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { payload: Buffer.concat([head, bytes, tail]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

interface Measured {
  res: LightMyRequestResponse;
  ms: number;
  rssGrowth: number;
  heapGrowth: number;
  healthMs: number;
}

/**
 * Runs one request while sampling the process's memory every 10 ms (the peak over the baseline)
 * and timing /api/health requests sent one after another meanwhile (the slowest one).
 */
async function measure(t: () => { anonymous: TestClient }, send: () => Promise<LightMyRequestResponse>): Promise<Measured> {
  globalThis.gc?.();
  const base = process.memoryUsage();
  let peakRss = base.rss;
  let peakHeap = base.heapUsed;
  const sample = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 10);
  const start = performance.now();
  // /api/health asked again and again while the upload runs: the slowest answer is how long
  // the upload kept the server from serving anyone else.
  let done = false;
  const health = (async () => {
    let slowest = 0;
    while (!done) {
      const h = performance.now();
      await t().anonymous.get('/api/health');
      slowest = Math.max(slowest, performance.now() - h);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return slowest;
  })();
  const res = await send().finally(() => {
    done = true;
  });
  const ms = performance.now() - start;
  const healthMs = await health;
  clearInterval(sample);
  const end = process.memoryUsage();
  peakRss = Math.max(peakRss, end.rss);
  peakHeap = Math.max(peakHeap, end.heapUsed);
  return { res, ms, rssGrowth: peakRss - base.rss, heapGrowth: peakHeap - base.heapUsed, healthMs };
}

function report(name: string, m: Measured): void {
  console.info(
    `[hostile] ${name}: ${m.res.statusCode} in ${m.ms.toFixed(0)} ms, rss +${(m.rssGrowth / MiB).toFixed(0)} MB, heap +${(m.heapGrowth / MiB).toFixed(0)} MB, slowest health ${m.healthMs.toFixed(0)} ms`,
  );
}

function expectRefused(m: Measured, statuses: number[], detail: RegExp): void {
  expect(statuses, m.res.body).toContain(m.res.statusCode);
  const problem = m.res.json() as { detail: string };
  expect(problem.detail).toMatch(/[\u4e00-\u9fff]/);
  expect(problem.detail).toMatch(detail);
  // Generous bounds (the unbounded code took 6 s and 1.5 GB for the million rows alone).
  expect(m.ms).toBeLessThan(3000);
  expect(m.rssGrowth).toBeLessThan(MEMORY_BOUND);
  expect(m.heapGrowth).toBeLessThan(MEMORY_BOUND);
  expect(m.healthMs).toBeLessThan(1000);
}

describeEachDialect('hostile uploads', (ctx) => {
  const uploadDir = mkdtempSync(path.join(os.tmpdir(), 'luoshi-hostile-'));
  afterAll(() => rmSync(uploadDir, { recursive: true, force: true }));
  const t = useTestApp(ctx, { uploadDir });
  let f: ReportingFixture;
  let admin: TestClient;
  let unit: TestClient;
  let period: ReportingPeriod;

  const upload = (c: TestClient, url: string, bytes: Buffer, filename: string) =>
    c.request({ method: 'POST', url, ...multipart(bytes, filename) });
  const draftReport = async (taskId: string, targetId: string | null): Promise<string> => {
    const res = await unit.put(`/api/periods/${period.id}/reports`, { taskId, targetId, narrative: '已开工' });
    expect(res.statusCode, res.body).toBeLessThan(300);
    return (res.json() as { id: string }).id;
  };

  beforeAll(async () => {
    f = await insertReportingFixture(t(), {
      title: '恶意上传测试方案',
      taskAText: '新建公厕（牵头单位：市住建局；责任单位：各县区政府）',
      deadlines: false,
    });
    admin = await t().login('admin');
    unit = await t().login('unit');
    const res = await admin.post(`/api/plans/${f.planId}/periods`, { start: '2026-03-01', dueDate: '2099-04-05', open: true });
    expect(res.statusCode, res.body).toBe(201);
    period = res.json() as ReportingPeriod;
  });

  it('refuses a report upload whose zip lies about its size (1,000 declared, 200 MB inflated): 413 while inflating', async () => {
    const bomb = lyingXlsxBomb(200 * MiB);
    const m = await measure(t, () => upload(unit, `/api/periods/${period.id}/my-report-upload?dryRun=1`, bomb, '进展填报表.xlsx'));
    report(`lying xlsx bomb (${(bomb.length / MiB).toFixed(1)} MB → 200 MB)`, m);
    expectRefused(m, [413], /解压/);
  });

  it('refuses a million-row sheet before building its rows: 413', async () => {
    const sheet = millionRowXlsx(1_000_000);
    const m = await measure(t, () => upload(unit, `/api/periods/${period.id}/my-report-upload?dryRun=1`, sheet, '进展填报表.xlsx'));
    report(`million-row xlsx (${(sheet.length / MiB).toFixed(1)} MB → 47 MB)`, m);
    // Its sheet declares 47 MB, past the 25 MB an entry may have: refused before inflating.
    expectRefused(m, [413], /解压/);
  });

  it('refuses a million-row sheet whose sizes lie, by counting rows while inflating: 413 naming the row limit', async () => {
    const sheet = millionRowXlsx(1_000_000, 1000);
    const m = await measure(t, () => upload(unit, `/api/periods/${period.id}/my-report-upload?dryRun=1`, sheet, '进展填报表.xlsx'));
    report('million-row xlsx, lying sizes', m);
    expectRefused(m, [413], /超过 5000 行/);
  });

  it('refuses 6,000 rows in a small sheet (under every byte limit) before exceljs reads it: 413', async () => {
    const m = await measure(t, () =>
      upload(unit, `/api/periods/${period.id}/my-report-upload?dryRun=1`, millionRowXlsx(6_000), '进展填报表.xlsx'),
    );
    expectRefused(m, [413], /超过 5000 行/);
  });

  it('refuses a .docx plan whose document inflates to 200 MB: 413 while inflating', async () => {
    const bomb = docxBomb(200 * MiB);
    const m = await measure(t, () => upload(admin, '/api/plan-imports', bomb, '实施方案.docx'));
    report(`docx bomb (${(bomb.length / MiB).toFixed(1)} MB → 200 MB)`, m);
    expectRefused(m, [413], /解压/);
  });

  it('refuses a .docx plan whose bomb lies about its size as well', async () => {
    const m = await measure(t, () => upload(admin, '/api/plan-imports', docxBomb(200 * MiB, 1000), '实施方案.docx'));
    report('lying docx bomb (→ 200 MB)', m);
    expectRefused(m, [413], /解压/);
  });

  it('bounds uploads in flight: sixteen million-row sheets at once get 413 or 503 with Retry-After, and memory stays bounded', async () => {
    // One body for all sixteen, built before the measurement, so only the server's memory counts.
    const body = multipart(millionRowXlsx(1_000_000, 1000), '进展填报表.xlsx');
    const url = `/api/periods/${period.id}/my-report-upload?dryRun=1`;
    const m = await measure(t, async () => {
      const all = await Promise.all(Array.from({ length: 16 }, () => unit.request({ method: 'POST', url, ...body })));
      const statuses = all.map((r) => r.statusCode);
      // Two run and six wait (LIMITS.uploadsAtOnce/uploadsQueued): at least eight are answered
      // properly, and the ones arriving while all eight places are taken are turned away.
      expect(new Set(statuses)).toEqual(new Set([413, 503]));
      expect(statuses.filter((s) => s === 413).length).toBeGreaterThanOrEqual(8);
      for (const r of all.filter((x) => x.statusCode === 503)) {
        expect(r.headers['retry-after']).toBe('5');
        expect((r.json() as { detail: string }).detail).toMatch(/重试/);
      }
      return all[0];
    });
    report('sixteen million-row xlsx at once', m);
    expect(m.rssGrowth).toBeLessThan(MEMORY_BOUND);
    expect(m.healthMs).toBeLessThan(1000);
    // Once they are answered the slots are free again.
    expect((await unit.request({ method: 'POST', url, ...body })).statusCode).toBe(413);
  });

  it('stores evidence under a name whose extension is the detected type: x.html holding a PDF is kept as x.pdf', async () => {
    const reportId = await draftReport(f.taskA, f.targetCounty);
    const res = await upload(unit, `/api/reports/${reportId}/evidence`, PDF, 'x.html');
    expect(res.statusCode, res.body).toBe(201);
    const file = res.json() as EvidenceFile;
    expect([file.filename, file.contentType]).toEqual(['x.pdf', 'application/pdf']);
    const noExt = await upload(unit, `/api/reports/${reportId}/evidence`, PNG, '现场照片');
    expect((noExt.json() as EvidenceFile).filename).toBe('现场照片.png');
    const jpegName = await upload(unit, `/api/reports/${reportId}/evidence`, PDF, '验收报告.PDF');
    expect((jpegName.json() as EvidenceFile).filename).toBe('验收报告.PDF');
    const download = await unit.get(`/api/evidence/${file.id}`);
    expect(download.headers['content-disposition']).toContain('filename="x.pdf"');
  });

  it('strips bidi controls from evidence names: "照片\u202Egnp.exe" is not shown as "照片exe.png"', async () => {
    const reportId = await draftReport(f.taskA, null);
    const res = await upload(unit, `/api/reports/${reportId}/evidence`, PNG, '照片\u202egnp.exe');
    expect(res.statusCode, res.body).toBe(201);
    const file = res.json() as EvidenceFile;
    expect(file.filename).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/);
    // The bytes are a PNG: the .exe claim is replaced by the detected type.
    expect(file.filename).toBe('照片gnp.png');
    const list = await unit.get(`/api/reports/${reportId}/evidence`);
    expect(list.body).not.toMatch(/\\u202e|\u202e/i);
  });

  it('strips bidi controls from an imported plan’s file name', async () => {
    const text = '关于印发某某实施方案的通知\n一、重点任务\n（一）新建公厕。（牵头单位：市住建局）\n';
    const res = await upload(admin, '/api/plan-imports', Buffer.from(text), '方案\u202etxt.exe\u2066.txt');
    expect(res.statusCode, res.body).toBe(201);
    expect((res.json() as { filename: string }).filename).toBe('方案txt.exe.txt');
  });
});
