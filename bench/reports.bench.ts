/**
 * Reporting throughput (`npm run bench:reports`).
 *
 * One city-scale plan (bench/city-dataset.ts: each task has a city total split into seven district
 * shares), sized so that closing a period freezes about 10,000 snapshot rows (1,112 tasks × (1 task
 * row + 8 targets)). Per database (SQLite, and PostgreSQL when reachable):
 *
 * 1. Report submissions through the API, in-process (`app.inject`: routing, session, policy, CSRF,
 *    zod validation and serialisation, the row-level policy, the audit chain; no socket): each
 *    district's unit user saves a draft (PUT) and submits it (POST), then the office approves it
 *    (POST, which recomputes the target's and task's statuses). Set beside plain Kysely inserts of
 *    the same rows (one statement each, then one chunked statement), without any of that.
 * 2. Closing a period whose every district target has an approved report (inserted directly): the
 *    snapshot of ~10,000 rows and the status recompute (each changed target and task updated
 *    through the plans services, audited), in one transaction.
 *
 * Options: --reports N (reports through the API, default 350), --tasks N (default 1112).
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/server/app.ts';
import { loadConfig } from '../src/server/config.ts';
import { type DbHandle, migrateToLatest } from '../src/server/db/database.ts';
import type { ProgressReportsTable } from '../src/server/db/database.types.ts';
import { CSRF_HEADER, SESSION_COOKIE } from '../src/server/modules/auth/auth.plugin.ts';
import { newSortableId } from '../src/server/core/ids.ts';
import { createUser } from '../src/server/modules/users/users.service.ts';
import { BENCH_USER, DISTRICTS, generateCityDataset, onEachBenchDatabase, PASSWORD } from './city-dataset.ts';

const { values } = parseArgs({ options: { reports: { type: 'string', default: '350' }, tasks: { type: 'string', default: '1112' } } });
const REPORTS = Math.max(7, Number(values.reports) || 350);
const TASKS = Math.max(10, Number(values.tasks) || 1112);

interface Client {
  cookie: string;
  csrf: string;
}

async function login(app: FastifyInstance, username: string): Promise<Client> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: PASSWORD } });
  if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`);
  const token = res.cookies.find((c) => c.name === SESSION_COOKIE)?.value ?? '';
  return { cookie: `${SESSION_COOKIE}=${token}`, csrf: (res.json() as { csrfToken: string }).csrfToken };
}

async function call(app: FastifyInstance, c: Client, method: 'GET' | 'PUT' | 'POST', url: string, payload?: unknown): Promise<any> {
  const res = await app.inject({
    method,
    url,
    headers: { cookie: c.cookie, [CSRF_HEADER]: c.csrf },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.json();
}

const rate = (n: number, ms: number) => (n / (ms / 1000)).toFixed(0);

async function benchDialect(label: string, handle: DbHandle, url: string): Promise<string[]> {
  const db = handle.db;
  await migrateToLatest(db);
  let t0 = performance.now();
  const data = await generateCityDataset(db, { plans: 1, tasksPerPlan: TASKS });
  console.error(`[${label}] generated ${JSON.stringify(data.rows)} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const districts = await db
    .selectFrom('organisations')
    .select(['id', 'name'])
    .where('kind', '=', 'jurisdiction')
    .orderBy('name')
    .execute();
  for (const [i, d] of districts.entries()) {
    await createUser(db, null, { username: `unit${i}`, displayName: d.name, orgId: d.id, role: 'unit', password: PASSWORD });
  }

  const config = {
    ...loadConfig({}),
    databaseUrl: url,
    logLevel: 'silent' as const,
    loginRateLimitPerMinute: 100_000,
    webDir: '/nonexistent',
  };
  const { app } = await buildApp(config, { handle, logger: false });
  await app.ready();
  try {
    const admin = await login(app, BENCH_USER);
    const units = await Promise.all(districts.map((_, i) => login(app, `unit${i}`)));
    const june = await call(app, admin, 'POST', `/api/plans/${data.planId}/periods`, { start: '2018-06-01', open: true });
    const july = await call(app, admin, 'POST', `/api/plans/${data.planId}/periods`, { start: '2018-07-01', open: true });

    // District targets in task order, round-robin over the districts.
    const targets = await db
      .selectFrom('targets')
      .innerJoin('tasks', 'tasks.id', 'targets.task_id')
      .select(['targets.id', 'targets.task_id', 'targets.jurisdiction_org_id'])
      .where('tasks.plan_id', '=', data.planId)
      .where('targets.jurisdiction_org_id', 'is not', null)
      .orderBy('tasks.seq')
      .orderBy('targets.id')
      .execute();
    const unitOf = new Map(districts.map((d, i) => [d.id, units[i]]));
    const picked = targets.slice(0, REPORTS);

    // 1. Through the API.
    const drafts: Array<{ id: string; version: number; unit: Client }> = [];
    t0 = performance.now();
    for (const [i, t] of picked.entries()) {
      const unit = unitOf.get(t.jurisdiction_org_id!)!;
      const r = await call(app, unit, 'PUT', `/api/periods/${june.id}/reports`, {
        taskId: t.task_id,
        targetId: t.id,
        value: 3 + (i % 8),
        narrative: '已完成选址并开工建设',
        problems: '用地指标紧张',
        nextSteps: '加快施工进度',
      });
      drafts.push({ id: r.id, version: r.version, unit });
    }
    const saveMs = performance.now() - t0;
    t0 = performance.now();
    const submitted: Array<{ id: string; version: number }> = [];
    for (const d of drafts) submitted.push(await call(app, d.unit, 'POST', `/api/reports/${d.id}/submit`, { version: d.version }));
    const submitMs = performance.now() - t0;
    t0 = performance.now();
    for (const s of submitted) await call(app, admin, 'POST', `/api/reports/${s.id}/approve`, { version: s.version });
    const approveMs = performance.now() - t0;

    // The same rows with plain Kysely (July period): one insert each, then one chunked insert.
    const now = new Date().toISOString();
    const rowFor = (t: (typeof picked)[number], i: number, periodId: string): ProgressReportsTable => ({
      id: newSortableId(),
      period_id: periodId,
      task_id: t.task_id,
      target_id: t.id,
      target_key: t.id,
      org_id: t.jurisdiction_org_id!,
      value: 3 + (i % 8),
      completion_percent: null,
      reported_status: null,
      narrative: '已完成选址并开工建设',
      problems: '用地指标紧张',
      next_steps: '加快施工进度',
      status: 'submitted',
      is_late: 0,
      submitted_at: now,
      submitted_by: null,
      reviewed_at: null,
      reviewed_by: null,
      review_comment: null,
      created_by: null,
      version: 1,
      created_at: now,
      updated_at: now,
    });
    t0 = performance.now();
    for (const [i, t] of picked.entries())
      await db
        .insertInto('progress_reports')
        .values(rowFor(t, i, july.id))
        .execute();
    const plainMs = performance.now() - t0;
    await db.deleteFrom('progress_reports').where('period_id', '=', july.id).execute();
    const bulk = picked.map((t, i) => rowFor(t, i, july.id));
    t0 = performance.now();
    for (let i = 0; i < bulk.length; i += 1000)
      await db
        .insertInto('progress_reports')
        .values(bulk.slice(i, i + 1000))
        .execute();
    const bulkMs = performance.now() - t0;

    // 2. Close June with every district target reported and approved.
    const rest = targets.slice(REPORTS).map((t, i) => ({ ...rowFor(t, i, june.id), status: 'approved' as const, reviewed_at: now }));
    for (let i = 0; i < rest.length; i += 1000)
      await db
        .insertInto('progress_reports')
        .values(rest.slice(i, i + 1000))
        .execute();
    const juneNow = await call(app, admin, 'GET', `/api/periods/${june.id}`);
    const statusEvents = async () =>
      Number(
        (
          await db
            .selectFrom('audit_events')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('action', 'in', ['target.update', 'task.update'])
            .executeTakeFirstOrThrow()
        ).n,
      );
    const eventsBefore = await statusEvents();
    t0 = performance.now();
    await call(app, admin, 'POST', `/api/periods/${june.id}/close`, { version: juneNow.version });
    const closeMs = performance.now() - t0;
    const snapshotRows = Number(
      (
        await db
          .selectFrom('period_snapshots')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('period_id', '=', june.id)
          .executeTakeFirstOrThrow()
      ).n,
    );
    const changed = (await statusEvents()) - eventsBefore;
    const n = picked.length;
    return [
      `| ${label} | save draft (PUT) | ${n} | ${(saveMs / n).toFixed(2)} | ${rate(n, saveMs)} |`,
      `| ${label} | submit (POST) | ${n} | ${(submitMs / n).toFixed(2)} | ${rate(n, submitMs)} |`,
      `| ${label} | approve + status recompute (POST) | ${n} | ${(approveMs / n).toFixed(2)} | ${rate(n, approveMs)} |`,
      `| ${label} | whole cycle (3 requests) | ${n} | ${((saveMs + submitMs + approveMs) / n).toFixed(2)} | ${rate(n, saveMs + submitMs + approveMs)} |`,
      `| ${label} | plain Kysely insert, one per row | ${n} | ${(plainMs / n).toFixed(3)} | ${rate(n, plainMs)} |`,
      `| ${label} | plain Kysely insert, 1,000 per statement | ${n} | ${(bulkMs / n).toFixed(3)} | ${rate(n, bulkMs)} |`,
      `| ${label} | close period: ${snapshotRows} snapshot rows, ${changed} statuses changed (audited) | 1 | ${closeMs.toFixed(0)} | — |`,
    ];
  } finally {
    await app.close();
  }
}

async function main(): Promise<void> {
  const lines = (await onEachBenchDatabase((label, url, handle) => benchDialect(label, handle, url))).flat();
  console.log(
    `1 plan × ${TASKS} tasks × (1 total + ${DISTRICTS.length} district targets); ${REPORTS} reports through the API; ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'cpu'}), Node ${process.version}`,
  );
  console.log('');
  console.log('| database | operation | rows | ms per row (close: total ms) | rows/s |');
  console.log('| --- | --- | ---: | ---: | ---: |');
  for (const l of lines) console.log(l);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
