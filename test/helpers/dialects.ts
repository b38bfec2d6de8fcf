/**
 * Run an integration suite on both databases.
 *
 * ```ts
 * describeEachDialect('organisations', (ctx) => {
 *   const t = useTestApp(ctx);                 // from ./test-app.ts: app per suite, closed after
 *   it('lists', async () => { ... (await t().login('admin')).get('/api/organisations') ... });
 * });
 * ```
 *
 * SQLite runs on a temp file; PostgreSQL on a fresh database created for the suite (through the
 * `test` database at 127.0.0.1:5432, user postgres, or TEST_PG_URL) and dropped after it. When
 * PostgreSQL is unreachable the postgres run is skipped with a notice, except under CI=true,
 * where it fails. `ctx.url()` is valid inside hooks and tests, not at collection time.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Dialect } from '../../src/server/db/database.ts';

export interface DialectContext {
  dialect: Dialect;
  /** The database URL of this run (a file path for SQLite). */
  url(): string;
}

export const PG_ADMIN_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const isCi = process.env.CI === 'true' || process.env.CI === '1';

async function probePostgres(): Promise<string | null> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  } finally {
    await client.end().catch(() => {});
  }
}

const pgProblem = await probePostgres();
let noticePrinted = false;

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/**
 * pg-pool's end() resolves before the backends have exited; a FORCE drop at that moment kills
 * them and the closing client throws an uncaught "terminating connection" error. Wait for the
 * sessions to go, then drop; FORCE only as the fallback for a test that leaked a pool.
 */
async function dropDatabase(dbName: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    for (let i = 0; i < 50; i++) {
      const { rows } = await client.query('select count(*)::int as n from pg_stat_activity where datname = $1', [dbName]);
      if (rows[0].n === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await client.query(`drop database if exists ${dbName} with (force)`);
  } finally {
    await client.end();
  }
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

/** Registers `fn` twice: `name [sqlite]` and `name [postgres]`. */
export function describeEachDialect(name: string, fn: (ctx: DialectContext) => void): void {
  describe(`${name} [sqlite]`, () => {
    let dir = '';
    let url = '';
    beforeAll(() => {
      dir = mkdtempSync(path.join(os.tmpdir(), 'luoshi-test-'));
      url = path.join(dir, 'test.db');
    });
    afterAll(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });
    fn({ dialect: 'sqlite', url: () => url });
  });

  if (pgProblem) {
    if (isCi) {
      describe(`${name} [postgres]`, () => {
        it('needs PostgreSQL (CI=true)', () => {
          throw new Error(`PostgreSQL not reachable at ${redact(PG_ADMIN_URL)}: ${pgProblem}`);
        });
      });
    } else {
      if (!noticePrinted) {
        console.warn(`PostgreSQL not reachable at ${redact(PG_ADMIN_URL)} (${pgProblem}): skipping the postgres run`);
        noticePrinted = true;
      }
      describe.skip(`${name} [postgres]`, () => fn({ dialect: 'postgres', url: () => '' }));
    }
    return;
  }

  describe(`${name} [postgres]`, () => {
    const dbName = `luoshi_t_${process.pid}_${randomBytes(4).toString('hex')}`;
    let url = '';
    beforeAll(async () => {
      await adminQuery(`create database ${dbName}`);
      const u = new URL(PG_ADMIN_URL);
      u.pathname = `/${dbName}`;
      url = u.toString();
    });
    afterAll(async () => {
      await dropDatabase(dbName);
    });
    fn({ dialect: 'postgres', url: () => url });
  });
}
