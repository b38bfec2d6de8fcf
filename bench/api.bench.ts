/**
 * API latency and throughput (`npm run bench:api`).
 *
 * Generates a city-scale ledger (30 plans × 30 tasks; every task with a lead department, the
 * district group as responsible, two deadlines and a city total split into 7 district shares) into
 * a fresh SQLite database, and into PostgreSQL when reachable. Then the real server runs as a child
 * process and autocannon measures two reads over HTTP (session cookie, all hooks and zod
 * serialisation included): a filtered task list page (limit=50, filtered by a district through its
 * group) and one task's detail. Each is set beside the same service call made in-process through
 * Kysely: latency with one connection against the sequential in-process call (what HTTP, the
 * session lookup and zod serialisation add to one request), and throughput with N connections
 * against in-process calls per second.
 *
 * Options: --duration S (autocannon seconds per scenario, default 10), --connections N (default 10).
 * autocannon shares the machine's cores with the server: the figures are a floor.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { type Db, type DbHandle, migrateToLatest, openDatabase } from '../src/server/db/database.ts';
import { writeTx } from '../src/server/modules/audit/audit.service.ts';
import { createOrganisation } from '../src/server/modules/organisations/organisations.service.ts';
import type { PlanGraph } from '../src/server/modules/plan-imports/plan-graph.mapping.ts';
import { createPlanFromGraph } from '../src/server/modules/plans/plans.service.ts';
import { newSortableId } from '../src/server/modules/plans/sortable-id.ts';
import { getTask, listTasks } from '../src/server/modules/plans/tasks.service.ts';
import { createUser } from '../src/server/modules/users/users.service.ts';
import { TaskListQuery } from '../src/shared/schemas/plan.schema.ts';

const { values } = parseArgs({
  options: { duration: { type: 'string', default: '10' }, connections: { type: 'string', default: '10' } },
});
const DURATION = Math.max(1, Number(values.duration) || 10);
const CONNECTIONS = Math.max(1, Number(values.connections) || 10);
const PLANS = 30;
const TASKS_PER_PLAN = 30;
const DISTRICTS = ['淇滨区', '山城区', '鹤山区', '浚县', '淇县', '开发区', '示范区'];
const PASSWORD = 'bench-password-1';
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PG_ADMIN_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

interface Dataset {
  planId: string;
  taskId: string;
  districtId: string;
  rows: { plans: number; tasks: number; targets: number; assignments: number };
}

async function generate(db: Db): Promise<Dataset> {
  const org = (name: string, kind: 'jurisdiction' | 'department' | 'office' | 'group', memberIds: string[] = []) =>
    createOrganisation(db, null, { name, kind, aliases: [], adminCode: null, parentId: null, memberIds });
  const office = await org('市百城办', 'office');
  const districts = [];
  for (const d of DISTRICTS) districts.push(await org(`${d}政府`, 'jurisdiction'));
  const departments = [];
  for (let i = 0; i < 20; i++) departments.push(await org(`市直部门${i + 1}`, 'department'));
  const group = await org('各县区政府', 'group', districts.map((d) => d.id));
  await createUser(db, null, { username: 'bench', displayName: '压测', orgId: office.id, role: 'admin', password: PASSWORD });

  const now = new Date().toISOString();
  let firstPlan = '';
  let firstTask = '';
  const rows = { plans: 0, tasks: 0, targets: 0, assignments: 0 };
  for (let p = 0; p < PLANS; p++) {
    const planId = newSortableId();
    const graph: PlanGraph = {
      plan: { id: planId, title: `城市建设实施方案 ${p + 1}`, issuer: '市人民政府办公室', year: 2018, status: 'active', source_text: '', version: 1, created_at: now, updated_at: now },
      sections: [],
      tasks: [],
      assignments: [],
      deadlines: [],
      targets: [],
    };
    const sectionIds = Array.from({ length: 5 }, (_, s) => {
      const id = newSortableId();
      graph.sections.push({ id, plan_id: planId, parent_id: null, path: JSON.stringify([`${s + 1}`]), title: `第${s + 1}部分`, ordinal: s + 1, span_start: 0, span_end: 0 });
      return id;
    });
    for (let t = 0; t < TASKS_PER_PLAN; t++) {
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
        { id: newSortableId(), task_id: taskId, org_id: departments[(p + t + 7) % departments.length].id, role: 'cooperating', mention: null },
      );
      graph.deadlines.push(
        { id: newSortableId(), task_id: taskId, date: '2018-06-30', text: '6月底前', span_start: null, span_end: null },
        { id: newSortableId(), task_id: taskId, date: '2018-12-31', text: '年底前', span_start: null, span_end: null },
      );
      const totalId = newSortableId();
      const base = { task_id: taskId, metric: '新建公厕', unit: '座', comparator: '>=', max_value: null, baseline: null, deadline: '2018-12-31', text: '', span_start: null, span_end: null, status: 'not_started', version: 1, created_at: now, updated_at: now };
      graph.targets.push({ ...base, id: totalId, value: 70, jurisdiction_org_id: null, jurisdiction_label: null, parent_target_id: null });
      for (const [i, d] of districts.entries()) {
        graph.targets.push({ ...base, id: newSortableId(), value: 10, jurisdiction_org_id: d.id, jurisdiction_label: DISTRICTS[i], parent_target_id: totalId });
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

async function startServer(databaseUrl: string): Promise<{ proc: ChildProcess; base: string }> {
  const port = await freePort();
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/server/server.ts'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), LUOSHI_DEMO: '0', LOG_LEVEL: 'warn', WEB_DIR: '/nonexistent' },
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

interface Figures {
  /** Mean latency: autocannon's percentiles are whole milliseconds, too coarse for a 1 ms request. */
  mean: number;
  p50: number;
  p99: number;
  rps: number;
}

/**
 * Latency with one connection (one request at a time, comparable with the sequential in-process
 * call) and throughput with CONNECTIONS connections (the server saturated).
 */
async function measureHttp(url: string, cookie: string): Promise<{ single: Figures; loaded: Figures }> {
  const run = async (connections: number, duration: number): Promise<Figures> => {
    const r = await autocannon({ url, connections, duration, headers: { cookie } });
    if (r.non2xx > 0 || r.errors > 0) throw new Error(`${url}: ${r.non2xx} non-2xx, ${r.errors} errors`);
    return { mean: r.latency.mean, p50: r.latency.p50, p99: r.latency.p99, rps: r.requests.average };
  };
  // Warm-up: JIT, statement caches and pools, so the measured runs are steady state.
  await run(CONNECTIONS, 2);
  return { single: await run(1, DURATION), loaded: await run(CONNECTIONS, DURATION) };
}

/** The same call made in-process, sequentially: latency percentiles and calls per second. */
async function measureDirect(fn: () => Promise<unknown>): Promise<Figures> {
  const warmUntil = performance.now() + 1000;
  while (performance.now() < warmUntil) await fn();
  const samples: number[] = [];
  const start = performance.now();
  const until = start + Math.min(DURATION, 5) * 1000;
  while (performance.now() < until) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  const elapsed = (performance.now() - start) / 1000;
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))];
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  return { mean, p50: at(0.5), p99: at(0.99), rps: samples.length / elapsed };
}

async function benchDialect(label: string, url: string, handle: DbHandle): Promise<string[]> {
  await migrateToLatest(handle.db);
  const t0 = performance.now();
  const data = await generate(handle.db);
  const genSeconds = (performance.now() - t0) / 1000;
  console.error(`[${label}] generated ${JSON.stringify(data.rows)} in ${genSeconds.toFixed(1)} s`);

  const query = TaskListQuery.parse({ orgId: data.districtId, limit: 50 });
  const listed = await listTasks(handle.db, data.planId, query);
  const directList = await measureDirect(() => listTasks(handle.db, data.planId, query));
  const directTask = await measureDirect(() => getTask(handle.db, data.taskId));

  const { proc, base } = await startServer(url);
  try {
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'bench', password: PASSWORD }),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    const listUrl = `${base}/api/plans/${data.planId}/tasks?orgId=${data.districtId}&limit=50`;
    const bytes = (await (await fetch(listUrl, { headers: { cookie } })).text()).length;
    const httpList = await measureHttp(listUrl, cookie);
    const httpTask = await measureHttp(`${base}/api/tasks/${data.taskId}`, cookie);
    const row = (name: string, http: { single: Figures; loaded: Figures }, direct: Figures) =>
      `| ${label} | ${name} | ${http.single.mean.toFixed(2)} | ${http.single.p99.toFixed(0)} | ` +
      `${direct.mean.toFixed(2)} | ${direct.p99.toFixed(2)} | ${(http.single.mean / Math.max(direct.mean, 0.001)).toFixed(1)}× | ` +
      `${http.loaded.p50.toFixed(0)} | ${http.loaded.p99.toFixed(0)} | ${Math.round(http.loaded.rps)} | ${Math.round(direct.rps)} | ` +
      `${(direct.rps / Math.max(http.loaded.rps, 0.001)).toFixed(1)}× |`;
    return [
      row(`task list (${listed.items.length} tasks, ${Math.round(bytes / 1024)} KB)`, httpList, directList),
      row('task detail', httpTask, directTask),
    ];
  } finally {
    // autocannon stops with requests in flight; let them finish before asking the server to stop.
    await new Promise((r) => setTimeout(r, 1000));
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGTERM');
    await exited;
  }
}

async function pgReachable(): Promise<boolean> {
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

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const lines: string[] = [];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'luoshi-bench-'));
  try {
    const file = path.join(dir, 'bench.db');
    const handle = openDatabase(file);
    try {
      lines.push(...(await benchDialect('SQLite', file, handle)));
    } finally {
      await handle.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  if (await pgReachable()) {
    const name = `luoshi_bench_${randomBytes(4).toString('hex')}`;
    await adminQuery(`create database ${name}`);
    const u = new URL(PG_ADMIN_URL);
    u.pathname = `/${name}`;
    const handle = openDatabase(u.toString());
    try {
      lines.push(...(await benchDialect('PostgreSQL', u.toString(), handle)));
    } finally {
      await handle.close();
      await adminQuery(`drop database if exists ${name} with (force)`);
    }
  } else {
    console.error(`PostgreSQL not reachable at ${PG_ADMIN_URL}: SQLite only`);
  }

  console.log(`${PLANS} plans × ${TASKS_PER_PLAN} tasks × ${DISTRICTS.length} district targets; autocannon ${CONNECTIONS} connections × ${DURATION} s; ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'cpu'}), Node ${process.version}`);
  console.log('');
  console.log(
    `| database | request | HTTP mean ms (1 conn) | HTTP p99 ms (1 conn) | in-process mean ms | in-process p99 ms | latency overhead | ` +
      `HTTP p50 ms (${CONNECTIONS} conns) | HTTP p99 ms (${CONNECTIONS} conns) | HTTP req/s | in-process calls/s | throughput ratio |`,
  );
  console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const l of lines) console.log(l);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
