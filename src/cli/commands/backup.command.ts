/**
 * `luoshi backup --out FILE`: a backup of the install that `luoshi restore` reads. SQLite: the
 * online backup API (a consistent copy of the file while the server runs). PostgreSQL: a portable
 * dump of Luoshi's own tables (no pg_dump needed; restorable into either engine).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../server/config.ts';
import { describeTables, isPostgresUrl, openSqliteReadonly, summarise, writeDump } from '../db-transfer.ts';
import { verifyAuditChainReport } from '../../server/modules/audit/audit.service.ts';
import { type CliCommand, CliUsageError } from '../cli-command.types.ts';
import { openMigrated, runTransfer, TransferError } from './db-transfer.shared.ts';

const USAGE = `Usage: luoshi backup [--db URL] --out FILE [--format sqlite|dump]

Write a backup of the database (default: DATABASE_URL, or ./data/luoshi.db) to FILE, which must
not exist. A SQLite install is copied with SQLite's online backup (the server may keep running);
PostgreSQL (or --format dump) is written as a portable, gzip'd dump of Luoshi's tables, taken
in one transaction. The backup's audit chain is verified and its rows counted afterwards.
Back up the upload directory (UPLOAD_DIR) and the audit key file separately: neither is in here.

Options:
  --db URL        database to back up
  --out FILE      the backup file to write
  --format F      sqlite (default for SQLite) or dump (the only one for PostgreSQL)
  -h, --help      show this help
`;

export const backupCommand: CliCommand = {
  usage: USAGE,
  async run(args, io) {
    let values: { db?: string; out?: string; format?: string };
    try {
      ({ values } = parseArgs({
        args,
        options: { db: { type: 'string' }, out: { type: 'string' }, format: { type: 'string' } },
        allowPositionals: false,
      }));
    } catch (err) {
      throw new CliUsageError(err instanceof Error ? err.message : String(err));
    }
    if (values.out === undefined) throw new CliUsageError('缺少 --out：备份文件 (missing --out: the backup file)');
    const url = values.db ?? loadConfig().databaseUrl;
    const format = values.format ?? (isPostgresUrl(url) ? 'dump' : 'sqlite');
    if (format !== 'sqlite' && format !== 'dump') throw new CliUsageError(`--format 只能是 sqlite 或 dump (got "${format}")`);
    if (format === 'sqlite' && isPostgresUrl(url))
      throw new CliUsageError('PostgreSQL 只能备份为 dump 格式 (PostgreSQL backs up as --format dump)');
    const out = path.resolve(io.cwd, values.out);
    return runTransfer(io, async () => {
      if (existsSync(out)) throw new TransferError(`备份文件已存在，不覆盖：${out} (the backup file exists; not overwriting)`);
      if (!isPostgresUrl(url) && !existsSync(path.resolve(io.cwd, url)))
        throw new TransferError(`数据库文件不存在：${url} (the database file does not exist)`);
      const handle = await openMigrated(url, '源');
      try {
        if (format === 'dump') {
          const summary = await writeDump(handle.db, out);
          const rows = summary.reduce((n, t) => n + t.rows, 0);
          const audit = await verifyAuditChainReport(handle.db);
          if (!audit.ok)
            throw new TransferError(
              `备份已写入 ${out}，但数据库的审计链有损坏（${audit.breaks[0]?.message}），请运行 luoshi audit verify (the audit chain is broken)`,
            );
          io.stdout.write(`备份完成：${out}（${summary.length} 张表、${rows} 行；审计链完好：${audit.checked} 个事件）(backup written)\n`);
          return 0;
        }
      } finally {
        await handle.close();
      }
      const { default: SQLite } = await import('better-sqlite3');
      const live = new SQLite(path.resolve(io.cwd, url), { fileMustExist: true });
      try {
        await live.backup(out);
      } finally {
        live.close();
      }
      // The copy inherits the live file's WAL mode; a read-only open of it would then leave
      // FILE-wal and FILE-shm beside it. A backup is one file the operator can move on its own.
      const single = new SQLite(out, { fileMustExist: true });
      try {
        single.pragma('journal_mode = DELETE');
      } finally {
        single.close();
      }
      const copy = await openSqliteReadonly(out);
      try {
        const summary = await summarise(copy.db, await describeTables(copy.db));
        const rows = summary.reduce((n, t) => n + t.rows, 0);
        const audit = await verifyAuditChainReport(copy.db);
        if (!audit.ok)
          throw new TransferError(`备份已写入 ${out}，但其审计链有损坏：${audit.breaks[0]?.message} (the backup's audit chain is broken)`);
        io.stdout.write(`备份完成：${out}（${summary.length} 张表、${rows} 行；审计链完好：${audit.checked} 个事件）(backup written)\n`);
        return 0;
      } finally {
        await copy.close();
      }
    });
  },
};
