/**
 * Where one report cycle spends its time (`npx tsx bench/reports-profile.ts [--pg] [--tasks N] [--reports N]`):
 * the same requests as bench/reports.bench.ts through `app.inject`, every statement timed by
 * Kysely's log, grouped per request kind (save, submit, approve) by SQL text. Prints statements
 * per request, time in SQL vs the whole request, and the costliest statements. On SQLite it
 * also times better-sqlite3's `prepare` of each distinct statement (what Kysely's driver pays on
 * every execution).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import SQLite from 'better-sqlite3';
import { Kysely, type LogEvent, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { buildApp } from '../src/server/app.ts';
import { loadConfig } from '../src/server/config.ts';
import { type DbHandle, migrateToLatest, withStatementCache } from '../src/server/db/database.ts';
import type { Database } from '../src/server/db/database.types.ts';
import { CSRF_HEADER, SESSION_COOKIE } from '../src/server/modules/auth/auth.plugin.ts';
import { createUser } from '../src/server/modules/users/users.service.ts';
import { BENCH_USER, generateCityDataset, PASSWORD, PG_ADMIN_URL } from './city-dataset.ts';

const { values } = parseArgs({
  options: {
    pg: { type: 'boolean', default: false },
    tasks: { type: 'string', default: '300' },
    reports: { type: 'string', default: '100' },
    cpu: { type: 'string' },
    nocache: { type: 'boolean', default: false },
  },
});
const TASKS = Number(values.tasks);
const REPORTS = Number(values.reports);

interface Stat {
  n: number;
  ms: number;
}
let bucket: Map<string, Stat> | null = null;
let sqlMs = 0;
let statements = 0;
const log = (e: LogEvent) => {
  if (!bucket) return;
  const key = e.query.sql
    .replace(/\s+/g, ' ')
    .replace(/\?(, \?)+/g, '?…')
    .slice(0, 220);
  const s = bucket.get(key) ?? { n: 0, ms: 0 };
  s.n += 1;
  s.ms += e.queryDurationMillis;
  bucket.set(key, s);
  sqlMs += e.queryDurationMillis;
  statements += 1;
  fullSql.push(e.query.sql);
};
let fullSql: string[] = [];

async function open(): Promise<{ handle: DbHandle; url: string; raw?: SQLite.Database; cleanup: () => Promise<void> }> {
  if (values.pg) {
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    const name = `luoshi_prof_${randomBytes(4).toString('hex')}`;
    await admin.query(`create database ${name}`);
    const url = new URL(PG_ADMIN_URL);
    url.pathname = `/${name}`;
    pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));
    pg.types.setTypeParser(1700, (v) => Number.parseFloat(v));
    const pool = new pg.Pool({ connectionString: url.toString(), max: 10, options: '-c jit=off' });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log });
    return {
      handle: { db, dialect: 'postgres', close: () => db.destroy() },
      url: url.toString(),
      cleanup: async () => {
        await db.destroy();
        await admin.query(`drop database if exists ${name} with (force)`);
        await admin.end();
      },
    };
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'luoshi-prof-'));
  const file = path.join(dir, 'p.db');
  const raw = new SQLite(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('synchronous = NORMAL');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: values.nocache ? raw : withStatementCache(raw) }), log });
  return {
    handle: { db, dialect: 'sqlite', close: () => db.destroy() },
    url: file,
    raw,
    cleanup: async () => {
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function main() {
  const { handle, url, raw, cleanup } = await open();
  const db = handle.db;
  try {
    await migrateToLatest(db);
    const data = await generateCityDataset(db, { plans: 1, tasksPerPlan: TASKS });
    const districts = await db.selectFrom('organisations').select(['id']).where('kind', '=', 'jurisdiction').orderBy('name').execute();
    for (const [i, d] of districts.entries())
      await createUser(db, null, { username: `unit${i}`, displayName: `u${i}`, orgId: d.id, role: 'unit', password: PASSWORD });
    const config = {
      ...loadConfig({}),
      databaseUrl: url,
      logLevel: 'silent' as const,
      loginRateLimitPerMinute: 100_000,
      webDir: '/nonexistent',
    };
    const { app } = await buildApp(config, { handle, logger: false });
    await app.ready();
    const login = async (username: string) => {
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: PASSWORD } });
      const token = res.cookies.find((c) => c.name === SESSION_COOKIE)?.value ?? '';
      return { cookie: `${SESSION_COOKIE}=${token}`, csrf: (res.json() as { csrfToken: string }).csrfToken };
    };
    const call = async (c: { cookie: string; csrf: string }, method: 'PUT' | 'POST', u: string, payload: object) => {
      const res = await app.inject({ method, url: u, headers: { cookie: c.cookie, [CSRF_HEADER]: c.csrf }, payload });
      if (res.statusCode >= 300) throw new Error(`${method} ${u}: ${res.statusCode} ${res.body}`);
      return res.json();
    };
    const admin = await login(BENCH_USER);
    const units = await Promise.all(districts.map((_, i) => login(`unit${i}`)));
    const june = await call(admin, 'POST', `/api/plans/${data.planId}/periods`, { start: '2018-06-01', open: true });
    const targets = await db
      .selectFrom('targets')
      .innerJoin('tasks', 'tasks.id', 'targets.task_id')
      .select(['targets.id', 'targets.task_id', 'targets.jurisdiction_org_id'])
      .where('tasks.plan_id', '=', data.planId)
      .where('targets.jurisdiction_org_id', 'is not', null)
      .orderBy('tasks.seq')
      .orderBy('targets.id')
      .execute();
    const unitOf = new Map(districts.map((d, i) => [d.id, units[i]!]));
    const picked = targets.slice(0, REPORTS);
    const phases: Record<string, { stats: Map<string, Stat>; ms: number; sqlMs: number; statements: number }> = {};
    const phase = async (name: string, fn: () => Promise<void>) => {
      bucket = new Map();
      fullSql = name === 'save' ? [] : fullSql;
      sqlMs = 0;
      statements = 0;
      const t0 = performance.now();
      await fn();
      phases[name] = { stats: bucket, ms: performance.now() - t0, sqlMs, statements };
      bucket = null;
    };
    // --cpu FILE: a CPU profile of the three phases only (not the dataset generation).
    const session = values.cpu ? new Session() : null;
    if (session) {
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
    }
    const drafts: { id: string; version: number; unit: { cookie: string; csrf: string } }[] = [];
    await phase('save', async () => {
      for (const [i, t] of picked.entries()) {
        const unit = unitOf.get(t.jurisdiction_org_id!)!;
        const r = await call(unit, 'PUT', `/api/periods/${june.id}/reports`, {
          taskId: t.task_id,
          targetId: t.id,
          value: 3 + (i % 8),
          narrative: '已完成选址并开工建设',
          problems: '用地指标紧张',
          nextSteps: '加快施工进度',
        });
        drafts.push({ id: r.id, version: r.version, unit });
      }
    });
    const submitted: { id: string; version: number }[] = [];
    await phase('submit', async () => {
      for (const d of drafts) submitted.push(await call(d.unit, 'POST', `/api/reports/${d.id}/submit`, { version: d.version }));
    });
    await phase('approve', async () => {
      for (const s of submitted) await call(admin, 'POST', `/api/reports/${s.id}/approve`, { version: s.version });
    });
    if (session) {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(values.cpu!, JSON.stringify(profile));
    }
    const n = picked.length;
    const allSql = new Set<string>();
    for (const [name, p] of Object.entries(phases)) {
      console.log(
        `\n## ${name}: ${(p.ms / n).toFixed(2)} ms/request, SQL ${(p.sqlMs / n).toFixed(2)} ms (${((100 * p.sqlMs) / p.ms).toFixed(0)}%), ${(p.statements / n).toFixed(1)} statements/request`,
      );
      const rows = [...p.stats.entries()].sort((a, b) => b[1].ms - a[1].ms);
      for (const [sqlText, s] of rows) {
        allSql.add(sqlText);
        console.log(`${(s.n / n).toFixed(2).padStart(6)}× ${((1000 * s.ms) / s.n).toFixed(0).padStart(6)} µs  ${sqlText}`);
      }
    }
    if (raw) {
      // What prepare alone costs per request: every statement the requests ran, prepared again.
      const t0 = performance.now();
      for (const text of fullSql) raw.prepare(text);
      console.log(`\nprepare alone: ${((performance.now() - t0) / n).toFixed(3)} ms per cycle over ${fullSql.length / n} statements`);
    }
    void allSql;
    await app.close();
  } finally {
    await cleanup();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
