/**
 * A province through the server (`npm run bench:province`; issue 13, item 4).
 *
 * Generates the synthetic province (bench/province-dataset.ts: 18 cities, 158 counties, ~9,700
 * targets, 36 months of reports and snapshots, 督办 notices) into a fresh PostgreSQL database, starts
 * TWO server instances on it (as a province would run), and measures under 10 concurrent
 * connections, spread over both instances:
 *
 *   province dashboard   the province office: cities as rows
 *   city dashboard       a city office's own dashboard
 *   county ledger page   a county user's ledger, filtered (its overdue rows), first page
 *   task detail          one task of a city, as its office
 *   report submit        a county saves and submits a fresh report (two requests, counted as one)
 *   period close         a city office closes its open period (one request per city, 5 cities)
 *
 * Each beside "the limit": the same data read (or written) by hand-written SQL over a pg pool of
 * the same 10 connections, without HTTP, session, policy, audit or serialisation.
 * With `--sqlite`, one city is also generated into SQLite and measured the same way (one server).
 *
 * Options: --cities N (default 18), --requests N per read scenario (default 400),
 * --connections N (default 10), --sqlite, --json (last line: {"requests":[{name,p50,p99,sqlP50,sqlP99}]}).
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import pg from 'pg';
import { type DbHandle, migrateToLatest, openDatabase } from '../src/server/db/database.ts';
import { adminQuery, PG_ADMIN_URL, pgReachable, startServer } from './city-dataset.ts';
import { generateProvince, PROVINCE_ADMIN, PROVINCE_PASSWORD, type Province } from './province-dataset.ts';

const { values } = parseArgs({
  options: {
    cities: { type: 'string', default: '18' },
    requests: { type: 'string', default: '400' },
    connections: { type: 'string', default: '10' },
    sqlite: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});
const CITIES = Math.max(2, Number(values.cities) || 18);
const REQUESTS = Math.max(20, Number(values.requests) || 400);
const CONNECTIONS = Math.max(1, Number(values.connections) || 10);

interface Row {
  name: string;
  p50: number;
  p99: number;
  sqlP50: number;
  sqlP99: number;
}

// Every user of the bench signs in on both instances: the login limit is for people, not for this.
process.env.LOGIN_RATE_LIMIT_PER_MINUTE = '100000';

const log = (msg: string) => console.error(`[bench:province] ${msg}`);

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Runs `jobs` with `concurrency` workers; returns each job's latency, sorted. */
async function load(jobs: number, concurrency: number, job: (i: number) => Promise<void>): Promise<number[]> {
  const times: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < jobs) {
        const i = next++;
        const t0 = performance.now();
        await job(i);
        times.push(performance.now() - t0);
      }
    }),
  );
  return times.sort((a, b) => a - b);
}

interface Session {
  cookie: string;
  csrf: string;
}

async function login(base: string, username: string): Promise<Session> {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PROVINCE_PASSWORD }),
  });
  if (!res.ok) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  const cookie = (res.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ');
  return { cookie, csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
}

async function call(base: string, s: Session, method: string, url: string, body?: unknown): Promise<any> {
  const res = await fetch(`${base}${url}`, {
    method,
    headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : null;
}

/** The hand-written SQL of each scenario, for one dialect. */
interface RawSql {
  query(sql: string, params: unknown[]): Promise<unknown[]>;
  /** Runs the statements in one transaction and rolls back (a write measured without keeping it). */
  inRolledBackTx(fn: (q: (sql: string, params: unknown[]) => Promise<unknown[]>) => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

function pgRaw(url: string): RawSql {
  // As the server's pool (database.ts): JIT off, so both sides plan alike.
  const pool = new pg.Pool({ connectionString: url, max: CONNECTIONS, options: '-c jit=off' });
  return {
    async query(sql, params) {
      return (await pool.query(sql, params)).rows;
    },
    async inRolledBackTx(fn) {
      const c = await pool.connect();
      try {
        await c.query('begin');
        await fn(async (sql, params) => (await c.query(sql, params)).rows);
      } finally {
        await c.query('rollback');
        c.release();
      }
    },
    close: () => pool.end(),
  };
}

function sqliteRaw(file: string): RawSql {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  let queue: Promise<unknown> = Promise.resolve();
  // better-sqlite3 binds ?NNN by name, not position: each pg-style $n becomes a plain ? and its
  // value is passed once per occurrence, in order.
  const run = async (sql: string, params: unknown[]) => {
    const values: unknown[] = [];
    const st = db.prepare(
      sql.replace(/\$(\d+)/g, (_, n: string) => {
        values.push(params[Number(n) - 1]);
        return '?';
      }),
    );
    if (st.reader) return st.all(...values);
    st.run(...values);
    return [];
  };
  return {
    query: run,
    // One connection: concurrent jobs take turns (SQLite has one writer anyway).
    inRolledBackTx(fn) {
      const turn = queue.then(async () => {
        db.exec('begin');
        try {
          await fn(run);
        } finally {
          db.exec('rollback');
        }
      });
      queue = turn.catch(() => undefined);
      return turn;
    },
    async close() {
      db.close();
    },
  };
}

// The limit's SQL. Plain statements a DBA would write for the same screen.
const SQL = {
  provinceDashboard: [
    `select p.owner_org_id, t.status, count(*) as n from tasks t join plans p on p.id = t.plan_id where p.status = 'active' group by p.owner_org_id, t.status`,
    `select p.owner_org_id, g.status, count(*) as n from targets g join tasks t on t.id = g.task_id join plans p on p.id = t.plan_id where p.status = 'active' group by p.owner_org_id, g.status`,
    `select p.owner_org_id, r.status, count(*) as n from progress_reports r join reporting_periods rp on rp.id = r.period_id join plans p on p.id = rp.plan_id where rp.status = 'open' group by p.owner_org_id, r.status`,
    `select p.owner_org_id, count(distinct n.id) as n from supervision_notices n join supervision_notice_rows nr on nr.notice_id = n.id join tasks t on t.id = nr.task_id join plans p on p.id = t.plan_id where n.status <> 'closed' group by p.owner_org_id`,
  ],
  cityDashboard: [
    `select t.status, count(*) as n from tasks t join plans p on p.id = t.plan_id where p.owner_org_id = $1 group by t.status`,
    `select g.jurisdiction_org_id, g.status, count(*) as n from targets g join tasks t on t.id = g.task_id join plans p on p.id = t.plan_id where p.owner_org_id = $1 group by g.jurisdiction_org_id, g.status`,
    `select r.org_id, r.status, count(*) as n from progress_reports r join reporting_periods rp on rp.id = r.period_id join plans p on p.id = rp.plan_id where rp.status = 'open' and p.owner_org_id = $1 group by r.org_id, r.status`,
    `select t.id, t.seq, t.text, t.status from tasks t join plans p on p.id = t.plan_id where p.owner_org_id = $1 and t.status = 'overdue' order by t.seq limit 100`,
  ],
  countyLedger: [
    `select t.id, t.seq, t.text, g.id as target_id, g.metric, g.value, g.unit, g.status from targets g join tasks t on t.id = g.task_id where g.jurisdiction_org_id = $1 and g.status = 'overdue' order by t.seq, g.id limit 50`,
    `select count(*) as n from targets g where g.jurisdiction_org_id = $1 and g.status = 'overdue'`,
  ],
  taskDetail: [
    `select * from tasks where id = $1`,
    `select * from targets where task_id = $1`,
    `select a.*, o.name from assignments a join organisations o on o.id = a.org_id where a.task_id = $1`,
    `select * from deadlines where task_id = $1`,
  ],
};

async function runScenario(name: string, http: () => Promise<number[]>, raw: () => Promise<number[]>): Promise<Row> {
  const h = await http();
  const r = await raw();
  const row = { name, p50: percentile(h, 50), p99: percentile(h, 99), sqlP50: percentile(r, 50), sqlP99: percentile(r, 99) };
  log(
    `${name}: p50 ${row.p50.toFixed(1)} / p99 ${row.p99.toFixed(1)} ms; SQL p50 ${row.sqlP50.toFixed(1)} / p99 ${row.sqlP99.toFixed(1)} ms`,
  );
  return row;
}

async function measure(label: string, url: string, province: Province, bases: string[], raw: RawSql, concurrency: number): Promise<Row[]> {
  const rows: Row[] = [];
  const base = (i: number) => bases[i % bases.length];
  const city = province.cities[0];
  const sessionsPer = async (username: string) => Promise.all(bases.map((b) => login(b, username)));
  const prov = await sessionsPer(PROVINCE_ADMIN);
  const cityAdmin = await sessionsPer(city.adminUsername);
  const county = await sessionsPer(city.countyUsernames[0]);
  const countyId = city.countyIds[0];
  const sq = (list: string[], params: (string | number)[][]) => async () => {
    for (const [i, s] of list.entries()) await raw.query(s, params[i] ?? []);
  };
  const warm = async (fn: (i: number) => Promise<void>) => {
    await load(Math.min(40, REQUESTS), concurrency, fn);
  };
  const scenario = async (name: string, httpJob: (i: number) => Promise<void>, rawJob: () => Promise<void>) => {
    await warm(httpJob);
    await warm(rawJob);
    rows.push(
      await runScenario(
        `${label} ${name}`,
        () => load(REQUESTS, concurrency, httpJob),
        () => load(REQUESTS, concurrency, rawJob),
      ),
    );
  };

  if (province.cities.length > 1 && !process.env.BENCH_SKIP_PROVINCE) {
    await scenario(
      'province dashboard',
      (i) => call(base(i), prov[i % bases.length], 'GET', '/api/dashboard/province'),
      sq(SQL.provinceDashboard, []),
    );
  }
  await scenario(
    'city dashboard',
    (i) => call(base(i), cityAdmin[i % bases.length], 'GET', '/api/dashboard'),
    sq(SQL.cityDashboard, [[city.officeId], [city.officeId], [city.officeId], [city.officeId]]),
  );
  // The dashboards are reused until a write lands (ADR 0008), so the two scenarios above are
  // mostly reuse. These ask for a different day each time (asOf is part of the key): every request
  // computes, as the first open after a write does.
  // A counter, not the job's index: the warm-up and the measured run must not share a day.
  let day = 0;
  const nextDay = () => new Date(Date.UTC(2015, 0, 1) + day++ * 86_400_000).toISOString().slice(0, 10);
  if (province.cities.length > 1 && !process.env.BENCH_SKIP_PROVINCE) {
    await scenario(
      'province dashboard (computed: a new day each time)',
      (i) => call(base(i), prov[i % bases.length], 'GET', `/api/dashboard/province?asOf=${nextDay()}`),
      sq(SQL.provinceDashboard, []),
    );
  }
  await scenario(
    'city dashboard (computed: a new day each time)',
    (i) => call(base(i), cityAdmin[i % bases.length], 'GET', `/api/dashboard?asOf=${nextDay()}`),
    sq(SQL.cityDashboard, [[city.officeId], [city.officeId], [city.officeId], [city.officeId]]),
  );
  await scenario(
    'county ledger page',
    (i) => call(base(i), county[i % bases.length], 'GET', `/api/ledger/page?status=overdue&page=1&pageSize=50`),
    sq(SQL.countyLedger, [[countyId], [countyId]]),
  );
  await scenario(
    'task detail',
    (i) => call(base(i), cityAdmin[i % bases.length], 'GET', `/api/tasks/${city.taskIds[i % city.taskIds.length]}`),
    async () => {
      const id = city.taskIds[Math.floor(Math.random() * city.taskIds.length)];
      for (const s of SQL.taskDetail) await raw.query(s, [id]);
    },
  );

  // Report submit: fresh targets of the open periods, each saved and submitted by its county.
  const fresh = province.cities.flatMap((c) =>
    c.freshTargets.map(([targetId, taskId, orgId]) => ({
      c,
      targetId,
      taskId,
      orgId,
      username: c.countyUsernames[c.countyIds.indexOf(orgId)],
    })),
  );
  const submitCount = Math.min(REQUESTS, Math.floor(fresh.length / 2));
  const units = new Map<string, Session[]>();
  for (const f of fresh.slice(0, submitCount * 2)) if (!units.has(f.username)) units.set(f.username, await sessionsPer(f.username));
  const submitJob = (offset: number) => async (i: number) => {
    const f = fresh[offset + i];
    const s = units.get(f.username)![i % bases.length];
    const r = await call(base(i), s, 'PUT', `/api/periods/${f.c.openPeriodId}/reports`, {
      taskId: f.taskId,
      targetId: f.targetId,
      value: 3,
      narrative: '已开工建设',
      problems: '',
      nextSteps: '加快进度',
    });
    await call(base(i), s, 'POST', `/api/reports/${r.id}/submit`, { version: r.version });
  };
  {
    const h = await load(submitCount, concurrency, submitJob(0));
    const r = await load(submitCount, concurrency, async () => {
      const i = Math.floor(Math.random() * submitCount) + submitCount;
      const f = fresh[i];
      await raw.inRolledBackTx(async (q) => {
        const id = `bench-${i}-${Math.random()}`;
        const now = new Date().toISOString();
        await q(
          `insert into progress_reports (id, period_id, task_id, target_id, target_key, org_id, value, narrative, problems, next_steps, status, is_late, version, created_at, updated_at) values ($1, $2, $3, $4, $4, $5, 3, '已开工建设', '', '加快进度', 'draft', 0, 1, $6, $6)`,
          [id, f.c.openPeriodId, f.taskId, f.targetId, f.orgId, now],
        );
        await q(`update progress_reports set status = 'submitted', submitted_at = $2, version = version + 1 where id = $1`, [id, now]);
      });
    });
    const row = {
      name: `${label} report submit`,
      p50: percentile(h, 50),
      p99: percentile(h, 99),
      sqlP50: percentile(r, 50),
      sqlP99: percentile(r, 99),
    };
    log(
      `${row.name}: p50 ${row.p50.toFixed(1)} / p99 ${row.p99.toFixed(1)} ms; SQL p50 ${row.sqlP50.toFixed(1)} / p99 ${row.sqlP99.toFixed(1)} ms`,
    );
    rows.push(row);
  }

  // The first read after a write: a county submits a report (untimed), then reads its ledger page
  // on the other instance (timed). Each write moves the city plan's
  // audit head, so every such read rebuilds that plan's cached rows (ADR 0009) on its instance:
  // the price of a read while a city is busy reporting. One at a time, so each read follows its write.
  {
    // The rolled-back limit above left these targets fresh; each county reads its own page after writing.
    const afterWrite = fresh.slice(submitCount, submitCount * 2);
    const n = Math.min(60, afterWrite.length);
    if (n >= 10) {
      const h: number[] = [];
      for (let i = 0; i < n; i++) {
        const f = afterWrite[i];
        const s = units.get(f.username)![i % bases.length];
        const r = await call(base(i), s, 'PUT', `/api/periods/${f.c.openPeriodId}/reports`, {
          taskId: f.taskId,
          targetId: f.targetId,
          value: 2,
          narrative: '已完成招标',
          problems: '',
          nextSteps: '开工建设',
        });
        await call(base(i), s, 'POST', `/api/reports/${r.id}/submit`, { version: r.version });
        const t0 = performance.now();
        await call(
          base(i + 1),
          units.get(f.username)![(i + 1) % bases.length],
          'GET',
          `/api/ledger/page?status=overdue&page=1&pageSize=50`,
        );
        h.push(performance.now() - t0);
      }
      h.sort((a, b) => a - b);
      const r = await load(n, 1, async (i) => {
        const orgId = afterWrite[i].orgId;
        for (const s of SQL.countyLedger) await raw.query(s, [orgId]);
      });
      const row = {
        name: `${label} county ledger page (first read after a write)`,
        p50: percentile(h, 50),
        p99: percentile(h, 99),
        sqlP50: percentile(r, 50),
        sqlP99: percentile(r, 99),
      };
      log(
        `${row.name}: p50 ${row.p50.toFixed(1)} / p99 ${row.p99.toFixed(1)} ms; SQL p50 ${row.sqlP50.toFixed(1)} / p99 ${row.sqlP99.toFixed(1)} ms (${n} writes)`,
      );
      rows.push(row);
    }
  }

  // Period close: one city at a time (the close of one city is one request), then the limit:
  // the same snapshot insert-select and status updates in a rolled-back transaction.
  const closeCities = province.cities.slice(1, Math.min(province.cities.length, 6));
  const closeTimes: number[] = [];
  const rawTimes: number[] = [];
  for (const c of closeCities.length > 0 ? closeCities : province.cities) {
    const t0r = performance.now();
    await raw.inRolledBackTx(async (q) => {
      await q(
        `insert into period_snapshots (id, period_id, task_id, target_id, target_key, org_id, org_key, report_id, report_status, is_late, reported_value, reported_status, completion_percent, computed_status, reason, progress, created_at)
         select g.id || '-s', $1, g.task_id, g.id, g.id, g.jurisdiction_org_id, coalesce(g.jurisdiction_org_id, ''), r.id, r.status, coalesce(r.is_late, 0), r.value, null, null,
                case when r.value >= g.value then 'done' when r.value is null then g.status else 'on_track' end, '', case when g.value > 0 then 100.0 * r.value / g.value end, $2
           from targets g join tasks t on t.id = g.task_id
           left join progress_reports r on r.period_id = $1 and r.target_key = g.id and r.status = 'approved'
          where t.plan_id = $3`,
        [c.openPeriodId, new Date().toISOString(), c.planId],
      );
      await q(
        `update targets set status = 'done' where id in (select g.id from targets g join tasks t on t.id = g.task_id join progress_reports r on r.target_key = g.id and r.period_id = $1 and r.status = 'approved' where t.plan_id = $2 and r.value >= g.value)`,
        [c.openPeriodId, c.planId],
      );
      await q(`update reporting_periods set status = 'closed', closed_at = $2 where id = $1`, [c.openPeriodId, new Date().toISOString()]);
    });
    rawTimes.push(performance.now() - t0r);
    const admin = await login(bases[0], c.adminUsername);
    const period = await call(bases[0], admin, 'GET', `/api/periods/${c.openPeriodId}`);
    const t0 = performance.now();
    await call(bases[0], admin, 'POST', `/api/periods/${c.openPeriodId}/close`, { version: period.version });
    closeTimes.push(performance.now() - t0);
  }
  closeTimes.sort((a, b) => a - b);
  rawTimes.sort((a, b) => a - b);
  const closeRow = {
    name: `${label} period close (one city)`,
    p50: percentile(closeTimes, 50),
    p99: percentile(closeTimes, 99),
    sqlP50: percentile(rawTimes, 50),
    sqlP99: percentile(rawTimes, 99),
  };
  log(
    `${closeRow.name}: p50 ${closeRow.p50.toFixed(0)} / max ${closeRow.p99.toFixed(0)} ms; SQL ${closeRow.sqlP50.toFixed(0)} / ${closeRow.sqlP99.toFixed(0)} ms`,
  );
  rows.push(closeRow);
  void url;
  return rows;
}

/** Stops the servers and waits for them to exit, so dropping the database does not kill live queries. */
async function stopAll(servers: ChildProcess[]): Promise<void> {
  await Promise.all(
    servers.map(
      (p) =>
        new Promise<void>((resolve) => {
          if (p.exitCode !== null) return resolve();
          p.once('exit', () => resolve());
          p.kill();
        }),
    ),
  );
}

async function onPostgres(): Promise<Row[]> {
  const name = `luoshi_province_${Date.now().toString(36)}`;
  await adminQuery(`create database ${name}`);
  const u = new URL(PG_ADMIN_URL);
  u.pathname = `/${name}`;
  const url = u.toString();
  let handle: DbHandle | null = openDatabase(url);
  const servers: ChildProcess[] = [];
  try {
    await migrateToLatest(handle.db);
    const t0 = performance.now();
    const province = await generateProvince(handle.db, { cities: CITIES });
    log(`PostgreSQL: generated ${JSON.stringify(province.rows)} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    await sql`analyze`.execute(handle.db);
    await handle.close();
    handle = null;
    const a = await startServer(url);
    const b = await startServer(url);
    servers.push(a.proc, b.proc);
    const raw = pgRaw(url);
    try {
      return await measure('PostgreSQL', url, province, [a.base, b.base], raw, CONNECTIONS);
    } finally {
      await raw.close();
    }
  } finally {
    await stopAll(servers);
    if (handle) await handle.close();
    await adminQuery(`drop database if exists ${name} with (force)`);
  }
}

async function onSqlite(): Promise<Row[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'luoshi-province-'));
  const file = path.join(dir, 'city.db');
  const servers: ChildProcess[] = [];
  try {
    const handle = openDatabase(file);
    await migrateToLatest(handle.db);
    const t0 = performance.now();
    const province = await generateProvince(handle.db, { cities: 1 });
    log(`SQLite (one city): generated ${JSON.stringify(province.rows)} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    await handle.close();
    const a = await startServer(file);
    servers.push(a.proc);
    const raw = sqliteRaw(file);
    try {
      return await measure('SQLite', file, province, [a.base], raw, CONNECTIONS);
    } finally {
      await raw.close();
    }
  } finally {
    await stopAll(servers);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  const rows: Row[] = [];
  if (await pgReachable()) rows.push(...(await onPostgres()));
  else log(`PostgreSQL not reachable at ${PG_ADMIN_URL}: the province needs it; SQLite (one city) only`);
  if (values.sqlite || rows.length === 0) rows.push(...(await onSqlite()));
  const load = os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
  console.log(
    `${CITIES} cities; ${REQUESTS} requests per read scenario, ${CONNECTIONS} connections; ${os.cpus().length} cores, load ${load}; ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
  console.log('');
  console.log('| request | p50 ms | p99 ms | SQL p50 ms | SQL p99 ms | p99 ratio |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows)
    console.log(
      `| ${r.name} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.sqlP50.toFixed(1)} | ${r.sqlP99.toFixed(1)} | ${(r.p99 / r.sqlP99).toFixed(1)}× |`,
    );
  if (values.json) {
    const round = (x: number) => Math.round(x * 100) / 100;
    console.log(
      JSON.stringify({
        requests: rows.map((r) => ({
          name: r.name,
          p50: round(r.p50),
          p99: round(r.p99),
          sqlP50: round(r.sqlP50),
          sqlP99: round(r.sqlP99),
        })),
      }),
    );
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
