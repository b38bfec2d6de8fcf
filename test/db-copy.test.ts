/**
 * Outgrowing the embedded database: `luoshi db copy` (SQLite → PostgreSQL, and PostgreSQL →
 * PostgreSQL), `luoshi backup` and `luoshi restore` on both engines, each checked by restoring into
 * a fresh database: every table's row count equal, every stored-file reference present, the audit
 * chain verifying. Plus the refusals (non-empty target, truncated dump, missing file), in Chinese.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runLuoshi } from '../src/cli/luoshi.ts';
import { type Db, openDatabase } from '../src/server/db/database.ts';
import { verifyAuditChainReport } from '../src/server/modules/audit/audit.service.ts';
import { describeEachDialect, PG_ADMIN_URL } from './helpers/dialects.ts';
import { makePeriod, makeReport, makeReportingPlan } from './helpers/factories.ts';
import { multipart } from './helpers/multipart.ts';
import { sink } from './helpers/output-sink.ts';
import { useTestApp } from './helpers/test-app.ts';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = sink();
  const err = sink();
  const code = await runLuoshi(args, { stdout: out.stream, stderr: err.stream, cwd: process.cwd() });
  return { code, out: out.text(), err: err.text() };
}

const created: string[] = [];
async function freshPg(): Promise<string> {
  const name = `luoshi_t_copy_${process.pid}_${randomBytes(4).toString('hex')}`;
  const c = new pg.Client({ connectionString: PG_ADMIN_URL });
  await c.connect();
  await c.query(`create database ${name}`);
  await c.end();
  created.push(name);
  const u = new URL(PG_ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
}
afterAll(async () => {
  const c = new pg.Client({ connectionString: PG_ADMIN_URL });
  await c.connect();
  for (const name of created) await c.query(`drop database if exists ${name} with (force)`);
  await c.end();
});

/** Rows per table (kysely's own tables aside). */
async function counts(db: Db): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of await db.introspection.getTables()) {
    if (t.name.startsWith('kysely_')) continue;
    const r = await (db as any)
      .selectFrom(t.name)
      .select((eb: any) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    out[t.name] = Number(r.n);
  }
  return out;
}

async function inspect(url: string): Promise<{ counts: Record<string, number>; auditOk: boolean; storage: string[] }> {
  const h = openDatabase(url);
  try {
    const storage = (await h.db.selectFrom('evidence_files').select('storage_path').orderBy('storage_path').execute()).map(
      (r) => r.storage_path,
    );
    return { counts: await counts(h.db), auditOk: (await verifyAuditChainReport(h.db)).ok, storage };
  } finally {
    await h.close();
  }
}

describeEachDialect('db copy, backup and restore', (ctx) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'luoshi-copy-'));
  const uploadDir = path.join(dir, 'uploads');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const t = useTestApp(ctx, { uploadDir });
  let source: Awaited<ReturnType<typeof inspect>>;

  beforeAll(async () => {
    // An install with plans, a closed period (snapshots), reports, an evidence file, audit events in several chains.
    const f = await makeReportingPlan(t());
    await makePeriod(t(), f.planId, { start: '2026-01-01', dueDate: '2026-02-05', close: true });
    const period = await makePeriod(t(), f.planId, { start: '2026-03-01', dueDate: '2099-04-05', open: true });
    const unit = await t().login('unit');
    const report = await makeReport(unit, period.id, {
      taskId: f.taskA,
      targetId: f.targetCounty,
      value: 12,
      completionPercent: 12,
      reportedStatus: 'on_track',
      narrative: '已建成12座',
    });
    const up = await unit.request({
      method: 'POST',
      url: `/api/reports/${report.id}/evidence`,
      ...multipart(PNG, '现场照片.png', 'image/png'),
    });
    expect(up.statusCode, up.body).toBe(201);
    await makeReportingPlan(t(), { title: '第二个方案' });
    source = await inspect(ctx.url());
    expect(source.storage).toHaveLength(1);
    expect(source.counts.period_snapshots).toBeGreaterThan(0);
    const chains = await t().db.selectFrom('audit_head').select('chain').execute();
    expect(chains.length).toBeGreaterThanOrEqual(3);
  }, 60_000);

  it('copies the install into an empty PostgreSQL database with every row, file reference and the audit chain', async () => {
    const to = await freshPg();
    const r = await cli(['db', 'copy', '--from', ctx.url(), '--to', to, '--uploads', uploadDir]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('复制完成，已核验');
    const copy = await inspect(to);
    expect(copy.counts).toEqual(source.counts);
    expect(copy.storage).toEqual(source.storage);
    expect(copy.auditOk).toBe(true);
    // The copied file reference resolves in the upload directory the install keeps.
    expect(readFileSync(path.join(uploadDir, copy.storage[0]!)).equals(PNG)).toBe(true);

    // Copying again into the now full target is refused, naming the problem.
    const again = await cli(['db', 'copy', '--from', ctx.url(), '--to', to, '--uploads', uploadDir]);
    expect(again.code).toBe(1);
    expect(again.err).toContain('不是空的');
    expect((await inspect(to)).counts).toEqual(source.counts);

    // A wrong upload directory: the rows copy, but the check names the missing file.
    const to2 = await freshPg();
    const wrong = await cli(['db', 'copy', '--from', ctx.url(), '--to', to2, '--uploads', path.join(dir, 'nowhere')]);
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain('个文件引用在');
    expect(wrong.err).toContain(source.storage[0]);
  });

  it('backs up and restores into a fresh database of the same engine, verified', async () => {
    const file = path.join(dir, `backup-${ctx.dialect}.bak`);
    const b = await cli(['backup', '--db', ctx.url(), '--out', file]);
    expect(b.code, b.err).toBe(0);
    expect(b.out).toContain('备份完成');
    // Never over an existing file.
    const over = await cli(['backup', '--db', ctx.url(), '--out', file]);
    expect(over.code).toBe(1);
    expect(over.err).toContain('不覆盖');

    const to = ctx.dialect === 'sqlite' ? path.join(dir, 'restored.db') : await freshPg();
    const r = await cli(['restore', '--from', file, '--to', to]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('恢复完成，已核验');
    const restored = await inspect(to);
    expect(restored.counts).toEqual(source.counts);
    expect(restored.storage).toEqual(source.storage);
    expect(restored.auditOk).toBe(true);
    // A restore never overwrites a database that has data.
    const twice = await cli(['restore', '--from', file, '--to', to]);
    expect(twice.code).toBe(1);
    expect(twice.err).toMatch(/不覆盖|不是空的/);
  });

  it('restores a portable dump across engines, and refuses a truncated one', async () => {
    const file = path.join(dir, `dump-${ctx.dialect}.gz`);
    const b = await cli(['backup', '--db', ctx.url(), '--out', file, '--format', 'dump']);
    expect(b.code, b.err).toBe(0);
    const to = ctx.dialect === 'sqlite' ? await freshPg() : path.join(dir, 'from-pg.db');
    const r = await cli(['restore', '--from', file, '--to', to, '--json']);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ ok: true, audit: { ok: true } });
    const restored = await inspect(to);
    expect(restored.counts).toEqual(source.counts);
    expect(restored.auditOk).toBe(true);

    // Cut the trailer off: refused, and nothing is left half-restored.
    const lines = gunzipSync(readFileSync(file)).toString('utf8').trimEnd().split('\n');
    const cut = path.join(dir, `cut-${ctx.dialect}.gz`);
    writeFileSync(cut, gzipSync(`${lines.slice(0, -1).join('\n')}\n`));
    const to2 = await freshPg();
    const bad = await cli(['restore', '--from', cut, '--to', to2]);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('备份文件不完整');
    expect((await inspect(to2)).counts.users).toBe(0);

    const missing = await cli(['restore', '--from', path.join(dir, 'nothing.bak'), '--to', await freshPg()]);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('备份文件不存在');
    const usage = await cli(['db', 'copy', '--from', ctx.url()]);
    expect(usage.code).toBe(2);
    expect(usage.err).toContain('缺少 --to');
  });
});
