/**
 * Steps shared by `luoshi db copy`, `backup` and `restore`: opening and migrating a target,
 * refusing a non-empty one, and printing the check after a transfer (Chinese first).
 */
import { migrateToLatest, type DbHandle, openDatabase } from '../../server/db/database.ts';
import { type TransferCheck, describeCheck, describeTables, nonEmptyTables, redactUrl } from '../db-transfer.ts';
import type { CliIo } from '../cli-command.types.ts';
import { describeSystemError } from '../fs-error.ts';

/** A failure the operator can act on: printed as is (no stack), exit 1. */
export class TransferError extends Error {
  override readonly name = 'TransferError';
}

/** Opens and migrates a database, naming it in the error when it cannot be reached. */
export async function openMigrated(url: string, role: '源' | '目标'): Promise<DbHandle> {
  const handle = openDatabase(url);
  try {
    await migrateToLatest(handle.db);
    return handle;
  } catch (err) {
    await handle.close().catch(() => {});
    throw new TransferError(
      describeSystemError(
        `无法打开${role}数据库 ${redactUrl(url)}`,
        `cannot open the ${role === '源' ? 'source' : 'target'} database`,
        err,
      ),
    );
  }
}

/** Refuses a target that already holds data: a copy never merges into or overwrites an install. */
export async function assertEmptyTarget(handle: DbHandle, url: string): Promise<void> {
  const full = await nonEmptyTables(handle.db, await describeTables(handle.db));
  if (full.length > 0) {
    const list = full
      .slice(0, 5)
      .map((t) => `${t.name}（${t.rows} 行）`)
      .join('、');
    throw new TransferError(
      `目标数据库 ${redactUrl(url)} 不是空的：${list}。为免覆盖数据，已停止；请用一个新建的空数据库 (the target database is not empty)`,
    );
  }
}

/** Prints the check; returns the exit code. */
export function reportCheck(io: CliIo, what: string, check: TransferCheck, json: boolean): number {
  if (json) {
    io.stdout.write(
      `${JSON.stringify({ ok: check.ok, problems: check.problems, tables: check.tables, audit: { ok: check.audit.ok, checked: check.audit.checked, breaks: check.audit.breaks } }, null, 2)}\n`,
    );
    return check.ok ? 0 : 1;
  }
  if (check.ok) {
    io.stdout.write(`${what}完成，已核验：${describeCheck(check)}\n`);
    return 0;
  }
  io.stderr.write(`${what}后核验失败 (check after ${what} failed):\n`);
  for (const p of check.problems) io.stderr.write(`  ${p}\n`);
  return 1;
}

/** Runs a command body, turning a TransferError into its message and exit 1. */
export async function runTransfer(io: CliIo, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (err) {
    if (err instanceof TransferError) {
      io.stderr.write(`${err.message}\n`);
      return 1;
    }
    throw err;
  }
}
