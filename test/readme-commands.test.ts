/**
 * The newcomer's journey, copy-pasted from README.md (issue 11): every shell command the README
 * shows — the lines of its ```sh blocks and the commands quoted inline in the prose — is either
 * run here exactly as written, in a throwaway copy of the repository, or skipped with a reason.
 * A command the README gains that this file neither runs nor skips fails the first case, so the
 * README cannot drift into advice nobody has tried.
 *
 * The copy holds the files a clean clone of this commit would (`git ls-files`, plus new files not ignored) with node_modules
 * linked; the real checkout is never touched. The environment gets only PORT (a free port) and
 * LUOSHI_JOBS=0 (no hourly jobs racing the checks) on top of a newcomer's shell.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');
const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** A command as the README shows it, with its trailing `# comment` removed. */
interface ReadmeCommand {
  text: string;
  from: 'sh block' | 'prose';
}

/** Lines of ```sh blocks and inline `…` spans in the prose that start like a shell command. */
function readmeCommands(markdown: string): ReadmeCommand[] {
  const found: ReadmeCommand[] = [];
  const fence = /^```sh\n([\s\S]*?)^```/gm;
  for (const block of markdown.matchAll(fence)) {
    for (const line of block[1].split('\n')) {
      const text = line.replace(/\s+#.*$/, '').trim();
      if (text !== '' && !text.startsWith('#')) found.push({ text, from: 'sh block' });
    }
  }
  const prose = markdown.replace(/^```[\s\S]*?^```/gm, '');
  // Optional VAR=value assignments, then a program a newcomer would type.
  const shellish = /^(?:[A-Z_]+=\S+ )*(?:npm|npx|node|rm|luoshi|createdb|apt-get|tsx|git|curl) /;
  for (const span of prose.matchAll(/`([^`\n]+)`/g)) {
    const text = span[1].trim();
    if (shellish.test(text)) found.push({ text, from: 'prose' });
  }
  return found;
}

/** The demo accounts table: user, password, role. */
function demoAccounts(markdown: string): { user: string; password: string; role: string }[] {
  const section = markdown.split('## Demo accounts')[1]?.split('\n## ')[0] ?? '';
  return [...section.matchAll(/^\| `([^`]+)` \| `([^`]+)` \| (\w+)/gm)].map((m) => ({ user: m[1], password: m[2], role: m[3] }));
}

type Plan =
  | { kind: 'start'; run: string; resetsData: boolean; today?: string }
  | { kind: 'cli'; run: string; expect: 'ok' | 'clear-failure'; names?: string }
  | { kind: 'eval' }
  | { kind: 'skip'; reason: string };

/** Placeholders a newcomer does not have: the command must fail, clearly, naming the thing missing. */
const missingThings = ['plan.docx', 'plan.txt', '/offsite/', 'postgres://user@host'];

/** Decides, for one README command, how it is held true (or why it is not run here). */
function plan(command: string): Plan | undefined {
  if (command === 'npm test') return { kind: 'skip', reason: 'CI runs npm test itself; running it here would recurse' };
  if (command === 'npm run dev' || command === 'npx vite') return { kind: 'skip', reason: 'a long-running dev server with reload' };
  if (/^npm run test:/.test(command)) return { kind: 'skip', reason: 'the test runs themselves; CI runs them' };
  if (/^npm run bench:/.test(command)) return { kind: 'skip', reason: 'benchmarks take minutes; docs/benchmarks.md records them' };
  if (command.startsWith('apt-get ')) return { kind: 'skip', reason: 'a system package (root); CI installs Chromium itself' };
  if (command.startsWith('createdb ')) return { kind: 'skip', reason: 'needs a PostgreSQL superuser on the operator’s server' };
  if (/^luoshi (backup|restore) .*\b(FILE|URL)\b/.test(command))
    return { kind: 'skip', reason: 'syntax with FILE/URL placeholders, not a command' };
  if (command.includes('test/fixtures/eval-plan.mjs')) return { kind: 'eval' };

  // `npm install && npm start`: node_modules is linked into the copy (CI runs npm ci itself), the rest runs as written.
  const start = command.replace(/^npm install && /, '');
  const startMatch = /^(rm -rf data && )?((?:[A-Z_]+=\S+ )*)npm start$/.exec(start);
  if (startMatch) {
    const today = /LUOSHI_TODAY=(\S+)/.exec(startMatch[2])?.[1];
    return { kind: 'start', run: start, resetsData: startMatch[1] !== undefined, today };
  }
  // Prose names a command the short way (`luoshi periods tick`); the README's own spelling of it is `npm run luoshi -- …`.
  const cli = command.startsWith('luoshi ') ? `npm run luoshi -- ${command.slice('luoshi '.length)}` : command;
  if (cli.startsWith('npm run luoshi -- ')) {
    const names = missingThings.find((thing) => command.includes(thing));
    return { kind: 'cli', run: cli, expect: names ? 'clear-failure' : 'ok', names };
  }
  return undefined;
}

const commands = readmeCommands(README);
const plans = commands.map((c) => ({ ...c, plan: plan(c.text) }));

/** A newcomer's environment: none of this test process's settings leak into the copy. */
function newcomerEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(VITEST|TEST_|LUOSHI_|AUDIT_KEY|DATABASE_URL$|UPLOAD_DIR$|WEB_DIR$|PORT$|NODE_ENV$|NODE_OPTIONS$|CI$)/.test(key)) continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs one line in bash, as pasted into a terminal in the copy. */
function runLine(line: string, cwd: string, timeoutMs = 90_000): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', line], { cwd, env: newcomerEnv(), detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => {
      stdout += b;
    });
    child.stderr.on('data', (b: Buffer) => {
      stderr += b;
    });
    const timer = setTimeout(() => killGroup(child), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

/** Starts `npm start` (or a variant) and waits for /api/health; stops the whole process group after `use`. */
async function withServer(line: string, cwd: string, use: (base: string) => Promise<void>): Promise<string> {
  const port = await freePort();
  const child = spawn('bash', ['-c', line], { cwd, env: newcomerEnv({ PORT: String(port), LUOSHI_JOBS: '0' }), detached: true });
  let log = '';
  child.stdout?.on('data', (b: Buffer) => {
    log += b;
  });
  child.stderr?.on('data', (b: Buffer) => {
    log += b;
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const base = `http://127.0.0.1:${port}`;
  try {
    // npm start builds the web app first (vite build), on a shared machine: be generous.
    const deadline = Date.now() + 240_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`'${line}' exited ${child.exitCode} before listening:\n${log.slice(-3000)}`);
      if (Date.now() > deadline) throw new Error(`'${line}' did not answer /api/health in 240 s:\n${log.slice(-3000)}`);
      const ok = await fetch(`${base}/api/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    await use(base);
  } finally {
    killGroup(child);
    const stopped = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 15_000))]);
    if (!stopped) killGroup(child, 'SIGKILL');
  }
  expect(child.signalCode ?? child.exitCode, 'the server stops on SIGTERM to its process group').not.toBeNull();
  return log;
}

/** What a newcomer checks in the browser: the app at /, the demo's name, and the README's accounts. */
async function checkDemo(base: string, today: string | undefined): Promise<void> {
  const index = await fetch(`${base}/`);
  expect(index.status).toBe(200);
  expect(index.headers.get('content-type')).toContain('text/html');
  expect(await index.text()).toMatch(/<div id="root">/);

  const settings = (await (await fetch(`${base}/api/settings/public`)).json()) as { name: string };
  expect(settings.name, 'the README: the demo names the installation 鹤壁市百城建设提质工程台账').toBe('鹤壁市百城建设提质工程台账');

  const accounts = demoAccounts(README);
  expect(accounts.map((a) => a.user)).toEqual(['admin', 'zhujian', 'qixian', 'leader', 'sheng', 'xuchang', 'yanling']);
  for (const account of accounts) {
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: account.user, password: account.password }),
    });
    expect(login.status, `README account ${account.user} / ${account.password} signs in`).toBe(200);
    const session = (await login.json()) as { user: { role: string } };
    expect(session.user.role).toBe(account.role);
    if (account.user === 'admin') {
      const cookie = login.headers.get('set-cookie')?.split(';')[0] ?? '';
      const own = (await (await fetch(`${base}/api/settings`, { headers: { cookie } })).json()) as { today: string };
      // The README: the demo runs on its own date, 2018-12-20, unless LUOSHI_TODAY replays another day.
      expect(own.today).toBe(today ?? '2018-12-20');
    }
  }
}

/** A clear failure: non-zero, one Chinese line naming the problem, no stack trace, no raw Node error. */
function expectClearFailure(ran: Ran, names: string): void {
  const stderr = ran.stderr
    .split('\n')
    .filter((l) => !/^npm (error|ERR!)/.test(l))
    .join('\n');
  expect(ran.code, ran.stderr).not.toBe(0);
  expect(stderr, 'the message is in Chinese').toMatch(/[\u4e00-\u9fff]/);
  expect(stderr, 'the message names what is missing').toContain(names.replace(/\/$/, ''));
  expect(stderr, 'no stack frames').not.toMatch(/^\s+at /m);
  expect(stderr, 'no raw Error: of node internals').not.toMatch(/\b\w*Error:/);
  expect(stderr, 'no raw errno text').not.toMatch(/ENOENT|ENOTFOUND|ECONNREFUSED/);
}

let copy: string;

beforeAll(() => {
  copy = mkdtempSync(path.join(tmpdir(), 'luoshi-readme-'));
  const tracked = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' })
    .split('\0')
    .filter(Boolean);
  for (const file of tracked) {
    const from = path.join(ROOT, file);
    if (!existsSync(from)) continue; // deleted in the worktree, not yet committed
    mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
    cpSync(from, path.join(copy, file));
  }
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(copy, 'node_modules'));
});

afterAll(() => {
  if (copy) rmSync(copy, { recursive: true, force: true });
});

describe('README commands, copy-pasted on a clean copy', () => {
  it('every command the README shows is run here or skipped with a reason', () => {
    expect(commands.length).toBeGreaterThan(10);
    const unknown = plans.filter((p) => p.plan === undefined).map((p) => `${p.from}: ${p.text}`);
    expect(unknown, 'README commands this test neither runs nor skips: add them to plan()').toEqual([]);
    // The journey's spine is in the README at all.
    expect(plans.some((p) => p.plan?.kind === 'start' && !p.plan.resetsData)).toBe(true);
    expect(plans.some((p) => p.plan?.kind === 'start' && p.plan.resetsData)).toBe(true);
  });

  it('npm start, then every luoshi command, then the rm -rf data variants', { timeout: 900_000 }, async () => {
    const starts = plans.flatMap((p) => (p.plan?.kind === 'start' ? [p.plan] : []));
    const first = starts.find((s) => !s.resetsData);
    if (!first) throw new Error('the README shows no plain npm start');

    // 1. The first start on a clean copy: builds the web app, creates data/, loads the demo.
    expect(existsSync(path.join(copy, 'data'))).toBe(false);
    await withServer(first.run, copy, (base) => checkDemo(base, first.today));
    expect(existsSync(path.join(copy, 'dist/web/index.html'))).toBe(true);

    // 2. Each `npm run luoshi -- …` line, in README order, against the demo database just made.
    const offsiteBefore = existsSync('/offsite');
    for (const p of plans) {
      if (p.plan?.kind !== 'cli') continue;
      const ran = await runLine(p.plan.run, copy);
      if (p.plan.expect === 'ok') expect(ran.code, `${p.text}\n${ran.stderr}`).toBe(0);
      else expectClearFailure(ran, p.plan.names ?? '');
      expect(ran.stderr, `${p.text}: no stack trace`).not.toMatch(/^\s+at .*:\d+:\d+\)?$/m);
    }
    expect(existsSync('/offsite'), 'no command wrote outside the copy').toBe(offsiteBefore);
    // A backup is one file: no FILE-wal / FILE-shm left beside what a command wrote.
    const strays = readdirSync(copy).filter((f) => /-(wal|shm)$/.test(f));
    expect(strays, 'files a command left behind in the working directory').toEqual([]);
    expect(readdirSync(copy)).toContain('luoshi-before-move.bak');

    // 3. The parser's score, exactly as the README gives it.
    for (const p of plans) {
      if (p.plan?.kind !== 'eval') continue;
      const ran = await runLine(p.text, copy);
      expect(ran.code, ran.stderr).toBe(0);
      const score = /`(sections=[^`]+)`/.exec(README)?.[1];
      expect(score).toBeDefined();
      expect(ran.stdout).toContain(`plan-extract: ${score}`);
    }

    // 4. The reset variants: data/ goes, the tracked samples and the audit key stay, the demo comes back.
    const keyFile = path.join(copy, 'keys/audit.key');
    expect(existsSync(keyFile)).toBe(true);
    const key = readFileSync(keyFile, 'utf8');
    const samples = readdirSync(path.join(copy, 'samples'), { recursive: true }).length;
    for (const start of starts.filter((s) => s.resetsData)) {
      await withServer(start.run, copy, (base) => checkDemo(base, start.today));
      expect(readdirSync(path.join(copy, 'samples'), { recursive: true }).length).toBe(samples);
      expect(readFileSync(keyFile, 'utf8'), 'rm -rf data keeps the audit key').toBe(key);
    }
  });
});
