import { beforeAll, expect, it } from 'vitest';
import type { Assessment, AssessmentScheme, Bulletin, Ranking, ScoreSheet } from '../src/shared/schemas/assessment.schema.ts';
import { listSnapshotFacts, listSnapshots } from '../src/server/modules/reporting/period-close.service.ts';
import { describeEachDialect } from './helpers/dialects.ts';
import { makeNotice, makePeriod, makeReport, makeReportingPlan, makeUser } from './helpers/factories.ts';
import { type TestClient, useTestApp } from './helpers/test-app.ts';

const ok = <T>(res: { statusCode: number; body: string; json(): unknown }, code = 200): T => {
  expect(res.statusCode, res.body).toBe(code);
  return res.json() as T;
};

describeEachDialect('assessment (考核)', (ctx) => {
  const t = useTestApp(ctx);
  let admin: TestClient;
  let unit: TestClient; // 淇县
  let unit2: TestClient; // 浚县
  let lead: TestClient; // 市住建局
  let leader: TestClient;

  beforeAll(async () => {
    admin = await t().login('admin');
    unit = await t().login('unit');
    lead = await t().login('lead');
    leader = await t().login('leader');
    unit2 = await (await makeUser(t(), { orgId: t().orgs.county2.id, role: 'unit' })).login();
  });

  const schemeBody = () => ({
    categories: [
      { id: 'rep', label: '报送', points: 40, maxDeduction: 30 },
      { id: 'sup', label: '督办', points: 30 },
      { id: 'goal', label: '目标', points: 30, maxAddition: 10 },
      { id: 'lead', label: '领导评价', points: 0 },
    ],
    rules: [
      { id: 'late', categoryId: 'rep', kind: 'report_late', label: '迟报', points: -1 },
      { id: 'returned', categoryId: 'rep', kind: 'report_returned', label: '退回', points: -2 },
      { id: 'missing', categoryId: 'rep', kind: 'report_missing', label: '未报', points: -5 },
      { id: 'ontime', categoryId: 'goal', kind: 'finished_on_time', label: '按时完成', points: 1 },
      { id: 'nlate', categoryId: 'sup', kind: 'notice_late', label: '督办逾期', points: -3 },
      { id: 'yellow', categoryId: 'sup', kind: 'notice_escalation', label: '黄牌', points: -5, step: 'yellow_card' },
      { id: 'leader', categoryId: 'lead', kind: 'manual', label: '领导评价', points: 0, max: 10 },
    ],
    vetoes: [{ id: 'criticised', label: '通报批评', when: { kind: 'manual' }, effect: 'no_top' }],
    multipliers: [],
    tiers: {
      mode: 'threshold',
      tiers: [
        { id: 'excellent', label: '优秀', min: 95 },
        { id: 'good', label: '良好', min: 85 },
        { id: 'fail', label: '不合格' },
      ],
    },
    groups: [
      { id: 'counties', label: '县区', orgIds: [t().orgs.county.id, t().orgs.county2.id] },
      { id: 'depts', label: '部门', orgIds: [t().orgs.leadDept.id] },
    ],
    honourCount: 1,
  });

  /**
   * A plan with three closed months: October (淇县 reports its target late; 浚县 nothing),
   * November (淇县 reports 100 of 100 on time, approved; 浚县's report is returned), December
   * (nothing). A 督办 notice to 淇县 on task B, unanswered, due 2026-12-10, with a yellow card.
   */
  async function setup() {
    const f = await makeReportingPlan(t());
    const oct = await makePeriod(t(), f.planId, { start: '2026-10-01', open: true });
    await makeReport(unit, oct.id, { taskId: f.taskA, targetId: f.targetCounty, value: 40 }, { approveBy: admin });
    const nov = await makePeriod(t(), f.planId, { start: '2026-11-01', open: true });
    await makeReport(unit, nov.id, { taskId: f.taskA, targetId: f.targetCounty, value: 100 }, { approveBy: admin });
    await makeReport(
      unit2,
      nov.id,
      { taskId: f.taskA, targetId: f.targetCounty2, value: 10 },
      { returnBy: { client: admin, comment: '数据不全' } },
    );
    const dec = await makePeriod(t(), f.planId, { start: '2026-12-01', open: true });
    for (const p of [oct, nov, dec]) {
      const cur = ok<{ version: number }>(await admin.get(`/api/periods/${p.id}`));
      ok(await admin.post(`/api/periods/${p.id}/close`, { version: cur.version }));
    }
    let notice = await makeNotice(admin, { rows: [{ taskId: f.taskB, orgId: t().orgs.county.id }], dueDate: '2026-12-10' });
    for (const step of ['reminder', 'urging', 'yellow_card']) {
      notice = ok(await admin.post(`/api/supervision/${notice.id}/escalations`, { step, note: '逾期未办', version: notice.version }));
    }
    const scheme = ok<AssessmentScheme>(
      await admin.post('/api/assessment-schemes', { name: `考核方案${Math.random()}`, scheme: schemeBody() }),
      201,
    );
    const run = ok<Assessment>(
      await admin.post('/api/assessments', {
        schemeId: scheme.id,
        planId: f.planId,
        title: '2026年第四季度考核',
        start: '2026-10-01',
        end: '2026-12-31',
        objectionDays: 5,
      }),
      201,
    );
    return { f, scheme, run, notice };
  }

  const sheet = (c: TestClient, id: string, orgId?: string) => c.get(`/api/assessments/${id}/sheet${orgId ? `?orgId=${orgId}` : ''}`);
  const fresh = async (id: string) => ok<Assessment>(await admin.get(`/api/assessments/${id}`));

  it('reads the frozen record set-based with the amended statuses, row for row as the snapshot list', async () => {
    const { f } = await setup();
    const periods = ok<{ items: { id: string }[] }>(await admin.get(`/api/plans/${f.planId}/periods`)).items.map((p) => p.id);
    // An office correction of one November row: the assessment must score the amended status.
    const nov = (await listSnapshots(t().db, periods[1]!)).items;
    const row = nov.find((r) => r.orgId === t().orgs.county2.id && r.targetId === f.targetCounty2)!;
    const amended = row.computedStatus === 'done' ? 'at_risk' : 'done';
    ok(await admin.post(`/api/snapshots/${row.id}/amendments`, { reason: '核实后更正', computedStatus: amended }), 201);
    const facts = await listSnapshotFacts(t().db, periods);
    for (const id of periods) {
      const expected = (await listSnapshots(t().db, id)).items
        .map((r) => ({
          id: r.id,
          orgId: r.orgId,
          taskId: r.taskId,
          targetId: r.targetId,
          isLate: r.isLate,
          status: r.effective.computedStatus,
        }))
        .sort((a, b) => (a.id < b.id ? -1 : 1));
      const got = (facts.get(id) ?? [])
        .map((r) => ({ id: r.id, orgId: r.orgId, taskId: r.taskId, targetId: r.targetId, isLate: r.isLate, status: r.computedStatus }))
        .sort((a, b) => (a.id < b.id ? -1 : 1));
      expect(got).toEqual(expected);
      expect(got.length).toBeGreaterThan(0);
    }
    expect(facts.get(periods[1]!)!.find((r) => r.id === row.id)!.computedStatus).toBe(amended);
  });

  it('computes the draft from the frozen record, each line carrying its events', async () => {
    const { run } = await setup();
    const { county, county2, leadDept } = t().orgs;
    const total = (orgId: string) => run.units.find((u) => u.orgId === orgId)!;
    const s1 = ok<ScoreSheet>(await sheet(admin, run.id, county.id));
    const line = (s: ScoreSheet, id: string) => s.lines.find((l) => l.ruleId === id)!;
    // The closed periods freeze one row per row × reporting organisation (issue 11 item 7), so a
    // unit answers for every row it reports: 淇县 reports task A's summary (responsible through the
    // group), task A's 淇县 target and task B, each month. Oct: the target late (−1), A and B
    // missing; Nov: the target on time and done (+1), A and B missing; Dec: all three missing —
    // 7 missing (−35). The notice unanswered past due (−3) with a yellow card (−5).
    expect(line(s1, 'late')).toMatchObject({ count: 1, points: -1 });
    expect(line(s1, 'ontime')).toMatchObject({ count: 1, points: 1 });
    expect(line(s1, 'missing')).toMatchObject({ count: 7, points: -35 });
    expect(line(s1, 'nlate')).toMatchObject({ count: 1, points: -3 });
    expect(line(s1, 'yellow')).toMatchObject({ count: 1, points: -5 });
    // Every report line opens its snapshot row: 1 late + 1 on time + 7 missing.
    expect(s1.events.map((e) => e.kind).sort()).toEqual(['escalation', 'notice', ...Array(9).fill('report')]);
    // 报送 40 − 36, capped at a 30-point deduction = 10; 督办 30 − 3 − 5 = 22; 目标 30 + 1 = 31; 0 → 63.
    expect(total(county.id)).toMatchObject({ total: 63, tierId: 'fail' });
    // 浚县 reports task A's summary and its own target: Oct both missing, Nov the target returned
    // (−2) and the summary missing, Dec both missing — 5 missing (−25): 40 − 27 = 13 + 30 + 30 = 73.
    const s2 = ok<ScoreSheet>(await sheet(admin, run.id, county2.id));
    expect(line(s2, 'missing').count).toBe(5);
    expect(line(s2, 'returned').count).toBe(1);
    expect(total(county2.id)).toMatchObject({ total: 73, rank: 1 });
    expect(total(county.id).rank).toBe(2);
    // The lead department files the summary rows of tasks A and B and filed none: 6 missing (−30,
    // the cap): 10 + 30 + 30 = 70, ranked in its own group.
    expect(total(leadDept.id)).toMatchObject({ total: 70, groupId: 'depts', rank: 1, tierId: 'fail' });
  });

  it('walks 自评 → 核查 → 初评 → 异议 → answer → final, audited, and a final score never changes', async () => {
    const { run, scheme } = await setup();
    const { county } = t().orgs;
    ok(await unit.post(`/api/assessments/${run.id}/notes`, { ruleId: 'missing', text: '12月数据已线下报送' }));
    let a = await fresh(run.id);
    let adjusted = ok<ScoreSheet>(
      await admin.post(`/api/assessments/${run.id}/adjustments`, {
        version: a.version,
        orgId: county.id,
        ruleId: 'missing',
        delta: 35,
        reason: '核实已线下报送',
      }),
    );
    expect(adjusted.lines.find((l) => l.ruleId === 'missing')).toMatchObject({ computed: -35, adjustment: 35, points: 0 });
    a = await fresh(run.id);
    adjusted = ok(
      await admin.post(`/api/assessments/${run.id}/adjustments`, {
        version: a.version,
        orgId: county.id,
        ruleId: 'leader',
        kind: 'manual',
        delta: 8,
        reason: '领导评价',
      }),
    );
    expect(adjusted.unit.total).toBe(100);
    // A stale version is refused.
    expect(
      (
        await admin.post(`/api/assessments/${run.id}/adjustments`, {
          version: a.version,
          orgId: county.id,
          ruleId: 'late',
          delta: 1,
          reason: 'x',
        })
      ).statusCode,
    ).toBe(409);
    a = await fresh(run.id);
    const published = ok<Assessment>(await admin.post(`/api/assessments/${run.id}/publish`, { version: a.version }));
    expect(published.stage).toBe('published');
    expect(published.objectionUntil).not.toBeNull();
    // 核查 is over once 初评 is out.
    expect(
      (
        await admin.post(`/api/assessments/${run.id}/adjustments`, {
          version: published.version,
          orgId: county.id,
          ruleId: 'late',
          delta: 1,
          reason: 'x',
        })
      ).statusCode,
    ).toBe(422);
    const objected = ok<ScoreSheet>(await unit.post(`/api/assessments/${run.id}/objections`, { ruleId: 'yellow', text: '黄牌已整改' }));
    const objectionId = objected.objections[0]!.id;
    a = await fresh(run.id);
    expect((await admin.post(`/api/assessments/${run.id}/finalise`, { version: a.version })).statusCode).toBe(422);
    const answered = ok<ScoreSheet>(
      await admin.post(`/api/assessment-objections/${objectionId}/answer`, {
        answer: '经核实整改到位，酌情加回2分',
        outcome: 'upheld',
        delta: 2,
      }),
    );
    expect(answered.lines.find((l) => l.ruleId === 'yellow')).toMatchObject({ computed: -5, adjustment: 2, points: -3 });
    expect((await admin.post(`/api/assessment-objections/${objectionId}/answer`, { answer: '再次', outcome: 'rejected' })).statusCode).toBe(
      409,
    );
    a = await fresh(run.id);
    const final = ok<Assessment>(await admin.post(`/api/assessments/${run.id}/finalise`, { version: a.version }));
    expect(final.stage).toBe('final');
    const qixian = final.units.find((u) => u.orgId === county.id)!;
    expect(qixian.total).toBe(102);
    // Nobody changes a final score.
    expect(
      (
        await admin.post(`/api/assessments/${run.id}/adjustments`, {
          version: final.version,
          orgId: county.id,
          ruleId: 'late',
          delta: 1,
          reason: 'x',
        })
      ).statusCode,
    ).toBe(422);
    expect((await unit.post(`/api/assessments/${run.id}/objections`, { ruleId: 'late', text: '再议' })).statusCode).toBe(422);
    expect((await unit.post(`/api/assessments/${run.id}/notes`, { ruleId: 'late', text: '补充' })).statusCode).toBe(422);
    expect((await admin.post(`/api/assessments/${run.id}/publish`, { version: final.version })).statusCode).toBe(422);
    expect((await fresh(run.id)).units.find((u) => u.orgId === county.id)!.total).toBe(102);
    // The scheme is frozen: editing it makes revision 2, leaving the run's rules alone.
    const s = ok<AssessmentScheme>(await admin.get(`/api/assessment-schemes/${scheme.id}`));
    expect(s.frozen).toBe(true);
    const revised = ok<AssessmentScheme>(
      await admin.put(`/api/assessment-schemes/${scheme.id}`, {
        version: s.version,
        name: s.name,
        scheme: { ...s.scheme, honourCount: 2 },
      }),
    );
    expect(revised).toMatchObject({ familyId: scheme.id, revision: 2, frozen: false });
    expect(revised.id).not.toBe(scheme.id);
    // A correction is a recorded re-issue: a new draft linked to the final one, with its entries.
    const reissued = ok<Assessment>(await admin.post(`/api/assessments/${run.id}/reissue`, { reason: '更正领导评价' }), 201);
    expect(reissued).toMatchObject({ stage: 'draft', reissueOf: run.id });
    expect(reissued.units.find((u) => u.orgId === county.id)!.total).toBe(102);
    // The re-issue carries the same frozen record, copied inside the database byte for byte.
    const records = await t().db.selectFrom('assessments').select(['id', 'record_json']).where('id', 'in', [run.id, reissued.id]).execute();
    expect(records).toHaveLength(2);
    expect(records[0]!.record_json.length).toBeGreaterThan(100);
    expect(records[0]!.record_json).toBe(records[1]!.record_json);
    expect(ok<{ identical: boolean }>(await admin.get(`/api/assessments/${reissued.id}/verify`)).identical).toBe(true);
    // Consequences were proposed on finalising: the 红榜 of each group rewarded, the 黑榜 interviewed.
    const cons = ok<{ items: { id: string; kind: string; orgId: string }[] }>(await admin.get(`/api/assessments/${run.id}/consequences`));
    expect(cons.items.filter((c) => c.orgId === county.id).map((c) => c.kind)).toEqual(['reward']);
    // 浚县 is the counties' 黑榜 and in the last tier (不合格, 73), so 问责 rather than 约谈.
    const interview = cons.items.find((c) => c.orgId === t().orgs.county2.id)!;
    expect(interview.kind).toBe('accountability');
    const decided = ok<{ status: string; noticeId: string | null }>(
      await admin.post(`/api/assessment-consequences/${interview.id}/decide`, { decision: 'confirm', note: '约谈主要负责同志' }),
    );
    expect(decided.status).toBe('confirmed');
    expect((await admin.post(`/api/assessment-consequences/${interview.id}/decide`, { decision: 'dismiss' })).statusCode).toBe(409);
    // Every step is in the audit log.
    const actions = (
      await t().db.selectFrom('audit_events').select('action').where('entity_id', 'in', [run.id, reissued.id]).execute()
    ).map((r) => r.action);
    for (const action of [
      'assessment.create',
      'assessment.self_assess',
      'assessment.adjust',
      'assessment.manual',
      'assessment.publish',
      'assessment.object',
      'assessment.answer_objection',
      'assessment.finalise',
      'assessment.reissue',
    ]) {
      expect(actions).toContain(action);
    }
  });

  it('a county sees only its own sheet until 初评; objects only for itself and only in the window', async () => {
    const { run } = await setup();
    const { county, county2 } = t().orgs;
    // Draft: 淇县 sees its own unit only, no ranking, not 浚县's sheet.
    const own = ok<Assessment>(await unit.get(`/api/assessments/${run.id}`));
    expect(own.units.map((u) => u.orgId)).toEqual([county.id]);
    expect(own.progress.map((u) => u.orgId)).toEqual([county.id]);
    expect(ok<ScoreSheet>(await sheet(unit, run.id)).unit.orgId).toBe(county.id);
    expect((await sheet(unit, run.id, county2.id)).statusCode).toBe(403);
    expect((await unit.get(`/api/assessments/${run.id}/ranking`)).statusCode).toBe(403);
    expect((await unit.get(`/api/assessments/${run.id}/consequences`)).statusCode).toBe(403);
    expect((await unit.get('/api/assessment-schemes')).statusCode).toBe(403);
    // Leadership sees everything; the office only enters 自评 for nobody.
    expect(ok<Assessment>(await leader.get(`/api/assessments/${run.id}`)).units).toHaveLength(3);
    expect((await admin.post(`/api/assessments/${run.id}/notes`, { ruleId: 'late', text: '代填' })).statusCode).toBe(403);
    expect((await unit.post(`/api/assessments/${run.id}/objections`, { ruleId: 'late', text: '草稿期' })).statusCode).toBe(422);
    expect((await unit.post(`/api/assessments/${run.id}/notes`, { ruleId: 'nope', text: 'x' })).statusCode).toBe(422);
    // A unit outside the scheme's groups neither notes nor objects.
    const other = await (await makeUser(t(), { orgId: t().orgs.office.id, role: 'unit' })).login();
    expect((await other.post(`/api/assessments/${run.id}/notes`, { ruleId: 'late', text: 'x' })).statusCode).toBe(403);
    const a = await fresh(run.id);
    ok(await admin.post(`/api/assessments/${run.id}/publish`, { version: a.version }));
    // After 初评: the ranking is everyone's; another unit's sheet stays closed.
    const ranking = ok<Ranking>(await unit.get(`/api/assessments/${run.id}/ranking`));
    expect(ranking.groups.find((g) => g.id === 'counties')!.rows.map((r) => r.orgId)).toEqual([county2.id, county.id]);
    expect((await sheet(unit, run.id, county2.id)).statusCode).toBe(403);
    const objected = ok<ScoreSheet>(await unit2.post(`/api/assessments/${run.id}/objections`, { ruleId: 'returned', text: '已补报' }));
    expect(objected.unit.orgId).toBe(county2.id);
    expect(ok<ScoreSheet>(await sheet(unit, run.id)).objections).toEqual([]);
    // Past the window's last day (the server's today), objections are refused.
    const config = t().app.appConfig;
    const saved = config.today;
    config.today = '2099-01-01';
    try {
      expect((await unit.post(`/api/assessments/${run.id}/objections`, { ruleId: 'late', text: '逾期' })).statusCode).toBe(422);
    } finally {
      config.today = saved;
    }
    expect((await lead.post(`/api/assessments/${run.id}/objections`, { ruleId: 'late', text: '部门' })).statusCode).toBe(200);
  });

  it('recomputing a final assessment from the stored snapshots and events gives the same bytes; live edits change nothing', async () => {
    const { run, f } = await setup();
    let a = await fresh(run.id);
    ok(await admin.post(`/api/assessments/${run.id}/publish`, { version: a.version }));
    a = await fresh(run.id);
    const final = ok<Assessment>(await admin.post(`/api/assessments/${run.id}/finalise`, { version: a.version }));
    const v1 = ok<{ identical: boolean; recordSha256: string; recomputedSha256: string }>(
      await admin.get(`/api/assessments/${run.id}/verify`),
    );
    expect(v1.identical).toBe(true);
    expect(v1.recomputedSha256).toBe(v1.recordSha256);
    // Live edits after the periods closed: the target's value, a report in a new open period.
    const task = ok<{ targets: { id: string; version: number }[] }>(await admin.get(`/api/tasks/${f.taskA}`));
    const target = task.targets.find((x) => x.id === f.targetCounty2)!;
    ok(await admin.patch(`/api/targets/${target.id}`, { version: target.version, value: 10, status: 'done' }));
    const jan = await makePeriod(t(), f.planId, { start: '2027-01-01', open: true });
    await makeReport(unit, jan.id, { taskId: f.taskA, targetId: f.targetCounty, value: 5 }, { approveBy: admin });
    await makeReport(unit2, jan.id, { taskId: f.taskA, targetId: f.targetCounty2, value: 50 }, { approveBy: admin });
    const v2 = ok<{ identical: boolean }>(await admin.get(`/api/assessments/${run.id}/verify`));
    expect(v2.identical).toBe(true);
    expect((await fresh(run.id)).units).toEqual(final.units);
    expect((await unit.get(`/api/assessments/${run.id}/verify`)).statusCode).toBe(403);
  });

  it('年终综合考评 combines two half-years and the review with the review scheme’s weights', async () => {
    const { f, scheme, run } = await setup();
    const finalise = async (id: string) => {
      let a = await fresh(id);
      ok(await admin.post(`/api/assessments/${id}/publish`, { version: a.version }));
      a = await fresh(id);
      return ok<Assessment>(await admin.post(`/api/assessments/${id}/finalise`, { version: a.version }));
    };
    const start = async (schemeId: string, title: string, s: string, e: string) =>
      ok<Assessment>(await admin.post('/api/assessments', { schemeId, planId: f.planId, title, start: s, end: e, objectionDays: 5 }), 201);
    const h1 = await finalise(run.id);
    const second = await start(scheme.id, '10月', '2026-10-01', '2026-10-31');
    const h2 = await finalise(second.id);
    const s = ok<AssessmentScheme>(await admin.get(`/api/assessment-schemes/${scheme.id}`));
    const withWeights = ok<AssessmentScheme>(
      await admin.put(`/api/assessment-schemes/${scheme.id}`, {
        version: s.version,
        name: s.name,
        scheme: { ...s.scheme, yearEnd: { firstHalf: 0.3, secondHalf: 0.3, review: 0.4 } },
      }),
    );
    const third = await start(withWeights.id, '年终评议', '2026-11-01', '2026-12-31');
    const review = await finalise(third.id);
    const query = `firstHalf=${h1.id}&secondHalf=${h2.id}&review=${review.id}`;
    const year = ok<{ weights: { review: number }; rows: { orgId: string; total: number; rank: number; firstHalf: number | null }[] }>(
      await leader.get(`/api/assessments/year-end?${query}`),
    );
    expect(year.weights.review).toBe(0.4);
    const totalOf = (a: Assessment, orgId: string) => a.units.find((u) => u.orgId === orgId)!.total;
    for (const row of year.rows) {
      const expected =
        Math.round((0.3 * totalOf(h1, row.orgId) + 0.3 * totalOf(h2, row.orgId) + 0.4 * totalOf(review, row.orgId)) * 100) / 100;
      expect(row.total).toBeCloseTo(expected, 2);
      expect(row.firstHalf).toBe(totalOf(h1, row.orgId));
    }
    expect(year.rows).toHaveLength(3);
    expect((await unit.get(`/api/assessments/year-end?${query}`)).statusCode).toBe(403);
    // A part that is not final is refused.
    const draft = await start(scheme.id, '草稿', '2026-10-01', '2026-12-31');
    expect((await leader.get(`/api/assessments/year-end?firstHalf=${h1.id}&secondHalf=${draft.id}&review=${review.id}`)).statusCode).toBe(
      422,
    );
  });

  it('rejects a scheme that breaks a shared rule with problem+json naming the rule, in the caller’s language; a stored older revision still reads', async () => {
    type Issue = { path: string; message: string; issue?: string; rule?: string; values?: Record<string, string | number> };
    const reject = async (scheme: unknown, lang?: string) => {
      const res = await admin.request({
        method: 'POST',
        url: '/api/assessment-schemes',
        payload: { name: '坏方案', scheme },
        ...(lang ? { headers: { 'accept-language': lang } } : {}),
      });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      const problem = res.json() as { code: string; errors: Issue[] };
      expect(problem.code).toBe('validation');
      return problem.errors;
    };
    const base = schemeBody();
    const c = t().orgs.county.id;
    const c2 = t().orgs.county2.id;
    const d = t().orgs.leadDept.id;
    const cases: { scheme: unknown; path: string; rule: string; zh: string; en: string }[] = [
      {
        // Thresholds going up.
        scheme: {
          ...base,
          tiers: {
            mode: 'threshold',
            tiers: [
              { id: 'a', label: '优秀', min: 85 },
              { id: 'b', label: '良好', min: 90 },
              { id: 'c', label: '不合格' },
            ],
          },
        },
        path: 'scheme.tiers.tiers.1.min',
        rule: 'tier_min_order',
        zh: '最低分须从高到低：“良好”的 90 分应低于“优秀”的 85 分',
        en: 'Minimum scores must go down: “良好” (90) must be below “优秀” (85)',
      },
      {
        scheme: {
          ...base,
          tiers: {
            mode: 'threshold',
            tiers: [
              { id: 'a', label: '优秀' },
              { id: 'c', label: '不合格' },
            ],
          },
        },
        path: 'scheme.tiers.tiers.0.min',
        rule: 'tier_min_required',
        zh: '等次“优秀”须填最低分',
        en: 'Tier “优秀” needs a minimum score',
      },
      {
        scheme: {
          ...base,
          tiers: {
            mode: 'quota',
            tiers: [
              { id: 'a', label: '优秀', share: 0.6 },
              { id: 'b', label: '良好', share: 0.5 },
              { id: 'c', label: '不合格' },
            ],
          },
        },
        path: 'scheme.tiers.tiers',
        rule: 'tier_share_sum',
        zh: '各等次比例合计 110%，不能超过 100%',
        en: 'The tiers’ percentages add up to 110%, more than 100%',
      },
      {
        scheme: {
          ...base,
          tiers: {
            mode: 'quota',
            tiers: [
              { id: 'a', label: '优秀', count: 2 },
              { id: 'b', label: '良好', count: 1 },
              { id: 'c', label: '不合格' },
            ],
          },
        },
        path: 'scheme.tiers.tiers',
        rule: 'tier_count_sum',
        zh: '各等次名额合计 3 个，超过最大分组的 2 个单位',
        en: 'The tiers’ quotas add up to 3, more than the 2 units of the largest group',
      },
      {
        scheme: {
          ...base,
          tiers: {
            mode: 'quota',
            tiers: [
              { id: 'a', label: '优秀', count: 1, share: 0.1 },
              { id: 'c', label: '不合格' },
            ],
          },
        },
        path: 'scheme.tiers.tiers.0.count',
        rule: 'tier_quota_required',
        zh: '等次“优秀”须填名额：个数或比例，二选一',
        en: 'Tier “优秀” needs a quota: a count or a percentage, not both',
      },
      {
        scheme: {
          ...base,
          groups: [
            { id: 'counties', label: '县区', orgIds: [c, c2] },
            { id: 'depts', label: '部门', orgIds: [d, c2] },
          ],
        },
        path: 'scheme.groups.1.orgIds',
        rule: 'group_overlap',
        zh: '一个单位只能属于一个分组：已在分组“县区”中',
        en: 'A unit belongs to one group only: it is already in “县区”',
      },
      {
        scheme: { ...base, groups: [...base.groups, { id: 'none', label: '空组', orgIds: [] }] },
        path: 'scheme.groups.2.orgIds',
        rule: 'group_empty',
        zh: '分组“空组”至少要有一个单位',
        en: 'Group “空组” needs at least one unit',
      },
      {
        scheme: { ...base, multipliers: [{ id: 'm', label: '山区', factor: 1.1, orgIds: [c], groupId: 'counties' }] },
        path: 'scheme.multipliers.0.orgIds',
        rule: 'multiplier_target',
        zh: '难度系数“山区”须指定单位或分组，二选一',
        en: 'Coefficient “山区” applies to units or to a group: choose one',
      },
      {
        scheme: { ...base, multipliers: [{ id: 'm', label: '山区', factor: 1.1, orgIds: [t().orgs.office.id] }] },
        path: 'scheme.multipliers.0.orgIds',
        rule: 'multiplier_not_assessed',
        zh: '难度系数“山区”的单位不在任何分组中',
        en: 'Coefficient “山区” names a unit that is in no group',
      },
      {
        scheme: {
          ...base,
          multipliers: [
            { id: 'm1', label: '山区', factor: 1.1, groupId: 'counties' },
            { id: 'm2', label: '平原', factor: 0.9, groupId: 'counties' },
          ],
        },
        path: 'scheme.multipliers.1.factor',
        rule: 'multiplier_twice',
        zh: '同一单位或分组只能有一个难度系数（“平原”重复）',
        en: 'A unit or group has one coefficient only (“平原” repeats one)',
      },
      {
        scheme: { ...base, multipliers: [{ id: 'm', label: '山区', factor: 1.1, groupId: 'nowhere' }] },
        path: 'scheme.multipliers.0.groupId',
        rule: 'multiplier_unknown_group',
        zh: '没有这个分组：nowhere',
        en: 'No such group: nowhere',
      },
      {
        scheme: { ...base, yearEnd: { firstHalf: 0.3, secondHalf: 0.3, review: 0.3 } },
        path: 'scheme.yearEnd',
        rule: 'year_end_sum',
        zh: '年终权重合计须为 100%，现为 90%',
        en: 'The year-end weights must add up to 100% (now 90%)',
      },
      {
        scheme: {
          ...base,
          vetoes: [
            ...base.vetoes,
            { id: 'criticised', label: '约谈', when: { kind: 'escalation_at_least', step: 'interview' }, effect: 'fail' },
          ],
        },
        path: 'scheme.vetoes.1.id',
        rule: 'duplicate_id',
        zh: '编号重复：criticised',
        en: 'Duplicate id: criticised',
      },
    ];
    for (const k of cases) {
      const zh = (await reject(k.scheme)).find((e) => e.rule === k.rule);
      expect(zh, k.rule).toMatchObject({ path: k.path, issue: 'custom', message: k.zh });
      const en = (await reject(k.scheme, 'en-GB,en;q=0.9,zh-CN;q=0.5')).find((e) => e.rule === k.rule);
      expect(en, k.rule).toMatchObject({ path: k.path, message: k.en });
    }
    // A veto's condition outside the kinds the types allow is a plain zod issue, still a 400.
    const badVeto = await reject({ ...base, vetoes: [{ id: 'x', label: '否决', when: { kind: 'audit_failed' }, effect: 'no_top' }] });
    expect(badVeto[0]).toMatchObject({ path: 'scheme.vetoes.0.when.kind' });
    const badEffect = await reject({ ...base, vetoes: [{ id: 'x', label: '否决', when: { kind: 'manual' }, effect: 'cap' }] });
    expect(badEffect[0]).toMatchObject({ path: 'scheme.vetoes.0.effect', issue: 'invalid_value' });

    // The same rules on an edit, and a good scheme still saves.
    const good = ok<AssessmentScheme>(await admin.post('/api/assessment-schemes', { name: `好方案${Math.random()}`, scheme: base }), 201);
    const put = await admin.put(`/api/assessment-schemes/${good.id}`, {
      version: good.version,
      name: good.name,
      scheme: { ...base, yearEnd: { firstHalf: 0.5, secondHalf: 0.5, review: 0.5 } },
    });
    expect(put.statusCode).toBe(400);
    expect((put.json() as { errors: Issue[] }).errors).toContainEqual(
      expect.objectContaining({ path: 'scheme.yearEnd', rule: 'year_end_sum', values: { sum: 150 } }),
    );

    // A revision stored before a rule existed (thresholds going up) still lists and reads: the
    // response is the scheme's shape, not its rules, so no 500; saving it again is what is refused.
    const old = {
      ...base,
      tiers: {
        mode: 'threshold',
        tiers: [
          { id: 'a', label: '优秀', min: 80 },
          { id: 'b', label: '良好', min: 90 },
          { id: 'c', label: '不合格' },
        ],
      },
    };
    await t()
      .db.updateTable('assessment_schemes')
      .set({ scheme_json: JSON.stringify(old) })
      .where('id', '=', good.id)
      .execute();
    expect(ok<AssessmentScheme>(await admin.get(`/api/assessment-schemes/${good.id}`)).scheme.tiers.tiers[1]!.min).toBe(90);
    expect(ok<{ items: AssessmentScheme[] }>(await admin.get('/api/assessment-schemes')).items.some((s) => s.id === good.id)).toBe(true);
    const again = await admin.put(`/api/assessment-schemes/${good.id}`, { version: good.version, name: good.name, scheme: old });
    expect(again.statusCode).toBe(400);
  });

  it('drafts, edits and issues a 通报; units see it only once issued; .pdf and .docx download', async () => {
    const { run } = await setup();
    let a = await fresh(run.id);
    ok(await admin.post(`/api/assessments/${run.id}/publish`, { version: a.version }));
    expect((await admin.post(`/api/assessments/${run.id}/bulletins`)).statusCode).toBe(422);
    a = await fresh(run.id);
    ok(await admin.post(`/api/assessments/${run.id}/finalise`, { version: a.version }));
    const draft = ok<Bulletin>(await admin.post(`/api/assessments/${run.id}/bulletins`), 201);
    expect(draft.content.docNumber).toMatch(/〔2026〕\d+号$/);
    expect(draft.content.table.rows.map((r) => r[2])).toEqual(['浚县', '淇县', '市住房和城乡建设局']);
    expect(draft.content.paragraphs.join('')).toContain('红榜：浚县、市住房和城乡建设局');
    expect(draft.missingGlyphs).toEqual([]);
    expect((await unit.get(`/api/bulletins/${draft.id}`)).statusCode).toBe(404);
    const edited = ok<Bulletin>(
      await admin.put(`/api/bulletins/${draft.id}`, {
        version: draft.version,
        content: { ...draft.content, title: '关于第四季度考核情况的通报' },
      }),
    );
    const issued = ok<Bulletin>(await admin.post(`/api/bulletins/${draft.id}/issue`, { version: edited.version }));
    expect(issued).toMatchObject({ status: 'issued' });
    expect((await admin.put(`/api/bulletins/${draft.id}`, { version: issued.version, content: issued.content })).statusCode).toBe(422);
    expect(ok<Bulletin>(await unit.get(`/api/bulletins/${draft.id}`)).content.title).toBe('关于第四季度考核情况的通报');
    const pdf = await unit.get(`/api/bulletins/${draft.id}/pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    // Rendered from the frozen text and issue time: the same bytes each time.
    expect((await unit.get(`/api/bulletins/${draft.id}/pdf`)).rawPayload.equals(pdf.rawPayload)).toBe(true);
    const docx = await admin.get(`/api/bulletins/${draft.id}/docx`);
    expect(docx.statusCode).toBe(200);
    expect(docx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const next = ok<Bulletin>(await admin.post(`/api/assessments/${run.id}/bulletins`), 201);
    expect(next.serial).toBe(issued.serial + 1);
  });
});
