/**
 * Moving Luoshi's data between databases and files, for `luoshi db copy`, `backup` and `restore`:
 * every table of the schema (the migrations' bookkeeping excepted: each database migrates
 * itself), read in primary-key pages and written with multi-row INSERTs in one transaction, in
 * foreign-key order; then checked table by table (row count and a digest of every row) and the
 * audit chain verified on the copy. Works in both directions between SQLite and PostgreSQL (the
 * schema uses only integer and text columns, which both store alike).
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { type Kysely, sql } from 'kysely';
import { isPostgres } from '../server/core/audit-log.ts';
import { type Db, migrateToLatest, openDatabase } from '../server/db/database.ts';
import { type AuditVerifyReport, verifyAuditChainReport } from '../server/modules/audit/audit.service.ts';

/** A table's shape as the copy needs it. */
export interface TableInfo {
  name: string;
  columns: string[];
  primaryKey: string[];
  /** Tables this one references (itself excluded). */
  parents: string[];
  /** Columns referencing this same table (a tree: parents must be written first). */
  selfRefs: string[];
}

/** What one table holds: how many rows, and a digest of all of them in key order. */
export interface TableSummary {
  name: string;
  rows: number;
  digest: string;
}

const PAGE = 1000;
/** Parameters per INSERT stay below SQLite's limit (32766) and PostgreSQL's (65535). */
const MAX_PARAMS = 30_000;

type AnyDb = Kysely<any>;
const any = (db: Db): AnyDb => db as unknown as AnyDb;

/** The schema's tables (not kysely's migration tables), each with keys and references. */
export async function describeTables(db: Db): Promise<TableInfo[]> {
  const tables = (await db.introspection.getTables()).filter((t) => !t.name.startsWith('kysely_') && !t.isView);
  const out: TableInfo[] = [];
  for (const t of tables) {
    const columns = t.columns.map((c) => c.name);
    let primaryKey: string[];
    let refs: { column: string; table: string }[];
    if (isPostgres(db)) {
      const pk = await sql<{ column_name: string }>`
        select a.attname as column_name from pg_index i
        join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
        where i.indrelid = ${t.name}::regclass and i.indisprimary order by array_position(i.indkey, a.attnum)`.execute(db);
      primaryKey = pk.rows.map((r) => r.column_name);
      const fk = await sql<{ column: string; table: string }>`
        select kcu.column_name as column, ccu.table_name as table
        from information_schema.table_constraints tc
        join information_schema.key_column_usage kcu on kcu.constraint_name = tc.constraint_name and kcu.table_schema = tc.table_schema
        join information_schema.constraint_column_usage ccu on ccu.constraint_name = tc.constraint_name and ccu.table_schema = tc.table_schema
        where tc.constraint_type = 'FOREIGN KEY' and tc.table_name = ${t.name} and tc.table_schema = current_schema()`.execute(db);
      refs = fk.rows;
    } else {
      const info = await sql<{ name: string; pk: number }>`select name, pk from pragma_table_info(${t.name})`.execute(db);
      primaryKey = info.rows
        .filter((r) => r.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((r) => r.name);
      const fk = await sql<{ from: string; table: string }>`select "from", "table" from pragma_foreign_key_list(${t.name})`.execute(db);
      refs = fk.rows.map((r) => ({ column: r.from, table: r.table }));
    }
    if (primaryKey.length === 0) primaryKey = columns;
    out.push({
      name: t.name,
      columns,
      primaryKey,
      parents: [...new Set(refs.filter((r) => r.table !== t.name).map((r) => r.table))],
      selfRefs: refs.filter((r) => r.table === t.name).map((r) => r.column),
    });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** Tables in an order where every table comes after the tables it references. */
export function loadOrder(tables: TableInfo[]): TableInfo[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const done = new Set<string>();
  const out: TableInfo[] = [];
  const visit = (t: TableInfo, path: Set<string>) => {
    if (done.has(t.name) || path.has(t.name)) return;
    path.add(t.name);
    for (const p of t.parents) {
      const parent = byName.get(p);
      if (parent) visit(parent, path);
    }
    done.add(t.name);
    out.push(t);
  };
  for (const t of tables) visit(t, new Set());
  return out;
}

/** Reads a table in primary-key order, a page at a time. */
export async function* readTable(db: Db, t: TableInfo): AsyncGenerator<Record<string, unknown>[]> {
  for (let offset = 0; ; offset += PAGE) {
    let q = any(db).selectFrom(t.name).select(t.columns);
    for (const c of t.primaryKey) q = q.orderBy(c);
    const rows = (await q.limit(PAGE).offset(offset).execute()) as Record<string, unknown>[];
    if (rows.length > 0) yield rows;
    if (rows.length < PAGE) return;
  }
}

/**
 * A self-referencing table's rows ordered so every row comes after the row it points to (an
 * organisation after its parent), so the foreign keys hold at every INSERT.
 */
export function parentsFirst(t: TableInfo, rows: Record<string, unknown>[]): Record<string, unknown>[] {
  if (t.selfRefs.length === 0 || t.primaryKey.length !== 1) return rows;
  const key = t.primaryKey[0]!;
  const ids = new Set(rows.map((r) => r[key]));
  const placed = new Set<unknown>();
  const out: Record<string, unknown>[] = [];
  let rest = rows;
  while (rest.length > 0) {
    const ready = rest.filter((r) =>
      t.selfRefs.every((c) => r[c] === null || r[c] === undefined || placed.has(r[c]) || !ids.has(r[c]) || r[c] === r[key]),
    );
    // A cycle (not produced by the app) is written as is and left to the foreign key to refuse.
    const batch = ready.length > 0 ? ready : rest;
    for (const r of batch) placed.add(r[key]);
    out.push(...batch);
    const taken = new Set(batch);
    rest = rest.filter((r) => !taken.has(r));
  }
  return out;
}

/** Writes rows with multi-row INSERTs (as many rows per statement as the parameter limit allows). */
export async function insertRows(db: Db | AnyDb, table: string, columns: string[], rows: Record<string, unknown>[]): Promise<void> {
  const per = Math.max(1, Math.floor(MAX_PARAMS / Math.max(1, columns.length)));
  for (let i = 0; i < rows.length; i += per) {
    await (db as AnyDb)
      .insertInto(table)
      .values(rows.slice(i, i + per))
      .execute();
  }
}

/** Normalises a value so both engines digest a row alike (integers may come back as strings). */
function norm(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return v.toISOString();
  if (Buffer.isBuffer(v)) return v.toString('base64');
  return v;
}

/** Digest of one row, by column name (engine-independent). */
export function rowDigestInput(columns: string[], row: Record<string, unknown>): string {
  return JSON.stringify(columns.map((c) => norm(row[c]) ?? null));
}

const MOD = 1n << 128n;

/**
 * Row count and digest of every table, for comparing a copy with its source. The digest is the
 * sum (mod 2^128) of every row's sha256: independent of row order, which differs between engines
 * (text collation), and computed a page at a time.
 */
export async function summarise(db: Db, tables: TableInfo[]): Promise<TableSummary[]> {
  const out: TableSummary[] = [];
  for (const t of tables) {
    let sum = 0n;
    let rows = 0;
    const cols = [...t.columns].sort();
    for await (const page of readTable(db, t)) {
      for (const r of page)
        sum = (sum + BigInt(`0x${createHash('sha256').update(rowDigestInput(cols, r)).digest('hex').slice(0, 32)}`)) % MOD;
      rows += page.length;
    }
    out.push({ name: t.name, rows, digest: sum.toString(16).padStart(32, '0') });
  }
  return out;
}

/**
 * Rows the migrations themselves write into a fresh database (the installation chain's empty
 * audit head, the default installation settings, the office's starting lists), per table: counted
 * on a freshly migrated in-memory database, so a migration that seeds a new list needs no change here.
 */
async function migrationSeedCounts(tables: TableInfo[]): Promise<Map<string, number>> {
  const fresh = openDatabase(':memory:');
  try {
    await migrateToLatest(fresh.db);
    const out = new Map<string, number>();
    for (const t of tables) {
      const row = await any(fresh.db)
        .selectFrom(t.name)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirst()
        .catch(() => undefined);
      out.set(t.name, Number(row?.n ?? 0));
    }
    return out;
  } finally {
    await fresh.close();
  }
}

/** Tables holding rows in a database about to receive a copy (the migrations' own seed ignored). */
export async function nonEmptyTables(db: Db, tables: TableInfo[]): Promise<{ name: string; rows: number }[]> {
  const seeded = await migrationSeedCounts(tables);
  const out: { name: string; rows: number }[] = [];
  for (const t of tables) {
    // The migration seeds the installation chain's empty head: that is an empty log.
    const q = any(db)
      .selectFrom(t.name)
      .select((eb) => eb.fn.countAll().as('n'));
    const n = Number((await (t.name === 'audit_head' ? q.where('last_seq', '>', 0) : q).executeTakeFirstOrThrow()).n);
    if (n > (t.name === 'audit_head' ? 0 : (seeded.get(t.name) ?? 0))) out.push({ name: t.name, rows: n });
  }
  return out;
}

/**
 * Copies every row of `from` into `to` (already migrated, checked empty) in one transaction:
 * tables in foreign-key order, primary-key pages, multi-row INSERTs. Returns rows per table.
 */
export async function copyRows(from: Db, to: Db, tables: TableInfo[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const ordered = loadOrder(tables);
  await to.transaction().execute(async (trx) => {
    const t2 = trx as unknown as AnyDb;
    // Rows the target's migrations seeded (the empty audit head) give way to the source's.
    for (const t of [...ordered].reverse()) await t2.deleteFrom(t.name).execute();
    for (const t of ordered) {
      let n = 0;
      if (t.selfRefs.length > 0) {
        const all: Record<string, unknown>[] = [];
        for await (const page of readTable(from, t)) all.push(...page);
        await insertRows(t2, t.name, t.columns, parentsFirst(t, all));
        n = all.length;
      } else {
        for await (const page of readTable(from, t)) {
          await insertRows(t2, t.name, t.columns, page);
          n += page.length;
        }
      }
      counts.set(t.name, n);
    }
  });
  return counts;
}

/** Rows referring to a stored file (a `storage_path` column) whose file is missing under `uploadDir`. */
export async function missingFiles(db: Db, tables: TableInfo[], uploadDir: string): Promise<{ table: string; path: string }[]> {
  const out: { table: string; path: string }[] = [];
  for (const t of tables.filter((x) => x.columns.includes('storage_path'))) {
    for await (const page of readTable(db, t)) {
      for (const r of page) {
        const p = String(r.storage_path);
        if (!existsSync(path.join(path.resolve(uploadDir), p))) out.push({ table: t.name, path: p });
      }
    }
  }
  return out;
}

/** What the check after a copy or restore found. */
export interface TransferCheck {
  ok: boolean;
  /** Chinese first, then English: one line per problem. */
  problems: string[];
  tables: TableSummary[];
  audit: AuditVerifyReport;
}

/**
 * Compares the copy with what it was copied from (row counts and digests per table) and verifies
 * its audit chain (every chain, with the keyring of this process).
 */
export async function checkCopy(to: Db, tables: TableInfo[], expected: TableSummary[]): Promise<TransferCheck> {
  const got = await summarise(to, tables);
  const problems: string[] = [];
  const byName = new Map(got.map((s) => [s.name, s]));
  for (const e of expected) {
    const g = byName.get(e.name);
    if (g === undefined) problems.push(`表 ${e.name} 在目标数据库中不存在 (table ${e.name} is missing in the target)`);
    else if (g.rows !== e.rows) problems.push(`表 ${e.name} 行数不符：源 ${e.rows}，目标 ${g.rows} (row count differs)`);
    else if (g.digest !== e.digest) problems.push(`表 ${e.name} 的内容与源不一致 (table ${e.name} content differs from the source)`);
  }
  const audit = await verifyAuditChainReport(to);
  if (!audit.ok) {
    for (const b of audit.breaks.slice(0, 5)) problems.push(`审计链：${b.message}`);
  }
  return { ok: problems.length === 0, problems, tables: got, audit };
}

/** The first line of a portable dump. */
export const DUMP_FORMAT = 'luoshi-dump/1';

interface DumpHeader {
  format: typeof DUMP_FORMAT;
  at: string;
  /** The migrations applied to the dumped database: a restore target must have the same. */
  migrations: string[];
  tables: { name: string; columns: string[] }[];
}

/** The names of the migrations applied to a database, in order. */
export async function appliedMigrations(db: Db): Promise<string[]> {
  const rows = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
  return rows.rows.map((r) => r.name);
}

/**
 * Writes a portable dump of every table (gzip'd JSON lines: a header, pages of rows in load
 * order, a trailer with every table's row count and digest). Refuses to overwrite `file`.
 * Engine-independent: restorable into SQLite or PostgreSQL. Returns the trailer's summaries.
 */
export async function writeDump(db: Db, file: string): Promise<TableSummary[]> {
  const { createWriteStream } = await import('node:fs');
  const { createGzip } = await import('node:zlib');
  const { Readable } = await import('node:stream');
  const { pipeline } = await import('node:stream/promises');
  const tables = loadOrder(await describeTables(db));
  const header: DumpHeader = {
    format: DUMP_FORMAT,
    at: new Date().toISOString(),
    migrations: await appliedMigrations(db),
    tables: tables.map((t) => ({ name: t.name, columns: t.columns })),
  };
  // Read in one transaction, so the dump is one consistent moment of a running server's data.
  return db.transaction().execute(async (trx) => {
    const tdb = trx as unknown as Db;
    let trailer: TableSummary[] = [];
    async function* lines(): AsyncGenerator<string> {
      yield `${JSON.stringify(header)}\n`;
      for (const t of tables) {
        if (t.selfRefs.length > 0) {
          const all: Record<string, unknown>[] = [];
          for await (const page of readTable(tdb, t)) all.push(...page);
          for (let i = 0; i < all.length; i += PAGE)
            yield `${JSON.stringify({
              t: t.name,
              rows: parentsFirst(t, all)
                .slice(i, i + PAGE)
                .map((r) => t.columns.map((c) => norm(r[c]) ?? null)),
            })}\n`;
        } else {
          for await (const page of readTable(tdb, t))
            yield `${JSON.stringify({ t: t.name, rows: page.map((r) => t.columns.map((c) => norm(r[c]) ?? null)) })}\n`;
        }
      }
      trailer = await summarise(tdb, tables);
      yield `${JSON.stringify({ summary: trailer })}\n`;
    }
    await pipeline(Readable.from(lines()), createGzip(), createWriteStream(file, { flags: 'wx', mode: 0o600 }));
    return trailer;
  });
}

/** Whether a file is a portable dump (gzip) rather than a SQLite database file. */
export async function fileKind(file: string): Promise<'dump' | 'sqlite' | 'unknown'> {
  const { open } = await import('node:fs/promises');
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(16);
    await fh.read(buf, 0, 16, 0);
    if (buf[0] === 0x1f && buf[1] === 0x8b) return 'dump';
    if (buf.toString('latin1', 0, 15) === 'SQLite format 3') return 'sqlite';
    return 'unknown';
  } finally {
    await fh.close();
  }
}

/**
 * Loads a portable dump into `to` (migrated, checked empty by the caller) in one transaction.
 * Returns the dump's own summaries, to check the result against. Throws (Chinese first) when the
 * dump is not one, or was made by another schema version.
 */
export async function loadDump(to: Db, file: string): Promise<TableSummary[]> {
  const { createReadStream } = await import('node:fs');
  const { createGunzip } = await import('node:zlib');
  const readline = await import('node:readline');
  let header: DumpHeader | undefined;
  let summary: TableSummary[] | undefined;
  const targetTables = new Map((await describeTables(to)).map((t) => [t.name, t]));
  const targetMigrations = await appliedMigrations(to);
  await to.transaction().execute(async (trx) => {
    const t2 = trx as unknown as AnyDb;
    // Created right before it is read: readline drops lines emitted before iteration starts.
    const rl = readline.createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Number.POSITIVE_INFINITY });
    for await (const line of rl) {
      if (line === '') continue;
      const obj = JSON.parse(line) as Record<string, unknown>;
      if (header === undefined) {
        if (obj.format !== DUMP_FORMAT) throw new Error(`不是 Luoshi 备份文件（缺少 ${DUMP_FORMAT} 头）(not a Luoshi dump)`);
        header = obj as unknown as DumpHeader;
        if (header.migrations.join('\n') !== targetMigrations.join('\n')) {
          throw new Error(
            `备份来自另一个数据库版本（迁移 ${header.migrations.at(-1) ?? '无'}，本程序 ${targetMigrations.at(-1) ?? '无'}），请用同一版本的 Luoshi 恢复 (the dump was made by another schema version)`,
          );
        }
        for (const t of header.tables) {
          const mine = targetTables.get(t.name);
          if (mine === undefined || [...mine.columns].sort().join() !== [...t.columns].sort().join()) {
            throw new Error(`备份中的表 ${t.name} 与本程序的结构不符 (table ${t.name} does not match this schema)`);
          }
        }
        for (const t of [...loadOrder([...targetTables.values()])].reverse()) await t2.deleteFrom(t.name).execute();
        continue;
      }
      if ('summary' in obj) {
        summary = obj.summary as TableSummary[];
        continue;
      }
      const name = String(obj.t);
      const columns = header.tables.find((t) => t.name === name)?.columns;
      if (columns === undefined) throw new Error(`备份文件损坏：未知的表 ${name} (corrupt dump: unknown table)`);
      const rows = (obj.rows as unknown[][]).map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i]])));
      await insertRows(t2, name, columns, rows);
    }
    if (header === undefined) throw new Error('备份文件为空 (the dump is empty)');
    if (summary === undefined) throw new Error('备份文件不完整：缺少结尾的校验信息（文件被截断？）(the dump is truncated: no trailer)');
  });
  return summary!;
}

/** Opens a SQLite file read-only (a backup is never changed by reading it, not even its journal mode). */
export async function openSqliteReadonly(file: string): Promise<{ db: Db; close: () => Promise<void> }> {
  const { default: SQLite } = await import('better-sqlite3');
  const { Kysely: K, SqliteDialect } = await import('kysely');
  const db = new K<import('../server/db/database.types.ts').Database>({
    dialect: new SqliteDialect({ database: new SQLite(file, { readonly: true, fileMustExist: true }) }),
  });
  return { db, close: () => db.destroy() };
}

/** Whether a database URL names PostgreSQL (anything else is a SQLite file path). */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

/** A URL for messages: the password of a PostgreSQL URL hidden. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

/** One line saying what a check found (Chinese first). */
export function describeCheck(c: TransferCheck): string {
  const rows = c.tables.reduce((n, t) => n + t.rows, 0);
  return `${c.tables.length} 张表、${rows} 行与源一致；审计链完好：${c.audit.checked} 个事件 (${c.tables.length} tables, ${rows} rows match; audit chain intact, ${c.audit.checked} events)`;
}
