/**
 * `luoshi periods tick`: one pass of the reporting-period job (close expired periods, freezing their
 * snapshots; create and open due ones). Meant for cron, e.g. hourly; safe to run repeatedly.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../../server/config.ts';
import { migrateToLatest, openDatabase } from '../../server/db/database.ts';
import { demoToday } from '../../server/demo/demo-seed.ts';
import { runPeriodTick } from '../../server/jobs/period.job.ts';
import { CalendarDate } from '../../shared/schemas/reporting.schema.ts';
import { type CliCommand, CliUsageError, EXIT } from '../cli-command.types.ts';

const USAGE = `Usage: luoshi periods tick [--db URL] [--as-of YYYY-MM-DD]

Close the reporting periods whose closing day has come (each freezes its snapshot and recomputes
statuses) and create and open the periods that are due, per each plan's reporting schedule.
Prints what it opened and closed as JSON.

Options:
  --db URL          database (default: DATABASE_URL, or ./data/luoshi.db)
  --as-of DATE      the day to act as of (default: LUOSHI_TODAY, or today in China)
  -h, --help        show this help
`;

export const periodsTickCommand: CliCommand = {
  usage: USAGE,
  async run(args, io) {
    let values: { db?: string; 'as-of'?: string };
    try {
      ({ values } = parseArgs({ args, options: { db: { type: 'string' }, 'as-of': { type: 'string' } }, allowPositionals: false }));
    } catch (err) {
      throw new CliUsageError(err instanceof Error ? err.message : String(err));
    }
    const asOf = values['as-of'];
    if (asOf !== undefined && !CalendarDate.safeParse(asOf).success) throw new CliUsageError(`--as-of: not a date: ${asOf}`);
    const config = loadConfig();
    const handle = openDatabase(values.db ?? config.databaseUrl);
    try {
      await migrateToLatest(handle.db);
      // A demo database keeps its own date (demo_clock) unless LUOSHI_TODAY or --as-of says otherwise.
      const result = await runPeriodTick(handle.db, asOf ?? (await demoToday(handle.db, { demo: false, today: config.today })));
      io.stdout.write(`${JSON.stringify(result)}\n`);
      return EXIT.ok;
    } finally {
      await handle.close();
    }
  },
};
