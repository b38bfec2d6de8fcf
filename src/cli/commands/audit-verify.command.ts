/**
 * `luoshi audit verify`: recompute the audit log's hash chain and report every broken place (up
 * to --limit), optionally checking checkpoints the operator kept. Exit 0 when intact, 1 on any
 * break (or when the database cannot be read): usable from cron/monitoring.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../server/config.ts';
import { openDatabase } from '../../server/db/database.ts';
import { missingDatabaseFile, missingSchema } from '../db-ready.ts';
import { readAuditCheckpoint } from '../../server/modules/audit/audit-checkpoint.ts';
import { verifierKeyring } from '../../server/core/audit-key.ts';
import {
  type AuditBreak,
  type CheckpointHead,
  VERIFY_BREAK_LIMIT,
  verifyAuditChainReport,
} from '../../server/modules/audit/audit.service.ts';
import { type CliCommand, CliUsageError, EXIT } from '../cli-command.types.ts';
import { describeSystemError } from '../fs-error.ts';

const USAGE = `Usage: luoshi audit verify [--db URL] [--checkpoint FILE]... [--json] [--limit N]

Recompute the hash chain of the audit log (every write is recorded there, HMAC-hashed with the key
in AUDIT_KEY / AUDIT_KEY_FILE) and check that no event was edited, deleted, inserted or rewritten.
Prints every broken place (event seq and what is wrong), or "OK" and the number of events.

Options:
  --db URL            database to check (default: DATABASE_URL, or ./data/luoshi.db)
  --checkpoint FILE   a checkpoint written by \`luoshi audit checkpoint\`; the chain must still
                      contain its heads (repeatable)
  --json              print the full report as JSON
  --limit N           list at most N broken places (default ${VERIFY_BREAK_LIMIT}; the rest are counted)
  -h, --help          show this help
`;

export const auditVerifyCommand: CliCommand = {
  usage: USAGE,
  async run(args, io) {
    let values: { db?: string; checkpoint?: string[]; json?: boolean; limit?: string };
    try {
      ({ values } = parseArgs({
        args,
        options: {
          db: { type: 'string' },
          checkpoint: { type: 'string', multiple: true },
          json: { type: 'boolean' },
          limit: { type: 'string' },
        },
        allowPositionals: false,
      }));
    } catch (err) {
      throw new CliUsageError(err instanceof Error ? err.message : String(err));
    }
    const limit = values.limit === undefined ? VERIFY_BREAK_LIMIT : Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1) throw new CliUsageError(`--limit must be a positive integer, got "${values.limit}"`);

    const ring = verifierKeyring();
    const checkpoints: CheckpointHead[] = [];
    const preBreaks: AuditBreak[] = [];
    for (const file of values.checkpoint ?? []) {
      let text: string;
      try {
        text = readFileSync(path.resolve(io.cwd, file), 'utf8');
      } catch (err) {
        io.stderr.write(`${describeSystemError(`无法读取检查点 ${file}`, 'cannot read the checkpoint', err)}\n`);
        return EXIT.failure;
      }
      const r = readAuditCheckpoint(text, file, ring);
      if ('broken' in r) preBreaks.push(r.broken);
      else checkpoints.push(...r.heads);
    }

    const url = values.db ?? loadConfig().databaseUrl;
    const noFile = missingDatabaseFile(url);
    if (noFile) {
      io.stderr.write(`${noFile}\n`);
      return EXIT.failure;
    }
    const handle = openDatabase(url);
    try {
      const noSchema = await missingSchema(handle.db, url);
      if (noSchema) {
        io.stderr.write(`${noSchema}\n`);
        return EXIT.failure;
      }
      const report = await verifyAuditChainReport(handle.db, { limit, checkpoints, preBreaks, keyring: ring });
      if (values.json) {
        io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        return report.ok ? EXIT.ok : EXIT.failure;
      }
      const cp = report.checkpointsChecked > 0 ? `，${report.checkpointsChecked} 个检查点相符` : '';
      const cpEn = report.checkpointsChecked > 0 ? `, ${report.checkpointsChecked} checkpoint heads match` : '';
      if (report.ok) {
        io.stdout.write(
          `审计链完好：已核验 ${report.checked} 个事件${cp} (OK: audit chain intact, ${report.checked} events verified${cpEn})\n`,
        );
        return EXIT.ok;
      }
      const total = report.breaks.length + report.moreBreaks;
      io.stdout.write(`审计链损坏：${total} 处 (BROKEN: ${total} breaks, ${report.checked} events checked)\n`);
      for (const b of report.breaks) {
        // Scoped chains (ADR 0005) are named before the seq; the installation chain as before.
        const chain = b.chain === 'global' || b.chain === '*' ? '' : b.chain;
        const where =
          b.seq === null ? '-' : b.toSeq !== undefined && b.toSeq !== b.seq ? `${chain}#${b.seq}–#${b.toSeq}` : `${chain}#${b.seq}`;
        io.stdout.write(`  ${where} [${b.kind}] ${b.message}\n`);
      }
      if (report.moreBreaks > 0) io.stdout.write(`  …另有 ${report.moreBreaks} 处未列出 (${report.moreBreaks} more not listed; --limit)\n`);
      return EXIT.failure;
    } finally {
      await handle.close();
    }
  },
};
