/**
 * `luoshi restore --from FILE --to URL`: restore a `luoshi backup` into a new, empty database
 * (either engine), then check it: every table's rows against the backup, and the audit chain.
 */
import { copyFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../server/config.ts';
import { migrateToLatest, openDatabase } from '../../server/db/database.ts';
import { checkCopy, copyRows, describeTables, fileKind, isPostgresUrl, loadDump, openSqliteReadonly, summarise } from '../db-transfer.ts';
import { type CliCommand, CliUsageError } from '../cli-command.types.ts';
import { assertEmptyTarget, openMigrated, reportCheck, runTransfer, TransferError } from './db-transfer.shared.ts';

const USAGE = `Usage: luoshi restore --from FILE [--to URL] [--json]

Restore the backup FILE (written by \`luoshi backup\`: a SQLite backup or a portable dump) into
--to (default: DATABASE_URL, or ./data/luoshi.db): a SQLite file that does not exist yet, or an
empty PostgreSQL database. Then check every table's rows against the backup and verify the audit
chain with this host's audit key. Restore the upload directory and the audit key separately.

Options:
  --from FILE     the backup file
  --to URL        the new database
  --json          print the check as JSON
  -h, --help      show this help
`;

export const restoreCommand: CliCommand = {
  usage: USAGE,
  async run(args, io) {
    let values: { from?: string; to?: string; json?: boolean };
    try {
      ({ values } = parseArgs({
        args,
        options: { from: { type: 'string' }, to: { type: 'string' }, json: { type: 'boolean' } },
        allowPositionals: false,
      }));
    } catch (err) {
      throw new CliUsageError(err instanceof Error ? err.message : String(err));
    }
    if (values.from === undefined) throw new CliUsageError('缺少 --from：备份文件 (missing --from: the backup file)');
    const from = path.resolve(io.cwd, values.from);
    const to = values.to ?? loadConfig().databaseUrl;
    const json = values.json === true;
    return runTransfer(io, async () => {
      if (!existsSync(from)) throw new TransferError(`备份文件不存在：${values.from} (the backup file does not exist)`);
      const kind = await fileKind(from);
      if (kind === 'unknown')
        throw new TransferError(`${values.from} 不是 Luoshi 备份（既不是 SQLite 数据库，也不是 dump）(not a Luoshi backup)`);
      if (!isPostgresUrl(to) && existsSync(path.resolve(io.cwd, to))) {
        throw new TransferError(`目标数据库文件已存在，不覆盖：${to}（请指定一个新文件）(the target file exists; not overwriting)`);
      }

      if (kind === 'sqlite' && !isPostgresUrl(to)) {
        // SQLite into SQLite: the backup is the database; copy it, then migrate and check.
        const source = await openSqliteReadonly(from);
        try {
          const tables = await describeTables(source.db);
          const expected = await summarise(source.db, tables);
          copyFileSync(from, path.resolve(io.cwd, to));
          const target = openDatabase(path.resolve(io.cwd, to));
          try {
            await migrateToLatest(target.db);
            return reportCheck(io, '恢复', await checkCopy(target.db, tables, expected), json);
          } finally {
            await target.close();
          }
        } finally {
          await source.close();
        }
      }

      const target = await openMigrated(to, '目标');
      try {
        await assertEmptyTarget(target, to);
        if (kind === 'sqlite') {
          const source = await openSqliteReadonly(from);
          try {
            const tables = await describeTables(source.db);
            await copyRows(source.db, target.db, tables);
            return reportCheck(io, '恢复', await checkCopy(target.db, tables, await summarise(source.db, tables)), json);
          } finally {
            await source.close();
          }
        }
        let expected: Awaited<ReturnType<typeof loadDump>>;
        try {
          expected = await loadDump(target.db, from);
        } catch (err) {
          throw new TransferError(err instanceof Error ? err.message : String(err));
        }
        return reportCheck(io, '恢复', await checkCopy(target.db, await describeTables(target.db), expected), json);
      } finally {
        await target.close();
      }
    });
  },
};
