/**
 * `luoshi db copy --to postgres://…`: move an install (typically a city's SQLite file) to another
 * database (PostgreSQL) with every row, file reference and the audit chain, then check the copy.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../server/config.ts';
import { appliedMigrations, checkCopy, copyRows, describeTables, missingFiles, redactUrl, summarise } from '../db-transfer.ts';
import { type CliCommand, CliUsageError } from '../cli-command.types.ts';
import { assertEmptyTarget, openMigrated, reportCheck, runTransfer, TransferError } from './db-transfer.shared.ts';

const USAGE = `Usage: luoshi db copy [--from URL] --to URL [--uploads DIR] [--json]

Copy every table of the install at --from (default: DATABASE_URL, or ./data/luoshi.db) into the
empty database --to (e.g. postgres://user@host/luoshi), in one transaction, then check the copy:
row counts and a digest of every row per table, the audit chain (with this host's audit key),
and that every stored file the rows refer to exists in the upload directory. The source is not
changed (apart from pending migrations, as a server start would run). Stop the server first, or
writes made during the copy are not in it. Afterwards point DATABASE_URL at the new database;
keep UPLOAD_DIR and the audit key (AUDIT_KEY / AUDIT_KEY_FILE) as they are.

Options:
  --from URL      the install to copy (a SQLite file path or postgres:// URL)
  --to URL        the empty target database (created, e.g. \`createdb luoshi\`)
  --uploads DIR   the upload directory to check file references in (default: UPLOAD_DIR)
  --json          print the check as JSON
  -h, --help      show this help
`;

export const dbCopyCommand: CliCommand = {
  usage: USAGE,
  async run(args, io) {
    let values: { from?: string; to?: string; uploads?: string; json?: boolean };
    try {
      ({ values } = parseArgs({
        args,
        options: { from: { type: 'string' }, to: { type: 'string' }, uploads: { type: 'string' }, json: { type: 'boolean' } },
        allowPositionals: false,
      }));
    } catch (err) {
      throw new CliUsageError(err instanceof Error ? err.message : String(err));
    }
    if (values.to === undefined) throw new CliUsageError('缺少 --to：要复制到的数据库 (missing --to: the target database)');
    const config = loadConfig();
    const from = values.from ?? config.databaseUrl;
    const to = values.to;
    if (path.resolve(io.cwd, from) === path.resolve(io.cwd, to) || from === to)
      throw new CliUsageError('源和目标是同一个数据库 (--from and --to are the same database)');
    if (!/^postgres(ql)?:\/\//.test(from) && !existsSync(path.resolve(io.cwd, from))) {
      return runTransfer(io, async () => {
        throw new TransferError(`源数据库文件不存在：${from} (the source database file does not exist)`);
      });
    }
    return runTransfer(io, async () => {
      const source = await openMigrated(from, '源');
      try {
        const target = await openMigrated(to, '目标');
        try {
          if ((await appliedMigrations(source.db)).join() !== (await appliedMigrations(target.db)).join()) {
            throw new TransferError('源和目标的数据库版本不同，请用同一版本的 Luoshi (source and target schema versions differ)');
          }
          await assertEmptyTarget(target, to);
          const tables = await describeTables(source.db);
          io.stderr.write(`正在复制 ${tables.length} 张表到 ${redactUrl(to)} … (copying)\n`);
          await copyRows(source.db, target.db, tables);
          const check = await checkCopy(target.db, tables, await summarise(source.db, tables));
          const uploads = path.resolve(io.cwd, values.uploads ?? config.uploadDir);
          const missing = await missingFiles(target.db, tables, uploads);
          if (missing.length > 0) {
            check.ok = false;
            check.problems.push(
              `${missing.length} 个文件引用在 ${uploads} 中找不到，如 ${missing[0]!.table}: ${missing[0]!.path}（请指定正确的 --uploads）(stored files missing)`,
            );
          }
          return reportCheck(io, '复制', check, values.json === true);
        } finally {
          await target.close();
        }
      } finally {
        await source.close();
      }
    });
  },
};
