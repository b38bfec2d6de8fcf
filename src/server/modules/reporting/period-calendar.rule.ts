import { addDays } from '../../../shared/china-date.ts';
import type { ReportingFrequency } from '../../../shared/schemas/reporting.schema.ts';

/**
 * Calendar arithmetic of reporting periods. Pure, on YYYY-MM-DD strings in UTC so that a date never
 * shifts with the server's time zone.
 */

const MONTHS: Record<ReportingFrequency, number> = { monthly: 1, quarterly: 3, half_yearly: 6 };
const QUARTERS = ['一', '二', '三', '四'];

function toDate(iso: string): Date {
  return new Date(`${iso}T00:00:00Z`);
}

function toIso(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** The period of `frequency` that contains `iso`: months, quarters or halves of the calendar year. */
export function periodContaining(frequency: ReportingFrequency, iso: string): { start: string; end: string } {
  const d = toDate(iso);
  const span = MONTHS[frequency];
  const firstMonth = Math.floor(d.getUTCMonth() / span) * span;
  const start = new Date(Date.UTC(d.getUTCFullYear(), firstMonth, 1));
  const end = new Date(Date.UTC(d.getUTCFullYear(), firstMonth + span, 0));
  return { start: toIso(start), end: toIso(end) };
}

/** The first day of the period after the one starting at `start`. */
export function nextPeriodStart(frequency: ReportingFrequency, start: string): string {
  return addDays(periodContaining(frequency, start).end, 1);
}

/** The label the office writes on the form: 2018年6月, 2018年第二季度, 2018年上半年. */
export function periodLabel(frequency: ReportingFrequency, start: string): string {
  const d = toDate(start);
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth();
  switch (frequency) {
    case 'monthly':
      return `${year}年${month + 1}月`;
    case 'quarterly':
      return `${year}年第${QUARTERS[Math.floor(month / 3)]}季度`;
    case 'half_yearly':
      return month < 6 ? `${year}年上半年` : `${year}年下半年`;
  }
}

/** Reports are due on `dueDay` of the month after the period ends (June's report by 5 July). */
export function dueDateAfter(end: string, dueDay: number): string {
  const d = toDate(end);
  return toIso(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, dueDay)));
}

/** The last day a report still counts as on time. */
export function lastOnTimeDate(dueDate: string, graceDays: number): string {
  return addDays(dueDate, graceDays);
}
