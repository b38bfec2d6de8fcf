import { describe, expect, it, vi } from 'vitest';
import { scheduleJob } from './job-scheduler.ts';

function recorder() {
  const lines: { level: 'info' | 'error'; obj: object; msg: string }[] = [];
  return {
    lines,
    log: {
      info: (obj: object, msg: string) => lines.push({ level: 'info', obj, msg }),
      error: (obj: object, msg: string) => lines.push({ level: 'error', obj, msg }),
    },
  };
}

describe('scheduleJob', () => {
  it('runs at once and on every tick, never two passes at a time', async () => {
    vi.useFakeTimers();
    try {
      let active = 0;
      let maxActive = 0;
      let passes = 0;
      let release: () => void = () => {};
      const { log } = recorder();
      const stop = scheduleJob(
        {
          name: 'slow',
          intervalMs: 1000,
          run: async () => {
            active += 1;
            maxActive = Math.max(maxActive, active);
            passes += 1;
            await new Promise<void>((resolve) => {
              release = resolve;
            });
            active -= 1;
            return null;
          },
        },
        log,
      );
      expect(passes).toBe(1);
      // Three ticks while the first pass hangs: skipped, not queued.
      await vi.advanceTimersByTimeAsync(3500);
      expect(passes).toBe(1);
      release();
      await vi.advanceTimersByTimeAsync(1000);
      expect(passes).toBe(2);
      release();
      await stop();
      await vi.advanceTimersByTimeAsync(5000);
      expect(passes).toBe(2);
      expect(maxActive).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('logs a failing pass and runs again on the next tick; logs results only when there are any', async () => {
    vi.useFakeTimers();
    try {
      const { lines, log } = recorder();
      const outcomes = [new Error('database is locked'), null, { opened: ['p1'] }];
      const stop = scheduleJob(
        {
          name: 'periods',
          intervalMs: 1000,
          run: async () => {
            const next = outcomes.shift();
            if (next instanceof Error) throw next;
            return next ?? null;
          },
        },
        log,
      );
      await vi.advanceTimersByTimeAsync(2500);
      await stop();
      expect(lines.map((l) => [l.level, l.msg])).toEqual([
        ['error', 'periods job failed; will retry on the next tick'],
        ['info', 'periods job'],
      ]);
      expect(lines[1].obj).toMatchObject({ job: 'periods', opened: ['p1'] });
    } finally {
      vi.useRealTimers();
    }
  });

  it('stop waits for the pass in flight', async () => {
    let finished = false;
    const { log } = recorder();
    const stop = scheduleJob(
      {
        name: 'x',
        intervalMs: 60_000,
        run: async () => {
          await new Promise((r) => setTimeout(r, 50));
          finished = true;
          return null;
        },
      },
      log,
    );
    await stop();
    expect(finished).toBe(true);
  });
});
