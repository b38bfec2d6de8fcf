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

type ReminderStage = 'due_soon' | 'late';

function reminderStage(asOf: string, period: { due_date: string; grace_days: number }, daysBefore: number): ReminderStage | null {
  if (asOf > lastOnTimeDate(period.due_date, period.grace_days)) return 'late';
  if (asOf <= period.due_date && asOf >= addDays(period.due_date, -daysBefore)) return 'due_soon';
  return null;
}

/**
 * Another module's monthly duty in a reporting period that the reminders cover too (the project
 * library's 调度: projects.service.ts, wired by the reminder job so reporting needs no import of
 * it): per organisation, how many items it still owes in the period. Its reminders follow the
 * same calendar, recipients' tenancy and once-per-user-period-and-kind rule as the task reports'.
 */
export interface ReminderDuty {
  /** The notification kinds are `reminder.<name>_due_soon` and `reminder.<name>_late`. */
  name: string;
  /** The roles whose users file it (a user of another role is not reminded of it). */
  roles: readonly string[];
  /** Outstanding items per organisation id in the period, among `orgIds` (null: every organisation). */
  outstanding(db: DbOrTrx, periodId: string, orgIds: ReadonlySet<string> | null): Promise<Map<string, number>>;
  message(input: { periodLabel: string; dueDate: string; late: boolean; count: number; planId: string; periodId: string }): {
    title: string;
    body: string;
    link: string;
  };
}

/**
 * Reminds lead and unit users of open reporting periods: once when the due date is `daysBefore`
 * days away or nearer, and once when the period's reports are late, each only if the user's
 * organisation still has rows without a submitted report. Each of `duties` (other modules' items
 * due in the period) is reminded the same way, separately, to its roles' users whose organisation
 * owes some. Idempotent: each reminder has a unique key (kind/period/user), so a re-run creates
 * nothing new.
 */
export async function generateReminders(
  db: DbOrTrx,
  asOf: string,
  options: { daysBefore?: number; duties?: readonly ReminderDuty[] } = {},
): Promise<ReminderResult> {
  const daysBefore = options.daysBefore ?? DEFAULT_REMIND_DAYS_BEFORE;
  const result: ReminderResult = { asOf, created: 0, skipped: 0 };
  const periods = await listOpenPeriodRows(db);
  if (periods.length === 0) return result;
  const users = await listActiveReportingUsers(db);
  for (const period of periods) {
    const stage = reminderStage(asOf, period, daysBefore);
    if (!stage) continue;
    const kind = `reminder.${stage}`;
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
    for (const duty of options.duties ?? []) {
      const owed = await duty.outstanding(db, period.id, reporters);
      const dutyKind = `reminder.${duty.name}_${stage}`;
      for (const user of users) {
        const count = owed.get(user.org_id) ?? 0;
        if (count === 0 || !duty.roles.includes(user.role)) continue;
        const message = duty.message({
          periodLabel: period.label,
          dueDate: period.due_date,
          late: stage === 'late',
          count,
          planId: period.plan_id,
          periodId: period.id,
        });
        const created = await notifyUserOnce(db, user.id, `${dutyKind}:${period.id}:${user.id}`, { kind: dutyKind, ...message });
        if (created) result.created += 1;
        else result.skipped += 1;
      }
    }
  }
  return result;
}
