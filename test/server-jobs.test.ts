import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Config, loadConfig } from '../src/server/config.ts';
import { openDatabase } from '../src/server/db/database.ts';
import { startServer } from '../src/server/server.ts';
import { describeEachDialect } from './helpers/dialects.ts';

/** Polls until `check` returns a value (the jobs run in the background of a started server). */
async function eventually<T>(check: () => Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describeEachDialect('scheduled jobs inside the server', (ctx) => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'luoshi-jobs-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const config = (today: string, jobs = true): Config => ({
    ...loadConfig({}),
    databaseUrl: ctx.url(),
    port: 0,
    host: '127.0.0.1',
    logLevel: 'silent',
    webDir: '/nonexistent',
    uploadDir: path.join(dir, 'uploads'),
    today,
    jobs,
  });

  it('turns the demo’s periods over by its schedule and sends reminders, once', async () => {
    // First start: the demo seed replays April and May (closed, issue 11 item 9) and opens June 2018.
    await (await startServer(config('2018-06-20'))).close();
    const handle = openDatabase(ctx.url());
    // The Hebi plan's calendar (the demo's second city, 许昌, has its own periods).
    const periods = () =>
      handle.db
        .selectFrom('reporting_periods')
        .select(['label', 'status'])
        .where('plan_id', 'in', handle.db.selectFrom('plans').select('id').where('title', 'like', '%鹤壁%'))
        .orderBy('start_date')
        .execute();
    try {
      const history = [
        { label: '2018年4月', status: 'closed' },
        { label: '2018年5月', status: 'closed' },
      ];
      expect(await periods()).toEqual([...history, { label: '2018年6月', status: 'open' }]);

      // With the jobs off, a later start changes nothing.
      await (await startServer(config('2018-07-20', false))).close();
      expect(await periods()).toEqual([...history, { label: '2018年6月', status: 'open' }]);

      // 20 July: June closed (due 5 July + 2 days' grace + 10 days) with its snapshot; July open.
      let app = await startServer(config('2018-07-20'));
      try {
        await eventually(async () => {
          const list = await periods();
          return list.length === 4 && list[3].status === 'open' ? list : undefined;
        }, 'July to open');
        expect(await periods()).toEqual([...history, { label: '2018年6月', status: 'closed' }, { label: '2018年7月', status: 'open' }]);
        const snapshots = await handle.db
          .selectFrom('period_snapshots')
          .innerJoin('reporting_periods', 'reporting_periods.id', 'period_snapshots.period_id')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('reporting_periods.label', '=', '2018年6月')
          .executeTakeFirstOrThrow();
        expect(Number(snapshots.n)).toBeGreaterThan(0);
      } finally {
        await app.close();
      }

      // 3 August, two days before July's reports are due: every reporting user of a county with
      // rows unsubmitted gets one reminder, linked to its reports; a restart adds none.
      const reminders = () =>
        handle.db
          .selectFrom('notifications as n')
          .innerJoin('users as u', 'u.id', 'n.user_id')
          .select(['u.username', 'n.kind', 'n.link'])
          .where('n.kind', 'like', 'reminder.%')
          .execute();
      app = await startServer(config('2018-08-03'));
      try {
        await eventually(
          // Its task reports and its projects in implementation (the demo library's 调度): two kinds.
          async () => ((await reminders()).filter((r) => r.username === 'qixian').length >= 2 ? true : undefined),
          'two reminders for qixian',
        );
      } finally {
        await app.close();
      }
      const first = await reminders();
      const qixian = first.filter((r) => r.username === 'qixian');
      expect(qixian.map((r) => r.kind).sort()).toEqual(['reminder.due_soon', 'reminder.projects_due_soon']);
      expect(qixian.find((r) => r.kind === 'reminder.due_soon')!.link).toMatch(/^\/reports\?planId=[\w-]+&periodId=[\w-]+$/);
      expect(qixian.find((r) => r.kind === 'reminder.projects_due_soon')!.link).toMatch(/^\/projects\?/);
      expect(first.some((r) => r.username === 'admin' || r.username === 'leader')).toBe(false);
      await (await startServer(config('2018-08-03'))).close();
      expect(await reminders()).toHaveLength(first.length);
    } finally {
      await handle.close();
    }
  });
});
