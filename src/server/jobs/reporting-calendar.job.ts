/**
 * The server's scheduled work: the reporting calendar (periods turn over, then reminders), once
 * per tick across every instance sharing the database (job-claim.ts).
 */
import type { Db } from '../db/database.ts';
import { runJobOnce, tickSlot } from './job-claim.ts';
import type { ScheduledJob } from './job-scheduler.ts';
import { runPeriodTick } from './period.job.ts';
import { generateReminders } from './reminder.job.ts';

export const REPORTING_CALENDAR_JOB = 'reporting calendar';

/**
 * Periods turn over and reminders fall due by the day, so hourly is prompt enough. Reminders run
 * after the periods (they read which are open: a reminder for a period closed in the same pass
 * would be noise). `today` gives the business day (LUOSHI_TODAY or today in China).
 */
export function reportingCalendarJob(db: Db, today: () => string, intervalMs: number): ScheduledJob {
  return {
    name: REPORTING_CALENDAR_JOB,
    intervalMs,
    run: async () => {
      const asOf = today();
      const ran = await runJobOnce(db, REPORTING_CALENDAR_JOB, tickSlot(asOf, intervalMs), async () => {
        const periods = await runPeriodTick(db, asOf);
        const reminders = await generateReminders(db, asOf);
        return { periods, reminders };
      });
      if (ran === null) return null;
      const { periods, reminders } = ran.result;
      const changed = periods.opened.length + periods.closed.length + reminders.created > 0;
      return changed ? { asOf, opened: periods.opened, closed: periods.closed, reminders: reminders.created } : null;
    },
  };
}
