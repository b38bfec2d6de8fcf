/**
 * `luoshi audit checkpoint`: sign every audit chain's current head (seq and hash) with the audit
 * key and write it to a file the operator keeps away from the server. `audit verify --checkpoint`
 * later proves the chain still contains those heads, i.e. nothing up to them was rewritten.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../server/config.ts';
import { openDatabase } from '../../server/db/database.ts';
import { missingDatabaseFile, missingSchema } from '../db-ready.ts';
import { createAuditCheckpoint } from '../../server/modules/audit/audit-checkpoint.ts';
import { verifierKeyring } from '../../server/core/audit-key.ts';
import { verifyAuditChainReport } from '../../server/modules/audit/audit.service.ts';
import { type CliCommand, CliUsageError, EXIT } from '../cli-command.types.ts';
import { describeSystemError } from '../fs-error.ts';

const USAGE = `Usage: luoshi audit checkpoint [--db URL] [--out FILE]

Verify the audit chain, then write a signed checkpoint (each chain's head seq and hash, the time,
an HMAC signature with the active audit key) as JSON to FILE (or stdout). Keep the file where the
server cannot write it (another machine, write-once storage, a printout); check it later with
\`luoshi audit verify --checkpoint FILE\`. Refuses when the chain is already broken.

Options:
  --db URL     database (default: DATABASE_URL, or ./data/luoshi.db)
  --out FILE   write here instead of stdout (fails if FILE exists)
  -h, --help   show this help
`;

export const auditCheckpointCommand: CliCommand = {
  usage: USAGE,
  async run(args, io) {
    let values: { db?: string; out?: string };
    try {
      ({ values } = parseArgs({ args, options: { db: { type: 'string' }, out: { type: 'string' } }, allowPositionals: false }));
    } catch (err) {
      throw new CliUsageError(err instanceof Error ? err.message : String(err));
    }
    const ring = verifierKeyring();
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
      // A checkpoint of a broken chain would certify the damage.
      const report = await verifyAuditChainReport(handle.db, { keyring: ring, limit: 1 });
      if (!report.ok) {
        io.stderr.write(`审计链已损坏，不签署检查点：${report.breaks[0]?.message} (chain is broken; run luoshi audit verify)\n`);
        return EXIT.failure;
      }
      const cp = await createAuditCheckpoint(handle.db, ring);
      const text = `${JSON.stringify(cp, null, 2)}\n`;
      if (values.out === undefined) {
        io.stdout.write(text);
      } else {
        const file = path.resolve(io.cwd, values.out);
        try {
          // Never overwrite: an older checkpoint is exactly what must be kept.
          writeFileSync(file, text, { flag: 'wx' });
        } catch (err) {
          const exists = (err as NodeJS.ErrnoException).code === 'EEXIST';
          io.stderr.write(
            `${exists ? `文件已存在，不覆盖：${file} (file exists, not overwritten)` : describeSystemError(`无法写入检查点 ${file}`, 'cannot write the checkpoint', err)}\n`,
          );
          return EXIT.failure;
        }
        const heads = cp.chains.map((c) => `${c.chain}#${c.seq}`).join(', ');
        io.stderr.write(`已写入检查点 ${file}：${heads} (checkpoint written; keep it away from the server)\n`);
      }
      return EXIT.ok;
    } finally {
      await handle.close();
    }
  },
};
