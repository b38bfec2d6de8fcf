/**
 * `luoshi audit verify`: recompute the audit log's hash chain and report the first broken event.
 * Exit 0 when intact, 1 when broken (or the database cannot be read): usable from cron/monitoring.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../../server/config.ts';
import { openDatabase } from '../../server/db/database.ts';
import { verifyAuditChain } from '../../server/modules/audit/audit.service.ts';
import { type CliCommand, CliUsageError, EXIT } from '../cli-command.types.ts';

const USAGE = `Usage: luoshi audit verify [--db URL]

Recompute the hash chain of the audit log (every write is recorded there) and check that no event
was edited or deleted. Prints "OK" and the number of events, or the first broken event and why.

Options:
  --db URL     database to check (default: DATABASE_URL, or ./data/luoshi.db)
  -h, --help   show this help
`;

export const auditVerifyCommand: CliCommand = {
  usage: USAGE,
  async run(args, io) {
    let values: { db?: string };
    try {
      ({ values } = parseArgs({ args, options: { db: { type: 'string' } }, allowPositionals: false }));
    } catch (err) {
      throw new CliUsageError(err instanceof Error ? err.message : String(err));
    }
    const url = values.db ?? loadConfig().databaseUrl;
    const handle = openDatabase(url);
    try {
      const result = await verifyAuditChain(handle.db);
      if (result.ok) {
        io.stdout.write(`OK: audit chain intact, ${result.checked} events verified\n`);
        return EXIT.ok;
      }
      io.stdout.write(`BROKEN at seq ${result.firstBrokenId}: ${result.reason} (${result.checked} events verified before it)\n`);
      return EXIT.failure;
    } finally {
      await handle.close();
    }
  },
};
