import type { Db } from '../db/database.ts';
import { type ReminderResult, generateReminders as generateReportingReminders } from '../modules/reporting/reminders.service.ts';
import { chinaDate } from '../../shared/china-date.ts';
import { PROJECT_REPORT_DUTY } from '../modules/projects/project-reports.service.ts';

/**
 * One pass of the reminder job: due-soon and late reminders for open reporting periods, to the
 * lead and unit users whose organisation has unsubmitted rows, and to the unit users whose
 * organisation has projects in implementation without the period's 调度 (the projects' duty,
 * wired here so the reporting module needs no import of the projects module). Safe to re-run (and
 * to run on several instances): each reminder is created once per user, period and kind.
 */
export function generateReminders(
  db: Db,
  asOf: string = chinaDate(new Date()),
  options: { daysBefore?: number } = {},
): Promise<ReminderResult> {
  return generateReportingReminders(db, asOf, { ...options, duties: [PROJECT_REPORT_DUTY] });
}
