/**
 * `luoshi reminders tick`: one pass of the reminder job (due-soon and late reporting reminders).
 * Meant for cron, e.g. daily; a re-run the same day creates nothing new.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../../server/config.ts';
import { migrateToLatest, openDatabase } from '../../server/db/database.ts';
import { demoToday } from '../../server/demo/demo-seed.ts';
import { generateReminders } from '../../server/jobs/reminder.job.ts';
import { CalendarDate } from '../../shared/schemas/reporting.schema.ts';
import { type CliCommand, CliUsageError, EXIT } from '../cli-command.types.ts';

const USAGE = `Usage: luoshi reminders tick [--db URL] [--as-of YYYY-MM-DD] [--days-before N]

Remind lead and unit users of open reporting periods: when the due date is N days away or nearer
(default 3), and when reports are late, if their organisation has unsubmitted rows. Each reminder
is sent once per user, period and kind. Prints the counts as JSON.

Options:
  --db URL           database (default: DATABASE_URL, or ./data/luoshi.db)
  --as-of DATE       the day to act as of (default: LUOSHI_TODAY, or today in China)
  --days-before N    how many days before the due date to remind (default 3)
  -h, --help         show this help
`;

export const remindersTickCommand: CliCommand = {
  usage: USAGE,
  async run(args, io) {
    let values: { db?: string; 'as-of'?: string; 'days-before'?: string };
    try {
      ({ values } = parseArgs({
        args,
        options: { db: { type: 'string' }, 'as-of': { type: 'string' }, 'days-before': { type: 'string' } },
        allowPositionals: false,
      }));
    } catch (err) {
      throw new CliUsageError(err instanceof Error ? err.message : String(err));
    }
    const asOf = values['as-of'];
    if (asOf !== undefined && !CalendarDate.safeParse(asOf).success) throw new CliUsageError(`--as-of: not a date: ${asOf}`);
    const daysBefore = values['days-before'] === undefined ? undefined : Number(values['days-before']);
    if (daysBefore !== undefined && !(Number.isInteger(daysBefore) && daysBefore >= 0 && daysBefore <= 60)) {
      throw new CliUsageError(`--days-before: not a whole number of days 0–60: ${values['days-before']}`);
    }
    const config = loadConfig();
    const handle = openDatabase(values.db ?? config.databaseUrl);
    try {
      await migrateToLatest(handle.db);
      // A demo database keeps its own date (demo_clock) unless LUOSHI_TODAY or --as-of says otherwise.
      const result = await generateReminders(handle.db, asOf ?? (await demoToday(handle.db, { demo: false, today: config.today })), {
        daysBefore,
      });
      io.stdout.write(`${JSON.stringify(result)}\n`);
      return EXIT.ok;
    } finally {
      await handle.close();
    }
  },
};
