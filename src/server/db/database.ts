import { promises as fs, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import SQLite from 'better-sqlite3';
import { FileMigrationProvider, Kysely, Migrator, PostgresDialect, SqliteDialect, type Transaction } from 'kysely';
import pg from 'pg';
import type { Database } from './database.types.ts';

export type Db = Kysely<Database>;
/** Repositories take `db | trx` first, so services decide transaction boundaries. */
export type DbOrTrx = Kysely<Database> | Transaction<Database>;
export type Dialect = 'sqlite' | 'postgres';

export interface DbHandle {
  db: Db;
  dialect: Dialect;
  close: () => Promise<void>;
}

/**
 * Opens the database named by `url`: `postgres://…` for PostgreSQL, anything else is a SQLite
 * file path (`:memory:` allowed). SQLite runs in WAL mode with foreign keys on and a busy timeout,
 * so a second process (the CLI) can read while the server writes.
 */
export function openDatabase(url: string): DbHandle {
  if (/^postgres(ql)?:\/\//.test(url)) {
    // Return int8/numeric as numbers: counts and sums here stay far below 2^53.
    pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));
    pg.types.setTypeParser(1700, (v) => Number.parseFloat(v));
    // jit=off: a dashboard aggregate over a province's 10,000 targets is costed high enough for
    // PostgreSQL's JIT, whose compilation (~14 ms) took longer than the query itself (~10 ms).
    // Luoshi's queries are short OLTP reads; none runs long enough to repay compiling.
    const pool = new pg.Pool({ connectionString: url, max: 10, options: '-c jit=off' });
    // An idle client losing its connection (PostgreSQL restart) must not crash the process:
    // the pool drops the client and the next query reconnects.
    pool.on('error', (err) => console.error('luoshi: idle PostgreSQL client error:', err.message));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', close: () => db.destroy() };
  }
  if (url !== ':memory:') {
    mkdirSync(path.dirname(path.resolve(url)), { recursive: true });
  }
  const sqlite = new SQLite(url);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}

const migrationFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/**
 * Runs every pending migration; throws with the failing migration's name. An error before any
 * migration ran (the database cannot be reached) is rethrown as is, so its code (ENOTFOUND,
 * ECONNREFUSED …) still tells the caller what happened.
 */
export async function migrateToLatest(db: Db): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: new FileMigrationProvider({ fs, path, migrationFolder }),
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) {
    if (!failed) throw error;
    throw new Error(`migration ${failed.migrationName} failed: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
}
