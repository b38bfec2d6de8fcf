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
import os from 'node:os';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { type DbHandle, migrateToLatest } from '../src/server/db/database.ts';
import { getTask, listTasks } from '../src/server/modules/plans/tasks.service.ts';
import { todayInShanghai } from '../src/shared/china-date.ts';
import { TaskListQuery } from '../src/shared/schemas/plan.schema.ts';
import { BENCH_USER, DISTRICTS, generateCityDataset, PASSWORD, onEachBenchDatabase, startServer } from './city-dataset.ts';

const { values } = parseArgs({
  options: { duration: { type: 'string', default: '10' }, connections: { type: 'string', default: '10' } },
});
const DURATION = Math.max(1, Number(values.duration) || 10);
const CONNECTIONS = Math.max(1, Number(values.connections) || 10);
const PLANS = 30;
const TASKS_PER_PLAN = 30;

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
  const data = await generateCityDataset(handle.db, { plans: PLANS, tasksPerPlan: TASKS_PER_PLAN });
  const genSeconds = (performance.now() - t0) / 1000;
  console.error(`[${label}] generated ${JSON.stringify(data.rows)} in ${genSeconds.toFixed(1)} s`);

  const query = TaskListQuery.parse({ orgId: data.districtId, limit: 50 });
  const asOf = todayInShanghai();
  const listed = await listTasks(handle.db, data.planId, query, asOf);
  const directList = await measureDirect(() => listTasks(handle.db, data.planId, query, asOf));
  const directTask = await measureDirect(() => getTask(handle.db, data.taskId, asOf));

  const { proc, base } = await startServer(url);
  try {
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: BENCH_USER, password: PASSWORD }),
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

async function main(): Promise<void> {
  const lines = (await onEachBenchDatabase((label, url, handle) => benchDialect(label, url, handle))).flat();

  console.log(
    `${PLANS} plans × ${TASKS_PER_PLAN} tasks × ${DISTRICTS.length} district targets; autocannon ${CONNECTIONS} connections × ${DURATION} s; ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'cpu'}), Node ${process.version}`,
  );
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
