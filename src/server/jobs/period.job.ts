import type { Db } from '../db/database.ts';
import { closeExpiredPeriods } from '../modules/reporting/period-close.service.ts';
import { chinaDate } from '../modules/reporting/period-calendar.rule.ts';
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

interface JobLog {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/**
 * Runs {@link runPeriodTick} now and every `intervalMs` (default hourly: periods turn over by the
 * day). Ticks never overlap. The timer is unref'd so it never keeps the process alive; call the
 * returned function to stop it. Not started by server.ts yet: `luoshi periods tick` from cron does
 * the same work.
 */
export function startPeriodJob(db: Db, log: JobLog, options: { intervalMs?: number; today?: () => string } = {}): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const result = await runPeriodTick(db, options.today?.());
      if (result.opened.length + result.closed.length > 0) log.info(result, 'reporting periods opened/closed');
    } catch (err) {
      log.error({ err }, 'period job failed; will retry on the next tick');
    } finally {
      running = false;
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), options.intervalMs ?? 3_600_000);
  timer.unref();
  return () => clearInterval(timer);
}
