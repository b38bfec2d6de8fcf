import type { Db } from '../db/database.ts';
import { type ReminderResult, generateReminders as generateReportingReminders } from '../modules/reporting/reminders.service.ts';
import { chinaDate } from '../../shared/china-date.ts';

/**
 * One pass of the reminder job: due-soon and late reminders for open reporting periods, to the
 * lead and unit users whose organisation has unsubmitted rows. Safe to re-run (and to run on
 * several instances): each reminder is created once per user, period and kind.
 */
export function generateReminders(
  db: Db,
  asOf: string = chinaDate(new Date()),
  options: { daysBefore?: number } = {},
): Promise<ReminderResult> {
  return generateReportingReminders(db, asOf, options);
}
