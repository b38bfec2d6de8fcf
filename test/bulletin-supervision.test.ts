import { beforeAll, expect, it } from 'vitest';
import { listNoticeFactsAsOf } from '../src/server/modules/supervision/supervision-bulletin.queries.ts';
import { draftSupervisionContent } from '../src/server/modules/supervision/supervision-bulletin.rule.ts';
import { describeEachDialect } from './helpers/dialects.ts';
import { makeNotice, makeTaskPlan } from './helpers/factories.ts';
import { type TestClient, useTestApp } from './helpers/test-app.ts';

// The facts of a supervision 通报 read from the real record (notices, answers, escalations), as of a
// cut-off; the dates are moved into November 2018 so this file's notices are the only ones in range.
describeEachDialect('supervision bulletin facts', (ctx) => {
  const t = useTestApp(ctx);
  let admin: TestClient;
  let unit: TestClient;
  beforeAll(async () => {
    admin = await t().login('admin');
    unit = await t().login('unit');
  });

  const backdate = async (noticeId: string, createdAt: string) =>
    t().db.updateTable('supervision_notices').set({ created_at: createdAt }).where('id', '=', noticeId).execute();
  const answer = async (noticeId: string, version: number, on: string) => {
    const res = await unit.post(`/api/supervision/${noticeId}/answer`, { version, text: '已整改' });
    expect(res.statusCode, res.body).toBe(200);
    await t().db.updateTable('supervision_responses').set({ created_at: on }).where('notice_id', '=', noticeId).execute();
  };

  it('counts on time, late and unanswered notices and the rung reached, as of the cut-off', async () => {
    const county = t().orgs.county.id;
    const f = await makeTaskPlan(t(), 'assigned');
    const mk = async (reason: string, dueDate: string) => {
      const n = await makeNotice(admin, { rows: [{ taskId: f.taskId, orgId: county }], reason, dueDate });
      await backdate(n.id, '2018-11-05T02:00:00.000Z');
      return n;
    };
    const onTime = await mk('进度滞后', '2018-11-20');
    const late = await mk('月报未报', '2018-11-20');
    const silent = await mk('投资未完成', '2018-11-15');
    const after = await mk('答复在截止后', '2018-11-25');
    await answer(onTime.id, 1, '2018-11-18T03:00:00.000Z');
    await answer(late.id, 1, '2018-11-26T03:00:00.000Z');
    // Answered only after the cut-off: unanswered in the November record.
    await answer(after.id, 1, '2018-12-10T03:00:00.000Z');
    let version = 1;
    for (const step of ['reminder', 'urging', 'yellow_card', 'red_card', 'interview']) {
      const res = await admin.post(`/api/supervision/${silent.id}/escalations`, { version, step, note: step });
      expect(res.statusCode, res.body).toBe(200);
      version += 1;
    }
    await t()
      .db.updateTable('supervision_escalations')
      .set({ created_at: '2018-11-28T03:00:00.000Z' })
      .where('notice_id', '=', silent.id)
      .execute();
    // A notice of December is outside the range.
    const dec = await mk('十二月', '2018-12-20');
    await backdate(dec.id, '2018-12-02T02:00:00.000Z');

    const facts = await listNoticeFactsAsOf(t().db, '2018-11-01', '2018-11-30', '2018-11-30');
    expect(facts.map((x) => [x.reason, x.answeredOn, x.escalationStep]).sort()).toEqual(
      [
        ['进度滞后', '2018-11-18', null],
        ['月报未报', '2018-11-26', null],
        ['投资未完成', null, 'interview'],
        ['答复在截止后', null, null],
      ].sort(),
    );
    expect(facts.every((x) => x.orgId === county)).toBe(true);

    const c = draftSupervisionContent({
      programme: '百城建设提质工程',
      periodLabel: '11月份',
      issuerName: '市百城办',
      issuerShort: '百城办',
      year: 2018,
      serial: 1,
      today: '2018-12-05',
      units: [{ orgId: county, name: t().orgs.county.name }],
      notices: facts,
      reportsMissing: [],
      reportsLate: [],
    });
    const text = c.paragraphs.join('\n');
    expect(text).toContain('共下发督办通知4件，按期答复1件，逾期答复1件，未答复2件。');
    expect(text).toContain(`对${t().orgs.county.name}进行约谈`);
    expect(c.table.rows).toEqual([[t().orgs.county.name, '4', '1', '1', '约谈']]);
  });
});
