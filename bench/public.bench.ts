/**
 * The public portal under anonymous load (`npm run bench:public`, after `npm run build:web`).
 *
 * Starts the real server (child process) on a fresh SQLite file with the Hebi demo at 2018-06-20,
 * closes 2018年6月 and publishes it as the demo office, then autocannon (50 connections) measures
 * a public district page (/public/p/:id/districts/:淇县, server-rendered HTML from the published
 * payload, with every hook, the ETag hash and the rate-limit bookkeeping) beside a static file
 * served by the same server (the limit: what Fastify itself costs). The public rate limit is
 * raised for the run, since one client is the whole load here.
 *
 * Options: --duration S (default 10), --connections N (default 50).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { DEMO_ACCOUNTS } from '../src/server/demo/demo-seed.ts';
import { fileURLToPath } from 'node:url';
import { freePort } from './city-dataset.ts';

const { values } = parseArgs({ options: { duration: { type: 'string', default: '10' }, connections: { type: 'string', default: '50' } } });
const DURATION = Math.max(1, Number(values.duration) || 10);
const CONNECTIONS = Math.max(1, Number(values.connections) || 50);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WEB = path.join(ROOT, 'dist/web');

async function start(dir: string): Promise<{ proc: ChildProcess; base: string }> {
  const port = await freePort();
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/server/server.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: path.join(dir, 'bench.db'),
      UPLOAD_DIR: path.join(dir, 'uploads'),
      AUDIT_KEY: randomBytes(32).toString('hex'),
      PORT: String(port),
      HOST: '127.0.0.1',
      LUOSHI_DEMO: '1',
      LUOSHI_TODAY: '2018-06-20',
      LUOSHI_JOBS: '0',
      LOG_LEVEL: 'warn',
      WEB_DIR: WEB,
      PUBLIC_RATE_LIMIT_PER_MINUTE: '100000000',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 900; i++) {
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

async function publishJune(base: string): Promise<{ publicationId: string; districtId: string }> {
  const admin = DEMO_ACCOUNTS.find((a) => a.role === 'admin')!;
  const login = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: admin.username, password: admin.password }),
  });
  if (!login.ok) throw new Error(`login: ${login.status}`);
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const headers = { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' };
  const get = async <T>(p: string) => (await (await fetch(`${base}${p}`, { headers })).json()) as T;
  const plan = (await get<{ items: { id: string }[] }>('/api/plans')).items[0]!;
  const june = (await get<{ items: { id: string; label: string; version: number }[] }>(`/api/plans/${plan.id}/periods`)).items.find(
    (p) => p.label === '2018年6月',
  )!;
  const closed = await fetch(`${base}/api/periods/${june.id}/close`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ version: june.version }),
  });
  if (!closed.ok) throw new Error(`close: ${closed.status} ${await closed.text()}`);
  const pub = await fetch(`${base}/api/publications`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ kind: 'period', sourceId: june.id }),
  });
  if (pub.status !== 201) throw new Error(`publish: ${pub.status} ${await pub.text()}`);
  const { id } = (await pub.json()) as { id: string };
  const detail = (await (await fetch(`${base}/api/public/publications/${id}`)).json()) as { districts: { id: string; name: string }[] };
  return { publicationId: id, districtId: detail.districts.find((d) => d.name.startsWith('淇县'))!.id };
}

async function measure(url: string) {
  const run = (duration: number) => autocannon({ url, connections: CONNECTIONS, duration });
  await run(2);
  const r = await run(DURATION);
  if (r.non2xx > 0 || r.errors > 0) throw new Error(`${url}: ${r.non2xx} non-2xx, ${r.errors} errors`);
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99 };
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'luoshi-public-bench-'));
const { proc, base } = await start(dir);
try {
  const { publicationId, districtId } = await publishJune(base);
  const page = `${base}/public/p/${publicationId}/districts/${districtId}`;
  const pageBytes = (await (await fetch(page)).arrayBuffer()).byteLength;
  // Two static files: a small one (what Fastify costs per request) and the built file closest in
  // size to the page (what sending that many bytes costs).
  const assets = readdirSync(path.join(WEB, 'assets')).map((f) => ({ f, size: statSync(path.join(WEB, 'assets', f)).size }));
  if (assets.length === 0) throw new Error('no built asset: run `npm run build:web` first');
  const small = assets.reduce((a, b) => (b.size < a.size ? b : a));
  const alike = assets.reduce((a, b) => (Math.abs(b.size - pageBytes) < Math.abs(a.size - pageBytes) ? b : a));
  const district = await measure(page);
  const staticSmall = await measure(`${base}/assets/${small.f}`);
  const staticAlike = await measure(`${base}/assets/${alike.f}`);
  console.log(
    `${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), ${CONNECTIONS} connections, ${DURATION} s each, load average ${os.loadavg()[0]?.toFixed(1)}`,
  );
  console.log('| response | body | req/s | p50 ms | p99 ms |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  console.log(
    `| public district page (淇县, HTML) | ${(pageBytes / 1024).toFixed(1)} KB | ${district.rps.toFixed(0)} | ${district.p50} | ${district.p99} |`,
  );
  console.log(
    `| static file, small (the limit) | ${(small.size / 1024).toFixed(1)} KB | ${staticSmall.rps.toFixed(0)} | ${staticSmall.p50} | ${staticSmall.p99} |`,
  );
  console.log(
    `| static file, about the page's size | ${(alike.size / 1024).toFixed(1)} KB | ${staticAlike.rps.toFixed(0)} | ${staticAlike.p50} | ${staticAlike.p99} |`,
  );
} finally {
  proc.kill('SIGTERM');
  await new Promise((r) => proc.once('exit', r));
  rmSync(dir, { recursive: true, force: true });
}
