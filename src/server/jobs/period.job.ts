import type { Db } from '../db/database.ts';
import { closeExpiredPeriods } from '../modules/reporting/period-close.service.ts';
import { chinaDate } from '../../shared/china-date.ts';
import { openDuePeriods } from '../modules/reporting/periods.service.ts';

export interface PeriodTickResult {
  asOf: string;
  opened: string[];
  closed: string[];
}

/**
 * One pass of the period job: close the periods whose closing day has come (freezing their
 * snapshots), then create and open the periods that are due. Closing first, so a period never
 * sits open past its closing day because the opener ran long. Safe to run on several instances
 * at once: each step tolerates another instance having done it first.
 */
export async function runPeriodTick(db: Db, asOf: string = chinaDate(new Date())): Promise<PeriodTickResult> {
  const closed = await closeExpiredPeriods(db, asOf);
  const opened = await openDuePeriods(db, asOf);
  return { asOf, opened, closed };
}
