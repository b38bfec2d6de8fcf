import type { DbOrTrx } from '../../db/database.ts';
import { notifyUserOnce, reportsLink } from '../notifications/notifications.service.ts';
import { listActiveReportingUsers } from '../users/users.service.ts';
import { lastOnTimeDate } from './period-calendar.rule.ts';
import { addDays } from '../../../shared/china-date.ts';
import { listMyReports } from './progress-reports.service.ts';
import { listOpenPeriodRows } from './reporting.repository.ts';
import { reportingOrgsOfPlan } from './reporting-tenancy.policy.ts';

export const DEFAULT_REMIND_DAYS_BEFORE = 3;

export interface ReminderResult {
  asOf: string;
  /** Notifications created by this run (0 on a re-run the same day). */
  created: number;
  /** Reminders due but already sent. */
  skipped: number;
}

type ReminderKind = 'reminder.due_soon' | 'reminder.late';

function reminderKind(asOf: string, period: { due_date: string; grace_days: number }, daysBefore: number): ReminderKind | null {
  if (asOf > lastOnTimeDate(period.due_date, period.grace_days)) return 'reminder.late';
  if (asOf <= period.due_date && asOf >= addDays(period.due_date, -daysBefore)) return 'reminder.due_soon';
  return null;
}

/**
 * Reminds lead and unit users of open reporting periods: once when the due date is `daysBefore`
 * days away or nearer, and once when the period's reports are late, each only if the user's
 * organisation still has rows without a submitted report. Idempotent: each reminder has a unique
 * key (kind/period/user), so a re-run creates nothing new.
 */
export async function generateReminders(db: DbOrTrx, asOf: string, options: { daysBefore?: number } = {}): Promise<ReminderResult> {
  const daysBefore = options.daysBefore ?? DEFAULT_REMIND_DAYS_BEFORE;
  const result: ReminderResult = { asOf, created: 0, skipped: 0 };
  const periods = await listOpenPeriodRows(db);
  if (periods.length === 0) return result;
  const users = await listActiveReportingUsers(db);
  for (const period of periods) {
    const kind = reminderKind(asOf, period, daysBefore);
    if (!kind) continue;
    // What is outstanding depends on the organisation and the role it reports in, not the user.
    const outstanding = new Map<string, number>();
    // Only the plan's own city reports on it (tenancy): another city's users are not asked at all.
    const reporters = await reportingOrgsOfPlan(db, period.plan_id);
    for (const user of users) {
      if (reporters && !reporters.has(user.org_id)) continue;
      const key = `${user.org_id}|${user.role}`;
      let count = outstanding.get(key);
      if (count === undefined) {
        const mine = await listMyReports(db, period.id, {
          userId: user.id,
          orgId: user.org_id,
          role: user.role,
          displayName: user.display_name,
        });
        count = mine.items.filter((r) => !r.report || r.report.status === 'draft' || r.report.status === 'returned').length;
        outstanding.set(key, count);
      }
      if (count === 0) continue;
      const created = await notifyUserOnce(db, user.id, `${kind}:${period.id}:${user.id}`, {
        kind,
        title: kind === 'reminder.late' ? `${period.label}进展报送已逾期` : `${period.label}进展报送将于${period.due_date}截止`,
        body: `尚有 ${count} 项未报送。`,
        // The web's my-reports screen, opened on this plan and period.
        link: reportsLink(period.plan_id, period.id),
      });
      if (created) result.created += 1;
      else result.skipped += 1;
    }
  }
  return result;
}
