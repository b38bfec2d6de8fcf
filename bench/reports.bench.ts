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
 *    And beside the same writes as hand-written SQL, one transaction per request (the limit the
 *    API is measured against, issue 13): save = insert the report + its audit event; submit and
 *    approve = a versioned update + audit; approve also sets the target's and the task's status
 *    (audited) and inserts the notification. Each transaction locks its chain's head, inserts
 *    its events in one statement and moves the head, as core/audit-log.ts does.
 * 2. Closing a period whose every district target has an approved report (inserted directly): the
 *    snapshot (one row per target and task × reporting organisation) and the status recompute
 *    (changed targets and tasks written set-based, audited in one batch), in one transaction.
 *    Beside it the same writes as hand-written set-based SQL (the snapshot rows and status changes
 *    the close produced, written again with multi-row INSERTs and UPDATE … FROM (VALUES …), then
 *    rolled back): what the close costs beyond its writes is the reading and the engine.
 *
 * 3. The Excel upload (进展填报表) of one district: its template for a new period downloaded, its
 *    first N rows filled (a value on each target row, a narrative on every row), uploaded with
 *    dryRun=0 through the API (parsing the workbook, checking every row, saving the drafts
 *    set-based in one transaction). Beside it the same rows saved as the upload did before: the
 *    reporting service's saveReport once per row, in one transaction (no HTTP, no workbook).
 *
 * Options: --reports N (reports through the API, default 350), --tasks N (default 1112),
 * --upload N (rows of the uploaded sheet, default 1000).
 */
import { createHash, randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import os from 'node:os';
import { sql, type Transaction } from 'kysely';
import { parseArgs } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/server/app.ts';
import { loadConfig } from '../src/server/config.ts';
import { type DbHandle, migrateToLatest } from '../src/server/db/database.ts';
import type { AuditEventsTable, Database, ProgressReportsTable } from '../src/server/db/database.types.ts';
import { CSRF_HEADER, SESSION_COOKIE } from '../src/server/modules/auth/auth.plugin.ts';
import { newSortableId } from '../src/server/core/ids.ts';
import { writeTx } from '../src/server/core/transaction.ts';
import { saveReport } from '../src/server/modules/reporting/progress-reports.service.ts';
import type { SaveReportBody } from '../src/shared/schemas/reporting.schema.ts';
import { createUser } from '../src/server/modules/users/users.service.ts';
import { BENCH_USER, DISTRICTS, generateCityDataset, onEachBenchDatabase, PASSWORD } from './city-dataset.ts';

const { values } = parseArgs({
  options: {
    reports: { type: 'string', default: '350' },
    tasks: { type: 'string', default: '1112' },
    upload: { type: 'string', default: '1000' },
  },
});
const UPLOAD = Math.max(1, Number(values.upload) || 1000);
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

type Trx = Transaction<Database>;

/** Appends events to a bench-only chain the way core/audit-log.ts does: lock the head, one INSERT, move the head. */
async function appendRaw(
  trx: Trx,
  pg: boolean,
  chain: string,
  events: Omit<AuditEventsTable, 'chain' | 'seq' | 'prev_hash' | 'hash' | 'kid'>[],
) {
  const head = (
    await sql<{
      last_seq: number;
      last_hash: string;
    }>`select last_seq, last_hash from audit_head where chain = ${chain} ${pg ? sql`for update` : sql``}`.execute(trx)
  ).rows[0]!;
  let seq = Number(head.last_seq);
  let prev = head.last_hash;
  const rows = events.map((e) => {
    seq += 1;
    const hash = createHash('sha256')
      .update(prev + JSON.stringify(e))
      .digest('hex');
    const row = { ...e, chain, seq, prev_hash: prev, hash, kid: 'bench' };
    prev = hash;
    return row;
  });
  await trx.insertInto('audit_events').values(rows).execute();
  await sql`update audit_head set last_seq = ${seq}, last_hash = ${prev} where chain = ${chain}`.execute(trx);
}

/** Sets status (and version + 1) on many rows in one statement, as plans' tasks.repository.ts does. */
async function updateStatusesRaw(trx: Trx, table: 'targets' | 'tasks', rows: { id: string; status: string }[], at: string) {
  for (let i = 0; i < rows.length; i += 1000) {
    const values = sql.join(rows.slice(i, i + 1000).map((r) => sql`(${r.id}, ${r.status})`));
    await sql`update ${sql.table(table)} set status = v.column2, version = ${sql.ref(`${table}.version`)} + 1, updated_at = ${at}
      from (values ${values}) as v where ${sql.ref(`${table}.id`)} = v.column1`.execute(trx);
  }
}

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
    const planChain = `plan:${data.planId}`;
    const seqBefore = Number(
      (await db.selectFrom('audit_head').select('last_seq').where('chain', '=', planChain).executeTakeFirst())?.last_seq ?? 0,
    );
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

    const pg = handle.dialect === 'postgres';
    const chain = 'bench:handwritten';
    await db
      .insertInto('audit_head')
      .values({ chain, id: null, last_seq: 0, last_hash: '0'.repeat(64) })
      .execute();
    // The close's writes again as hand-written set-based SQL (into July, rolled back).
    const frozen = await db.selectFrom('period_snapshots').selectAll().where('period_id', '=', june.id).execute();
    const statusChanges = await db
      .selectFrom('audit_events')
      .select(['entity_type', 'entity_id', 'task_id', 'after_json', 'before_json', 'at', 'actor_id', 'action'])
      .where('action', 'in', ['target.update', 'task.update'])
      .where('chain', '=', planChain)
      .where('seq', '>', seqBefore)
      .orderBy('seq')
      .execute();
    const statusOf = (e: (typeof statusChanges)[number]) => ({
      id: e.entity_id,
      status: (JSON.parse(e.after_json!) as { status: string }).status,
    });
    let handCloseMs = 0;
    await db
      .transaction()
      .execute(async (trx) => {
        const at = new Date().toISOString();
        t0 = performance.now();
        await sql`update reporting_periods set status = 'closed', closed_at = ${at}, updated_at = ${at}, version = version + 1 where id = ${july.id}`.execute(
          trx,
        );
        const copies = frozen.map((r) => ({ ...r, id: newSortableId(), period_id: july.id, created_at: at }));
        for (let i = 0; i < copies.length; i += 1600)
          await trx
            .insertInto('period_snapshots')
            .values(copies.slice(i, i + 1600))
            .execute();
        await updateStatusesRaw(trx, 'targets', statusChanges.filter((e) => e.entity_type === 'target').map(statusOf), at);
        await updateStatusesRaw(trx, 'tasks', statusChanges.filter((e) => e.entity_type === 'task').map(statusOf), at);
        for (let i = 0; i < statusChanges.length; i += 500)
          await appendRaw(
            trx,
            pg,
            chain,
            statusChanges.slice(i, i + 500).map((e) => ({ ...e, at })),
          );
        handCloseMs = performance.now() - t0;
        throw new RollBack();
      })
      .catch((err) => {
        if (!(err instanceof RollBack)) throw err;
      });
    // The same three writes per report as hand-written SQL, one transaction per request (August;
    // after the close, so that its status writes do not change what the close recomputes).
    const august = await call(app, admin, 'POST', `/api/plans/${data.planId}/periods`, { start: '2018-08-01', open: true });
    const officeUser = (await db.selectFrom('users').select('id').where('username', '=', BENCH_USER).executeTakeFirstOrThrow()).id;
    const event = (action: string, entityType: string, entityId: string, taskId: string, before: unknown, after: unknown) => ({
      at: new Date().toISOString(),
      actor_id: officeUser,
      action,
      entity_type: entityType,
      entity_id: entityId,
      task_id: taskId,
      before_json: before === null ? null : JSON.stringify(before),
      after_json: JSON.stringify(after),
    });
    const handRows = picked.map((t, i) => ({ ...rowFor(t, i, august.id), status: 'draft' as const, submitted_at: null }));
    t0 = performance.now();
    for (const r of handRows) {
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('progress_reports').values(r).execute();
        await appendRaw(trx, pg, chain, [event('progress_report.create', 'progress_report', r.id, r.task_id, null, r)]);
      });
    }
    for (const r of handRows) {
      await db.transaction().execute(async (trx) => {
        const at = new Date().toISOString();
        await sql`update progress_reports set status = 'submitted', submitted_at = ${at}, submitted_by = ${officeUser}, is_late = 0, updated_at = ${at}, version = version + 1
          where id = ${r.id} and version = 1`.execute(trx);
        await appendRaw(trx, pg, chain, [event('progress_report.submit', 'progress_report', r.id, r.task_id, r, { status: 'submitted' })]);
      });
    }
    for (const r of handRows) {
      await db.transaction().execute(async (trx) => {
        const at = new Date().toISOString();
        await sql`update progress_reports set status = 'approved', reviewed_at = ${at}, reviewed_by = ${officeUser}, updated_at = ${at}, version = version + 1
          where id = ${r.id} and version = 2`.execute(trx);
        await sql`update targets set status = 'on_track', version = version + 1, updated_at = ${at} where id = ${r.target_id}`.execute(trx);
        await sql`update tasks set status = 'on_track', version = version + 1, updated_at = ${at} where id = ${r.task_id}`.execute(trx);
        await appendRaw(trx, pg, chain, [
          event('progress_report.approve', 'progress_report', r.id, r.task_id, { status: 'submitted' }, { status: 'approved' }),
          event('target.update', 'target', r.target_id!, r.task_id, { status: 'not_started' }, { status: 'on_track' }),
          event('task.update', 'task', r.task_id, r.task_id, { status: 'not_started' }, { status: 'on_track' }),
        ]);
        await trx
          .insertInto('notifications')
          .values({
            id: newSortableId(),
            user_id: officeUser,
            kind: 'report.approved',
            title: '进展报告已通过',
            body: '',
            link: null,
            read_at: null,
            dedupe_key: null,
            created_at: at,
          })
          .execute();
      });
    }
    const handMs = performance.now() - t0;

    // 3. One district's Excel upload into a new period, beside the same rows saved one saveReport each.
    const upload = await benchUpload(app, db, admin, units[0]!, districts[0]!.id, data.planId);
    const n = picked.length;
    const cycleMs = saveMs + submitMs + approveMs;
    return [
      `| ${label} | save draft (PUT) | ${n} | ${(saveMs / n).toFixed(2)} | ${rate(n, saveMs)} |`,
      `| ${label} | submit (POST) | ${n} | ${(submitMs / n).toFixed(2)} | ${rate(n, submitMs)} |`,
      `| ${label} | approve + status recompute (POST) | ${n} | ${(approveMs / n).toFixed(2)} | ${rate(n, approveMs)} |`,
      `| ${label} | whole cycle (3 requests) | ${n} | ${(cycleMs / n).toFixed(2)} | ${rate(n, cycleMs)} |`,
      `| ${label} | whole cycle as hand-written SQL (3 transactions: same writes + audit) — API is ${(cycleMs / handMs).toFixed(1)}× | ${n} | ${(handMs / n).toFixed(2)} | ${rate(n, handMs)} |`,
      `| ${label} | plain Kysely insert, one per row | ${n} | ${(plainMs / n).toFixed(3)} | ${rate(n, plainMs)} |`,
      `| ${label} | plain Kysely insert, 1,000 per statement | ${n} | ${(bulkMs / n).toFixed(3)} | ${rate(n, bulkMs)} |`,
      `| ${label} | close period: ${snapshotRows} snapshot rows, ${changed} statuses changed (audited) | 1 | ${closeMs.toFixed(0)} | — |`,
      `| ${label} | close period as hand-written set-based SQL (same writes) — API is ${(closeMs / handCloseMs).toFixed(1)}× | 1 | ${handCloseMs.toFixed(0)} | — |`,
      `| ${label} | bulk upload (xlsx, one request: parse, check, save set-based) | ${upload.rows} | ${(upload.uploadMs / upload.rows).toFixed(3)} (total ${upload.uploadMs.toFixed(0)}) | ${rate(upload.rows, upload.uploadMs)} |`,
      `| ${label} | the same rows as saveReport per row in one transaction (the upload's save before) — upload is ${(upload.perRowMs / upload.uploadMs).toFixed(1)}× faster | ${upload.rows} | ${(upload.perRowMs / upload.rows).toFixed(3)} (total ${upload.perRowMs.toFixed(0)}) | ${rate(upload.rows, upload.perRowMs)} |`,
    ];
  } finally {
    await app.close();
  }
}

class RollBack extends Error {}

/**
 * One district's 进展填报表 for a new period: its first UPLOAD rows filled and uploaded through the
 * API (timed), then the same bodies saved with saveReport once per row in one transaction into
 * another new period (timed): what the upload did per row before it saved set-based.
 */
async function benchUpload(app: FastifyInstance, db: DbHandle['db'], admin: Client, unit: Client, orgId: string, planId: string) {
  const headers = { cookie: unit.cookie, [CSRF_HEADER]: unit.csrf };
  const september = await call(app, admin, 'POST', `/api/plans/${planId}/periods`, { start: '2018-09-01', open: true });
  const october = await call(app, admin, 'POST', `/api/plans/${planId}/periods`, { start: '2018-10-01', open: true });
  const res = await app.inject({ method: 'GET', url: `/api/periods/${september.id}/my-report-template.xlsx`, headers });
  if (res.statusCode !== 200) throw new Error(`template: ${res.statusCode} ${res.body}`);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as unknown as ExcelJS.Buffer);
  const sheet = wb.getWorksheet('填报')!;
  const bodies: SaveReportBody[] = [];
  for (let r = 3; r <= sheet.rowCount && bodies.length < UPLOAD; r++) {
    const key = String(sheet.getCell(r, 1).value ?? '');
    if (!key) continue;
    const [taskId, targetId] = key.split('/');
    const value = targetId ? 3 + (r % 5) : null;
    if (value !== null) sheet.getCell(r, 7).value = value;
    sheet.getCell(r, 10).value = '已完成选址并开工建设';
    bodies.push({
      taskId: taskId!,
      targetId: targetId || null,
      value,
      completionPercent: null,
      reportedStatus: null,
      narrative: '已完成选址并开工建设',
      problems: '',
      nextSteps: '',
    });
  }
  const bytes = Buffer.from(await wb.xlsx.writeBuffer());
  const boundary = `----luoshi${randomUUID()}`;
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="report.xlsx"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  let t0 = performance.now();
  const up = await app.inject({
    method: 'POST',
    url: `/api/periods/${september.id}/my-report-upload?dryRun=0`,
    headers: { ...headers, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload,
  });
  const uploadMs = performance.now() - t0;
  if (up.statusCode !== 200 || (up.json() as { saved: number }).saved !== bodies.length)
    throw new Error(`upload: ${up.statusCode} ${up.body.slice(0, 500)}`);
  const user = await db.selectFrom('users').select(['id', 'display_name']).where('org_id', '=', orgId).executeTakeFirstOrThrow();
  const actor = { userId: user.id, orgId, role: 'unit' as const, displayName: user.display_name };
  t0 = performance.now();
  await writeTx(db, async (trx) => {
    for (const body of bodies) await saveReport(trx, october.id, body, actor);
  });
  const perRowMs = performance.now() - t0;
  return { rows: bodies.length, uploadMs, perRowMs };
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
