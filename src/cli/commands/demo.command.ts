/**
 * `luoshi demo`: load the Hebi 2018 demo (registry, plan, demo accounts) into an empty database,
 * the same seed the server runs at start-up with LUOSHI_DEMO=1.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../../server/config.ts';
import { migrateToLatest, openDatabase } from '../../server/db/database.ts';
import { seedDemoIfEmpty } from '../../server/demo/demo-seed.ts';
import { type CliCommand, CliUsageError, EXIT } from '../cli-command.types.ts';

const USAGE = `Usage: luoshi demo [--db URL]

Load the demo into an empty database: the Hebi organisation registry, the 2018 百城建设提质工程
plan with a monthly reporting schedule and the period containing today (LUOSHI_TODAY) open, and
one demo account per role (their passwords are printed; demo use only). A database that already
holds organisations is left alone (exit 1).

Options:
  --db URL     database (default: DATABASE_URL, or ./data/luoshi.db)
  -h, --help   show this help
`;

export const demoCommand: CliCommand = {
  usage: USAGE,
  async run(args, io) {
    let values: { db?: string };
    try {
      ({ values } = parseArgs({ args, options: { db: { type: 'string' } }, allowPositionals: false }));
    } catch (err) {
      throw new CliUsageError(err instanceof Error ? err.message.split('. ')[0] : String(err));
    }
    const config = loadConfig();
    const handle = openDatabase(values.db ?? config.databaseUrl);
    try {
      await migrateToLatest(handle.db);
      const log = { info: (m: string) => io.stderr.write(`${m}\n`), warn: (m: string) => io.stderr.write(`${m}\n`) };
      const result = await seedDemoIfEmpty(
        handle.db,
        { demo: true, adminPassword: undefined, today: config.today, uploadDir: config.uploadDir },
        log,
      );
      if (result.kind === 'skipped') {
        io.stderr.write(`luoshi: nothing loaded: ${result.reason}\n`);
        return EXIT.failure;
      }
      io.stdout.write(`${JSON.stringify(result)}\n`);
      return EXIT.ok;
    } finally {
      await handle.close();
    }
  },
};
