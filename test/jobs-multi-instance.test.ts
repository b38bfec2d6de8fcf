/**
 * The reporting calendar with several server instances on one database (src/server/jobs/job-claim.ts):
 * two real server processes on one PostgreSQL database start together; the period is closed once
 * (one close event, one snapshot per row, one claim row, made by one of them) and each user gets
 * one reminder. On SQLite (single-instance by nature) the claim still makes a tick run once.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../src/server/config.ts';
import { type Db, type DbHandle, openDatabase } from '../src/server/db/database.ts';
import { claimJobTick, runJobOnce, tickSlot } from '../src/server/jobs/job-claim.ts';
import { startServer } from '../src/server/server.ts';
import { verifyAuditChainReport } from '../src/server/modules/audit/audit.service.ts';
import { describeEachDialect } from './helpers/dialects.ts';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

interface Proc {
  proc: ChildProcess;
  output: () => string;
}

/** A real server process (jobs on) acting as of `today`; resolves once it answers /api/health. */
async function spawnServer(databaseUrl: string, today: string, uploadDir: string): Promise<Proc> {
  const port = await freePort();
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/server/server.ts'], {
    cwd: process.cwd(),
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      LUOSHI_TODAY: today,
      LOG_LEVEL: 'warn',
      UPLOAD_DIR: uploadDir,
      WEB_DIR: '/nonexistent',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout?.on('data', (d) => {
    out += d;
  });
  proc.stderr?.on('data', (d) => {
    out += d;
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited (${proc.exitCode}): ${out}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server did not start: ${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { proc, output: () => out };
}

async function stop(p: Proc): Promise<void> {
  if (p.proc.exitCode !== null || p.proc.signalCode !== null) return;
  const exited = new Promise((r) => p.proc.once('exit', r));
  p.proc.kill('SIGTERM');
  await exited;
}

async function eventually<T>(check: () => Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const count = async (q: Promise<{ n: number | string | bigint }>) => Number((await q).n);

async function claims(db: Db, asOf: string) {
  return db.selectFrom('job_claims').selectAll().where('slot', 'like', `${asOf}@%`).execute();
}

/** The Hebi plan (the demo's second city, 许昌, has a calendar of its own). */
const hebiPlan = (db: Db) => db.selectFrom('plans').select('id').where('title', 'like', '%鹤壁%');

describeEachDialect('scheduled jobs with several instances', (ctx) => {
  let dir = '';
  let handle: DbHandle;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'luoshi-jobs-multi-'));
    // The demo on June 2018, seeded by one in-process start (jobs off), before the instances race.
    await (
      await startServer({
        ...loadConfig({}),
        databaseUrl: ctx.url(),
        port: 0,
        host: '127.0.0.1',
        logLevel: 'silent',
        webDir: '/nonexistent',
        uploadDir: path.join(dir, 'u'),
        today: '2018-06-20',
      })
    ).close();
    handle = openDatabase(ctx.url());
  }, 120_000);
  afterAll(async () => {
    await handle?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('claims a tick once: a second claim of the same slot, or a concurrent run, skips', async () => {
    const slot = tickSlot('2030-01-01', 3_600_000);
    expect(slot).toMatch(/^2030-01-01@\d+$/);
    let runs = 0;
    const results = await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        runJobOnce(
          handle.db,
          'test job',
          slot,
          async () => {
            runs += 1;
            return i;
          },
          `instance-${i}`,
        ),
      ),
    );
    expect(runs).toBe(1);
    expect(results.filter((r) => r !== null)).toHaveLength(1);
    expect(await claimJobTick(handle.db, 'test job', slot, 'late')).toBe(false);
    expect(await claimJobTick(handle.db, 'test job', tickSlot('2030-01-02', 3_600_000), 'late')).toBe(true);
  });

  it.skipIf(ctx.dialect === 'sqlite')(
    'two server processes on one PostgreSQL database: one period close, one reminder per user',
    { timeout: 240_000 },
    async () => {
      const db = handle.db;
      const june = await db
        .selectFrom('reporting_periods')
        .where('plan_id', 'in', hebiPlan(db))
        .select(['id', 'status'])
        .where('label', '=', '2018年6月')
        .executeTakeFirstOrThrow();
      expect(june.status).toBe('open');

      // 20 July: both instances start (and tick) together; June closes, July opens, once.
      let procs = await Promise.all([
        spawnServer(ctx.url(), '2018-07-20', path.join(dir, 'u')),
        spawnServer(ctx.url(), '2018-07-20', path.join(dir, 'u')),
      ]);
      try {
        await eventually(async () => ((await claims(db, '2018-07-20')).length > 0 ? true : undefined), 'a claim for 20 July');
        await eventually(async () => {
          const open = await db
            .selectFrom('reporting_periods')
            .select('label')
            .where('plan_id', 'in', hebiPlan(db))
            .where('status', '=', 'open')
            .execute();
          return open.length === 1 && open[0]!.label === '2018年7月' ? true : undefined;
        }, 'July to open');
        // Give the other instance's start-up tick time to happen (it skips).
        await new Promise((r) => setTimeout(r, 1500));
        const c = await claims(db, '2018-07-20');
        expect(c).toHaveLength(1);
        expect(procs.map((p) => p.proc.pid).some((pid) => c[0]!.claimed_by.includes(`:${pid}:`))).toBe(true);
      } finally {
        await Promise.all(procs.map(stop));
      }
      expect(
        await count(
          db
            .selectFrom('audit_events')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('action', '=', 'reporting_period.close')
            .where('entity_id', '=', june.id)
            .executeTakeFirstOrThrow(),
        ),
      ).toBe(1);
      expect(
        await count(
          db
            .selectFrom('reporting_periods')
            .where('plan_id', 'in', hebiPlan(db))
            .select((eb) => eb.fn.countAll().as('n'))
            .where('label', '=', '2018年7月')
            .executeTakeFirstOrThrow(),
        ),
      ).toBe(1);
      const snaps = await db
        .selectFrom('period_snapshots')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('period_id', '=', june.id)
        .executeTakeFirstOrThrow();
      expect(Number(snaps.n)).toBeGreaterThan(0);

      // 3 August: both again; every reporting user gets exactly one reminder.
      procs = await Promise.all([
        spawnServer(ctx.url(), '2018-08-03', path.join(dir, 'u')),
        spawnServer(ctx.url(), '2018-08-03', path.join(dir, 'u')),
      ]);
      try {
        await eventually(async () => {
          const n = await count(
            db
              .selectFrom('notifications')
              .select((eb) => eb.fn.countAll().as('n'))
              .where('kind', 'like', 'reminder.%')
              .executeTakeFirstOrThrow(),
          );
          return n > 0 ? n : undefined;
        }, 'reminders');
        await new Promise((r) => setTimeout(r, 1500));
        expect(await claims(db, '2018-08-03')).toHaveLength(1);
      } finally {
        await Promise.all(procs.map(stop));
      }
      const perUser = await db
        .selectFrom('notifications')
        .select(['user_id', 'kind', (eb) => eb.fn.countAll().as('n')])
        .where('kind', 'like', 'reminder.%')
        .groupBy(['user_id', 'kind'])
        .execute();
      expect(perUser.length).toBeGreaterThan(0);
      // Each user once per kind of reminder: a county may owe its task reports and, where the demo
      // library has projects in implementation, its projects' 调度 (two kinds, one each).
      expect(perUser.every((r) => Number(r.n) === 1)).toBe(true);
      expect(new Set(perUser.map((r) => `${r.user_id}/${r.kind}`)).size).toBe(perUser.length);
      const kinds = new Set(perUser.map((r) => r.kind));
      expect([...kinds].every((k) => /^reminder\.(projects_)?(due_soon|late)$/.test(k))).toBe(true);
      expect([...kinds].some((k) => !k.startsWith('reminder.projects_'))).toBe(true);
      expect((await verifyAuditChainReport(db)).ok).toBe(true);
    },
  );
});
