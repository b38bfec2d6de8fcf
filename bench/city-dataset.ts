/**
 * What the API benchmarks share: the synthetic city-scale ledger generator, the real server as a
 * child process, and PostgreSQL scratch databases. `api.bench.ts` and `ledger.bench.ts` use it.
 *
 * The dataset: one office, seven district governments in the group 各县区政府, twenty departments,
 * an admin account `bench`; `plans` plans of `tasksPerPlan` tasks, each task with a lead
 * department, the district group as responsible (so the ledger expands it into seven rows), a
 * cooperating department, two deadlines and a city total split into seven district shares,
 * inserted through the same service as a confirmed plan import (audited).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import pg from 'pg';
import { type Db, type DbHandle, openDatabase } from '../src/server/db/database.ts';
import { writeTx } from '../src/server/core/transaction.ts';
import { createOrganisation } from '../src/server/modules/organisations/organisations.service.ts';
import type { PlanGraph } from '../src/server/modules/plan-imports/plan-graph.mapping.ts';
import { createPlanFromGraph } from '../src/server/modules/plans/plans.service.ts';
import { newSortableId } from '../src/server/core/ids.ts';
import { createUser } from '../src/server/modules/users/users.service.ts';

export const DISTRICTS = ['淇滨区', '山城区', '鹤山区', '浚县', '淇县', '开发区', '示范区'];
export const BENCH_USER = 'bench';
export const PASSWORD = 'bench-password-1';
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const PG_ADMIN_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface Dataset {
  planId: string;
  taskId: string;
  districtId: string;
  rows: { plans: number; tasks: number; targets: number; assignments: number };
}

/** Generates the dataset into a migrated, empty database. */
export async function generateCityDataset(db: Db, opts: { plans: number; tasksPerPlan: number }): Promise<Dataset> {
  const org = (name: string, kind: 'jurisdiction' | 'department' | 'office' | 'group', memberIds: string[] = []) =>
    createOrganisation(db, null, { name, kind, aliases: [], adminCode: null, parentId: null, memberIds });
  const office = await org('市百城办', 'office');
  const districts = [];
  for (const d of DISTRICTS) districts.push(await org(`${d}政府`, 'jurisdiction'));
  const departments = [];
  for (let i = 0; i < 20; i++) departments.push(await org(`市直部门${i + 1}`, 'department'));
  const group = await org(
    '各县区政府',
    'group',
    districts.map((d) => d.id),
  );
  await createUser(db, null, { username: BENCH_USER, displayName: '压测', orgId: office.id, role: 'admin', password: PASSWORD });

  const now = new Date().toISOString();
  let firstPlan = '';
  let firstTask = '';
  const rows = { plans: 0, tasks: 0, targets: 0, assignments: 0 };
  for (let p = 0; p < opts.plans; p++) {
    const planId = newSortableId();
    const graph: PlanGraph = {
      plan: {
        id: planId,
        title: `城市建设实施方案 ${p + 1}`,
        issuer: '市人民政府办公室',
        year: 2018,
        status: 'active',
        source_text: '',
        version: 1,
        created_at: now,
        updated_at: now,
      },
      sections: [],
      tasks: [],
      assignments: [],
      deadlines: [],
      targets: [],
    };
    const sectionIds = Array.from({ length: 5 }, (_, s) => {
      const id = newSortableId();
      graph.sections.push({
        id,
        plan_id: planId,
        parent_id: null,
        path: JSON.stringify([`${s + 1}`]),
        title: `第${s + 1}部分`,
        ordinal: s + 1,
        span_start: 0,
        span_end: 0,
      });
      return id;
    });
    for (let t = 0; t < opts.tasksPerPlan; t++) {
      const taskId = newSortableId();
      graph.tasks.push({
        id: taskId,
        plan_id: planId,
        section_id: sectionIds[t % sectionIds.length],
        seq: t + 1,
        text: `第${t + 1}项任务:新建改造城市道路、公园、公厕和停车设施,完善配套,提升城市品质。`,
        span_start: null,
        span_end: null,
        assignment_text: '(牵头单位:市直部门,责任单位:各县区政府)',
        status: 'not_started',
        version: 1,
        created_at: now,
        updated_at: now,
      });
      graph.assignments.push(
        { id: newSortableId(), task_id: taskId, org_id: departments[(p + t) % departments.length].id, role: 'lead', mention: null },
        { id: newSortableId(), task_id: taskId, org_id: group.id, role: 'responsible', mention: '各县区政府' },
        {
          id: newSortableId(),
          task_id: taskId,
          org_id: departments[(p + t + 7) % departments.length].id,
          role: 'cooperating',
          mention: null,
        },
      );
      graph.deadlines.push(
        { id: newSortableId(), task_id: taskId, date: '2018-06-30', text: '6月底前', span_start: null, span_end: null },
        { id: newSortableId(), task_id: taskId, date: '2018-12-31', text: '年底前', span_start: null, span_end: null },
      );
      const totalId = newSortableId();
      const base = {
        task_id: taskId,
        metric: '新建公厕',
        unit: '座',
        comparator: '>=' as const,
        max_value: null,
        baseline: null,
        deadline: '2018-12-31',
        text: '',
        span_start: null,
        span_end: null,
        status: 'not_started' as const,
        version: 1,
        created_at: now,
        updated_at: now,
      };
      graph.targets.push({ ...base, id: totalId, value: 70, jurisdiction_org_id: null, jurisdiction_label: null, parent_target_id: null });
      for (const [i, d] of districts.entries()) {
        graph.targets.push({
          ...base,
          id: newSortableId(),
          value: 10,
          jurisdiction_org_id: d.id,
          jurisdiction_label: DISTRICTS[i],
          parent_target_id: totalId,
        });
      }
      if (!firstTask) firstTask = taskId;
    }
    await writeTx(db, (trx) => createPlanFromGraph(trx, graph, null));
    if (!firstPlan) firstPlan = planId;
    rows.plans += 1;
    rows.tasks += graph.tasks.length;
    rows.targets += graph.targets.length;
    rows.assignments += graph.assignments.length;
  }
  return { planId: firstPlan, taskId: firstTask, districtId: districts[4].id, rows };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Starts src/server/server.ts on a free port against `databaseUrl`; resolves once /api/health
 * answers. Scheduled jobs off: a benchmark measures requests, not a reminder pass beside them.
 */
export async function startServer(databaseUrl: string): Promise<{ proc: ChildProcess; base: string }> {
  const port = await freePort();
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/server/server.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      LUOSHI_DEMO: '0',
      LUOSHI_JOBS: '0',
      LOG_LEVEL: 'warn',
      WEB_DIR: '/nonexistent',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    if (proc.exitCode !== null) throw new Error('server exited during start-up');
    try {
      if ((await fetch(`${base}/api/health`)).ok) return { proc, base };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not start');
}

export async function pgReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

export async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

export type BenchDatabase = 'SQLite' | 'PostgreSQL';

/**
 * Runs `bench` on a fresh SQLite file and then, when reachable, on a fresh PostgreSQL database,
 * each removed afterwards, and returns the results in that order. Every benchmark compares the
 * two dialects the same way, so this is the one place that creates and drops them.
 */
export async function onEachBenchDatabase<T>(bench: (label: BenchDatabase, url: string, handle: DbHandle) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'luoshi-bench-'));
  try {
    const file = path.join(dir, 'bench.db');
    const handle = openDatabase(file);
    try {
      results.push(await bench('SQLite', file, handle));
    } finally {
      await handle.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (!(await pgReachable())) {
    console.error(`PostgreSQL not reachable at ${PG_ADMIN_URL}: SQLite only`);
    return results;
  }
  const name = `luoshi_bench_${randomBytes(4).toString('hex')}`;
  await adminQuery(`create database ${name}`);
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  const handle = openDatabase(url.toString());
  try {
    results.push(await bench('PostgreSQL', url.toString(), handle));
  } finally {
    await handle.close();
    await adminQuery(`drop database if exists ${name} with (force)`);
  }
  return results;
}
