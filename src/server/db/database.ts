import { promises as fs, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import SQLite from 'better-sqlite3';
import { FileMigrationProvider, Kysely, Migrator, PostgresDialect, SqliteDialect, type SqliteDatabase, type Transaction } from 'kysely';
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
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}

/** Statements kept prepared per SQLite handle; the least recently used goes first. */
const STATEMENT_CACHE_SIZE = 500;
/** Longer SQL (a multi-row INSERT of hundreds of rows) is prepared each time: it runs once per many rows. */
const STATEMENT_CACHE_MAX_SQL = 4000;

/**
 * better-sqlite3 behind Kysely, with each statement prepared once per SQL text. Kysely's driver
 * prepares on every execution, and a report save's ~15 statements spent more time being parsed
 * and planned by SQLite (~50 µs each) than running (docs/benchmarks.md, "Set-based write paths").
 * Kysely compiles the same builder to the same text with `?` parameters, so the texts repeat.
 * A statement still iterating (a stream) is busy: the next use of its text prepares a fresh one.
 * SQLite re-prepares a kept statement by itself after a schema change.
 */
export function withStatementCache(sqlite: SQLite.Database): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => {
      cache.clear();
      sqlite.close();
    },
    prepare(text: string) {
      if (text.length > STATEMENT_CACHE_MAX_SQL) return sqlite.prepare(text);
      const kept = cache.get(text);
      if (kept !== undefined && !kept.busy) {
        // Re-inserted: the Map's order is the order of last use.
        cache.delete(text);
        cache.set(text, kept);
        return kept;
      }
      const stmt = sqlite.prepare(text);
      cache.delete(text);
      cache.set(text, stmt);
      if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      return stmt;
    },
  };
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
