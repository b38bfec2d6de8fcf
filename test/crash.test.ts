/**
 * Crash safety of the real server process: a burst of writes, SIGKILL midway, restart on the same
 * database. Every write that was acknowledged (2xx) must be there afterwards, with its audit
 * event, and the audit hash chain must verify. Runs on SQLite and on PostgreSQL when reachable.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { describeEachDialect } from './helpers/dialects.ts';
import { HEBI_TEXT } from './helpers/plan-import.helper.ts';

const ADMIN_PASSWORD = 'crash-test-password';

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

interface Server {
  proc: ChildProcess;
  base: string;
  output: () => string;
}

async function startServer(databaseUrl: string, uploadDir: string): Promise<Server> {
  const port = await freePort();
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/server/server.ts'], {
    cwd: process.cwd(),
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      LUOSHI_DEMO: '0',
      LUOSHI_ADMIN_PASSWORD: ADMIN_PASSWORD,
      LOG_LEVEL: 'warn',
      UPLOAD_DIR: uploadDir,
      WEB_DIR: '/nonexistent/luoshi-web',
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
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited (${proc.exitCode}): ${out}`);
    try {
      const res = await fetch(`${base}/api/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server did not start: ${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { proc, base, output: () => out };
}

async function stop(server: Server, signal: NodeJS.Signals): Promise<void> {
  if (server.proc.exitCode !== null || server.proc.signalCode !== null) return;
  const exited = new Promise((r) => server.proc.once('exit', r));
  server.proc.kill(signal);
  await exited;
}

interface Session {
  cookie: string;
  csrf: string;
}

async function login(base: string): Promise<Session> {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
  });
  if (!res.ok) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
  return { cookie, csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
}

function api(base: string, s: Session, method: string, url: string, body?: unknown): Promise<Response> {
  return fetch(`${base}${url}`, {
    method,
    headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
}

describeEachDialect('crash safety of the server process', (ctx) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'luoshi-crash-'));
  let server: Server | undefined;
  afterAll(async () => {
    if (server) await stop(server, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every acknowledged write, and an intact audit chain, across a SIGKILL', { timeout: 180_000 }, async () => {
    server = await startServer(ctx.url(), dir);
    let session = await login(server.base);
    const created = await api(server.base, session, 'POST', '/api/plan-imports', { text: HEBI_TEXT });
    expect(created.status).toBe(201);
    const draft = (await created.json()) as { id: string; unresolved: { name: string }[] };
    const mapped = await api(server.base, session, 'POST', `/api/plan-imports/${draft.id}/mappings`, {
      mappings: draft.unresolved.map((u) => ({ name: u.name, create: { name: u.name, kind: 'department' } })),
    });
    expect(mapped.status).toBe(200);
    const confirmed = await api(server.base, session, 'POST', `/api/plan-imports/${draft.id}/confirm`);
    expect(confirmed.status).toBe(200);
    const { planId } = (await confirmed.json()) as { planId: string };
    const list = await api(server.base, session, 'GET', `/api/plans/${planId}/tasks?limit=500`);
    const taskIds = ((await list.json()) as { items: { id: string }[] }).items.map((t) => t.id);

    // The burst: 8 writers creating targets until the server dies under them.
    const acked: { id: string; taskId: string; metric: string }[] = [];
    const run = randomBytes(3).toString('hex');
    let n = 0;
    let killed = false;
    const target = server;
    const writer = async () => {
      while (!killed) {
        const i = n++;
        const taskId = taskIds[i % taskIds.length];
        const metric = `crash-${run}-${i}`;
        try {
          const res = await api(target.base, session, 'POST', `/api/tasks/${taskId}/targets`, { metric, unit: '个', value: i });
          if (res.status === 201) acked.push({ id: ((await res.json()) as { id: string }).id, taskId, metric });
          else if (!killed) throw new Error(`unexpected ${res.status}: ${await res.text()}`);
        } catch (err) {
          if (!killed) throw err;
        }
        if (acked.length >= 150 && !killed) {
          killed = true;
          target.proc.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, writer));
    await stop(server, 'SIGKILL');
    expect(acked.length).toBeGreaterThanOrEqual(150);

    server = await startServer(ctx.url(), dir);
    session = await login(server.base);
    const present = new Map<string, string>();
    for (const taskId of new Set(acked.map((a) => a.taskId))) {
      const res = await api(server.base, session, 'GET', `/api/tasks/${taskId}`);
      for (const t of ((await res.json()) as { targets: { id: string; metric: string }[] }).targets) present.set(t.id, t.metric);
    }
    const missing = acked.filter((a) => present.get(a.id) !== a.metric);
    expect(missing).toEqual([]);
    // Nothing half-written: every target of this run that exists was fully created, audit included.
    for (const taskId of [...new Set(acked.map((a) => a.taskId))].slice(0, 3)) {
      const history = await api(server.base, session, 'GET', `/api/tasks/${taskId}/history`);
      const events = ((await history.json()) as { items: { action: string; entityId: string }[] }).items;
      const audited = new Set(events.filter((e) => e.action === 'target.create').map((e) => e.entityId));
      for (const a of acked.filter((x) => x.taskId === taskId)) expect(audited.has(a.id)).toBe(true);
    }
    const verify = await api(server.base, session, 'GET', '/api/audit/verify');
    expect(await verify.json()).toMatchObject({ ok: true });
    await stop(server, 'SIGTERM');
    server = undefined;
  });
});
