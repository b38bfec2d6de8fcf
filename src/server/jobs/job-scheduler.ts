/** Where a job reports: pino's logger fits. */
export interface JobLog {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface ScheduledJob {
  /** Shown in the log lines. */
  name: string;
  /** One pass; returns what to log (nothing when the pass did nothing worth a line). */
  run: () => Promise<object | null>;
  intervalMs: number;
}

/**
 * Runs a job now and every `intervalMs`, in process. Passes never overlap (a slow pass makes the
 * next tick skip, not pile up); a failing pass is logged and retried on the next tick, never
 * crashing the server. The timer is unref'd so it never keeps the process alive. Returns a stop
 * function that also waits for a pass in flight, so the database is not closed under it.
 *
 * Every job here is idempotent; on top of that the server's job claims each tick (job-claim.ts),
 * so with several instances on one database a tick's pass runs on one of them only.
 */
export function scheduleJob(job: ScheduledJob, log: JobLog): () => Promise<void> {
  let running: Promise<void> | null = null;
  let stopped = false;
  const tick = () => {
    if (running || stopped) return;
    running = (async () => {
      try {
        const result = await job.run();
        if (result) log.info({ job: job.name, ...result }, `${job.name} job`);
      } catch (err) {
        log.error({ job: job.name, err }, `${job.name} job failed; will retry on the next tick`);
      } finally {
        running = null;
      }
    })();
  };
  tick();
  const timer = setInterval(tick, job.intervalMs);
  timer.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}
