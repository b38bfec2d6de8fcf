import { describe, expect, it } from 'vitest';
import { combineYearEnd, honourRoll, projectShare, rankAndTier, scoreAssessment } from './assessment.engine.ts';
import type { AssessmentRecord, NoticeFact, OfficeInput, ProjectFact, ReportFact, Scheme } from './assessment.types.ts';

// A 100-point scheme of the genre (+ a 10-point 领导评价): 报送 30 (at most −20), 督办 30,
// 目标 40 (at most +5 on top), 领导评价 0..10.
const scheme: Scheme = {
  categories: [
    { id: 'rep', label: '报送', points: 30, maxDeduction: 20 },
    { id: 'sup', label: '督办', points: 30 },
    { id: 'goal', label: '目标', points: 40, maxAddition: 5 },
    { id: 'lead', label: '领导评价', points: 0 },
  ],
  rules: [
    { id: 'late', categoryId: 'rep', kind: 'report_late', label: '迟报', points: -1 },
    { id: 'returned', categoryId: 'rep', kind: 'report_returned', label: '退回', points: -2 },
    { id: 'missing', categoryId: 'rep', kind: 'report_missing', label: '半年报未报', points: -10, frequency: 'half_yearly' },
    { id: 'ontime', categoryId: 'goal', kind: 'finished_on_time', label: '按时完成', points: 1 },
    { id: 'nlate', categoryId: 'sup', kind: 'notice_late', label: '督办逾期', points: -3 },
    { id: 'yellow', categoryId: 'sup', kind: 'notice_escalation', label: '黄牌', points: -5, step: 'yellow_card' },
    { id: 'red', categoryId: 'sup', kind: 'notice_escalation', label: '红牌', points: -10, step: 'red_card' },
    { id: 'leader', categoryId: 'lead', kind: 'manual', label: '领导评价', points: 0, max: 10 },
  ],
  vetoes: [{ id: 'v-red', label: '红牌督办', when: { kind: 'escalation_at_least', step: 'red_card' }, effect: 'no_top' }],
  multipliers: [{ id: 'm-x', label: '难度系数', factor: 1.05, orgIds: ['X'] }],
  tiers: {
    mode: 'threshold',
    tiers: [
      { id: 'excellent', label: '优秀', min: 90 },
      { id: 'good', label: '良好', min: 80 },
      { id: 'pass', label: '合格', min: 60 },
      { id: 'fail', label: '不合格' },
    ],
  },
  groups: [
    { id: 'counties', label: '县区', orgIds: ['X', 'Y', 'Z'] },
    { id: 'depts', label: '部门', orgIds: ['W'] },
  ],
  honourCount: 1,
  yearEnd: { firstHalf: 0.3, secondHalf: 0.3, review: 0.4 },
};

let seq = 0;
function fact(orgId: string, f: Partial<ReportFact>): ReportFact {
  seq += 1;
  return {
    id: `s${seq}`,
    orgId,
    periodId: 'p1',
    frequency: 'monthly',
    periodEnd: '2018-04-30',
    taskId: `t${seq}`,
    targetId: null,
    reportId: `r${seq}`,
    reportStatus: 'approved',
    isLate: false,
    status: 'on_track',
    ...f,
  };
}
function notice(orgId: string, n: Partial<NoticeFact> & { noticeId: string }): NoticeFact {
  return { id: `${n.noticeId}:${orgId}`, orgId, dueDate: '2018-05-01', answeredOn: null, steps: [], ...n };
}

const record: AssessmentRecord = {
  asOf: '2018-06-30',
  units: [
    { orgId: 'X', name: '甲县' },
    { orgId: 'Y', name: '乙县' },
    { orgId: 'Z', name: '丙县' },
    { orgId: 'W', name: '丁局' },
  ],
  reports: [
    fact('X', { id: 'x-late', isLate: true }),
    fact('X', { id: 'x-ret', reportStatus: 'returned' }),
    fact('X', { id: 'x-miss', frequency: 'half_yearly', reportStatus: null, reportId: null }),
    // A monthly row with no report is not a missing half-year report.
    fact('X', { id: 'x-miss-monthly', reportStatus: null, reportId: null }),
    fact('X', { id: 'x-done-apr', taskId: 't-done', status: 'done' }),
    fact('X', { id: 'x-done-may', taskId: 't-done', status: 'done', periodEnd: '2018-05-31' }),
    ...Array.from({ length: 25 }, (_, i) => fact('Y', { id: `y-late-${i}`, isLate: true })),
    fact('Z', {}),
    fact('W', {}),
  ],
  notices: [
    notice('X', { noticeId: 'n1', answeredOn: '2018-05-03', steps: [{ step: 'yellow_card', on: '2018-05-02', id: 'e1' }] }),
    notice('Z', { noticeId: 'n2', dueDate: '2018-06-01', steps: [{ step: 'red_card', on: '2018-06-10', id: 'e2' }] }),
    // Due after the range end and unanswered: not late yet.
    notice('W', { noticeId: 'n3', dueDate: '2018-07-15' }),
  ],
};

const office: OfficeInput = {
  manual: [
    { ruleId: 'leader', orgId: 'X', points: 8 },
    { ruleId: 'leader', orgId: 'Y', points: 12 },
  ],
  adjustments: [{ ruleId: 'late', orgId: 'Y', delta: 7, id: 'adj1' }],
  vetoes: [],
};

describe('scoreAssessment: the worked example (computed by hand)', () => {
  const result = scoreAssessment(scheme, record, office);
  const unit = (id: string) => result.units.find((u) => u.orgId === id)!;
  const line = (org: string, rule: string) => unit(org).lines.find((l) => l.ruleId === rule)!;

  it('甲县 X: 报送 30−1−2−10 = 17; 督办 30−3−5 = 22; 目标 40+1 = 41; 领导 8; 88 × 1.05 = 92.4', () => {
    const x = unit('X');
    expect(x.categories.map((c) => c.score)).toEqual([17, 22, 41, 8]);
    expect(x.subtotal).toBe(88);
    expect(x.multiplier).toBe(1.05);
    expect(x.total).toBe(92.4);
    expect(x.tierId).toBe('excellent');
    expect(x.rank).toBe(1);
  });

  it('each line carries the events that produced it; a finished item counts once', () => {
    expect(line('X', 'late')).toMatchObject({ count: 1, computed: -1, points: -1, eventIds: ['x-late'] });
    expect(line('X', 'returned').eventIds).toEqual(['x-ret']);
    expect(line('X', 'missing')).toMatchObject({ count: 1, points: -10, eventIds: ['x-miss'] });
    expect(line('X', 'ontime')).toMatchObject({ count: 1, points: 1, eventIds: ['x-done-apr'] });
    expect(line('X', 'nlate').eventIds).toEqual(['n1:X']);
    expect(line('X', 'yellow').eventIds).toEqual(['e1']);
    expect(line('X', 'red')).toMatchObject({ count: 0, points: 0, eventIds: [] });
  });

  it('乙县 Y: 25 late = −25, adjusted +7 = −18 (cap −20 not reached): 12 + 30 + 40 + 10 (manual 12 capped at 10) = 92', () => {
    const y = unit('Y');
    expect(line('Y', 'late')).toMatchObject({ count: 25, computed: -25, adjustment: 7, points: -18, adjustmentIds: ['adj1'] });
    expect(line('Y', 'leader').points).toBe(10);
    expect(y.categories.map((c) => c.score)).toEqual([12, 30, 40, 10]);
    expect(y.total).toBe(92);
    expect(y.rank).toBe(2);
  });

  it('without the adjustment the category cap holds at −20', () => {
    const r = scoreAssessment(scheme, record, { ...office, adjustments: [] });
    const y = r.units.find((u) => u.orgId === 'Y')!;
    expect(y.categories[0]).toMatchObject({ raw: -25, applied: -20, score: 10 });
  });

  it('丙县 Z: an unanswered overdue notice with a red card: 督办 30−3−10 = 17, total 87, vetoed from the top tier', () => {
    const z = unit('Z');
    expect(z.total).toBe(87);
    expect(z.vetoes).toEqual(['v-red']);
    expect(z.tierId).toBe('good');
    expect(z.rank).toBe(3);
  });

  it('丁局 W is ranked in its own group; a notice not yet due costs nothing', () => {
    expect(unit('W')).toMatchObject({ groupId: 'depts', total: 100, rank: 1, tierId: 'excellent' });
  });

  it('is deterministic: the same input gives the same JSON', () => {
    expect(JSON.stringify(scoreAssessment(scheme, record, office))).toBe(JSON.stringify(result));
  });
});

describe('caps, multipliers and vetoes', () => {
  const one = (s: Scheme, facts: ReportFact[], o: Partial<OfficeInput> = {}) =>
    scoreAssessment(
      s,
      { asOf: '2018-06-30', units: [{ orgId: 'X', name: '甲县' }], reports: facts, notices: [] },
      { manual: [], adjustments: [], vetoes: [], ...o },
    ).units[0]!;

  it('a category never goes below zero even without a cap', () => {
    const s: Scheme = { ...scheme, categories: scheme.categories.map((c) => (c.id === 'rep' ? { ...c, maxDeduction: undefined } : c)) };
    const x = one(
      s,
      Array.from({ length: 40 }, () => fact('X', { isLate: true })),
    );
    expect(x.categories[0]).toMatchObject({ raw: -40, applied: -30, score: 0 });
  });

  it('additions stop at maxAddition', () => {
    const x = one(
      scheme,
      Array.from({ length: 9 }, () => fact('X', { status: 'done' })),
    );
    expect(x.categories[2]).toMatchObject({ raw: 9, applied: 5, score: 45 });
  });

  it('group and unit multipliers multiply', () => {
    const s: Scheme = { ...scheme, multipliers: [...scheme.multipliers, { id: 'g', label: '县区', factor: 0.9, groupId: 'counties' }] };
    const x = one(s, []);
    expect(x.multiplier).toBeCloseTo(0.945);
    expect(x.total).toBe(94.5);
  });

  it('a manual veto with effect fail puts the unit in the last tier whatever its score', () => {
    const s: Scheme = { ...scheme, vetoes: [{ id: 'v-m', label: '通报批评', when: { kind: 'manual' }, effect: 'fail' }] };
    const x = one(s, [], { vetoes: [{ vetoId: 'v-m', orgId: 'X' }] });
    expect(x.total).toBe(105);
    expect(x).toMatchObject({ vetoes: ['v-m'], tierId: 'fail' });
  });

  it('bonus points are clamped to 0..max', () => {
    const s: Scheme = {
      ...scheme,
      rules: [...scheme.rules, { id: 'b', categoryId: 'goal', kind: 'bonus', label: '创新加分', points: 0, max: 3 }],
    };
    expect(one(s, [], { manual: [{ ruleId: 'b', orgId: 'X', points: -4 }] }).lines.at(-1)!.points).toBe(0);
    expect(one(s, [], { manual: [{ ruleId: 'b', orgId: 'X', points: 2.5 }] }).lines.at(-1)!.points).toBe(2.5);
  });

  it("a rule limited to a section's tasks counts only their rows", () => {
    const s: Scheme = {
      ...scheme,
      rules: [{ id: 'sec', categoryId: 'goal', kind: 'finished_on_time', label: '一、', points: 1, taskIds: ['in'] }],
    };
    const facts = [fact('X', { taskId: 'in', status: 'done', id: 'in-1' }), fact('X', { taskId: 'out', status: 'done' })];
    expect(one(s, facts).lines[0]).toMatchObject({ count: 1, eventIds: ['in-1'] });
  });

  it('target_done counts a target once, by its last period', () => {
    const s: Scheme = { ...scheme, rules: [{ id: 'td', categoryId: 'goal', kind: 'target_done', label: '目标达成', points: 2 }] };
    const facts = [
      fact('X', { taskId: 'T', targetId: 'g1', status: 'on_track', periodEnd: '2018-04-30' }),
      fact('X', { taskId: 'T', targetId: 'g1', status: 'done', periodEnd: '2018-05-31', id: 'g1-may' }),
      fact('X', { taskId: 'T', targetId: 'g2', status: 'done', periodEnd: '2018-04-30' }),
      fact('X', { taskId: 'T', targetId: 'g2', status: 'at_risk', periodEnd: '2018-05-31' }),
    ];
    expect(one(s, facts).lines[0]).toMatchObject({ count: 1, points: 2, eventIds: ['g1-may'] });
  });

  it('an item is its task and target: a target id seen under two tasks is two items', () => {
    const s: Scheme = { ...scheme, rules: [{ id: 'td', categoryId: 'goal', kind: 'target_done', label: '目标达成', points: 1 }] };
    const facts = [
      fact('X', { taskId: 'A', targetId: 'g', status: 'done', periodEnd: '2018-04-30' }),
      fact('X', { taskId: 'B', targetId: 'g', status: 'on_track', periodEnd: '2018-04-30' }),
      fact('X', { taskId: 'B', targetId: 'g', status: 'done', periodEnd: '2018-05-31', id: 'B-may' }),
      fact('X', { taskId: 'A', targetId: 'g', status: 'on_track', periodEnd: '2018-05-31' }),
    ];
    expect(one(s, facts).lines[0]).toMatchObject({ count: 1, eventIds: ['B-may'] });
    // And a task-level row of a task whose id is a target's is an item of its own.
    const od: Scheme = { ...scheme, rules: [{ id: 'od', categoryId: 'rep', kind: 'deadline_overdue', label: '超期', points: -1 }] };
    const overdue = [
      fact('X', { taskId: 'A', targetId: 'g', status: 'overdue', id: 'A-g' }),
      fact('X', { taskId: 'B', targetId: 'g', status: 'overdue', id: 'B-g' }),
      fact('X', { taskId: 'g', targetId: null, status: 'overdue', id: 'g-task' }),
      fact('X', { taskId: 'A', targetId: 'g', status: 'overdue', periodEnd: '2018-05-31' }),
    ];
    expect(one(od, overdue).lines[0]).toMatchObject({ count: 3, eventIds: ['A-g', 'B-g', 'g-task'] });
  });

  it('deadline_overdue counts an item once, by the first period it was overdue, even when done later', () => {
    const s: Scheme = { ...scheme, rules: [{ id: 'od', categoryId: 'rep', kind: 'deadline_overdue', label: '超期', points: -2 }] };
    const facts = [
      fact('X', { taskId: 'T', targetId: 'g1', status: 'overdue', periodEnd: '2018-04-30', id: 'g1-apr' }),
      fact('X', { taskId: 'T', targetId: 'g1', status: 'overdue', periodEnd: '2018-05-31' }),
      fact('X', { taskId: 'T', targetId: 'g1', status: 'done', periodEnd: '2018-06-30' }),
      fact('X', { taskId: 'T', targetId: 'g2', status: 'at_risk', periodEnd: '2018-04-30' }),
      // A task-level row (no target) is an item of its own.
      fact('X', { taskId: 'T', targetId: null, status: 'overdue', periodEnd: '2018-05-31', id: 'T-may' }),
    ];
    expect(one(s, facts).lines[0]).toMatchObject({ count: 2, points: -4, eventIds: ['g1-apr', 'T-may'] });
  });
});

describe('ranks, quotas and ties', () => {
  const quota: Scheme = {
    ...scheme,
    vetoes: [
      { id: 'nt', label: '不得评优', when: { kind: 'manual' }, effect: 'no_top' },
      { id: 'f', label: '否决', when: { kind: 'manual' }, effect: 'fail' },
    ],
    tiers: {
      mode: 'quota',
      tiers: [
        { id: 'excellent', label: '优秀', share: 0.2 },
        { id: 'good', label: '良好', count: 1 },
        { id: 'pass', label: '合格', count: 1 },
        { id: 'fail', label: '不合格' },
      ],
    },
  };
  const units = (totals: number[], vetoes: Record<number, string[]> = {}) =>
    totals.map((total, i) => ({ orgId: `u${i}`, name: `单位${i}`, groupId: 'g', total, vetoes: vetoes[i] ?? [] }));
  const view = (r: ReturnType<typeof rankAndTier>) => r.map((u) => `${u.orgId}:${u.rank}:${u.tierId}`);

  it('competition ranking; a quota extends over ties at its edge; the last tier takes the rest', () => {
    // ⌊0.2 × 6⌋ = 1 优秀; 良好 count 1 takes u1 and the tied u2; 合格 u3; the rest 不合格.
    expect(view(rankAndTier(quota, units([95, 90, 90, 80, 70, 70])))).toEqual([
      'u0:1:excellent',
      'u1:2:good',
      'u2:2:good',
      'u3:4:pass',
      'u4:5:fail',
      'u5:5:fail',
    ]);
  });

  it('equal totals are ordered by name and never split across tiers', () => {
    const r = rankAndTier(quota, units([90, 90, 90, 90, 90]));
    expect(r.map((u) => u.rank)).toEqual([1, 1, 1, 1, 1]);
    expect(new Set(r.map((u) => u.tierId))).toEqual(new Set(['excellent']));
  });

  it('a no_top unit takes no top quota; a fail unit takes no quota at all', () => {
    const r = rankAndTier(quota, units([95, 90, 85, 80, 70], { 0: ['nt'], 1: ['f'] }));
    // 优秀 ⌊1⌋ goes to u2 (u0 barred, u1 failed); 良好 to u0; 合格 to u3; u1 and u4 不合格.
    expect(view(r)).toEqual(['u0:1:good', 'u1:2:fail', 'u2:3:excellent', 'u3:4:pass', 'u4:5:fail']);
  });

  it('groups are ranked apart', () => {
    const r = rankAndTier(scheme, [
      { orgId: 'a', name: 'a', groupId: 'g1', total: 50, vetoes: [] },
      { orgId: 'b', name: 'b', groupId: 'g2', total: 40, vetoes: [] },
    ]);
    expect(r.map((u) => u.rank)).toEqual([1, 1]);
  });

  it('红榜 and 黑榜 list the ties at the edge; a vetoed unit is never on the 红榜', () => {
    const ranked = rankAndTier(quota, units([95, 95, 90, 70, 70], { 0: ['nt'] }));
    const roll = honourRoll(ranked, 'g', 1);
    expect(roll.red.map((u) => u.orgId)).toEqual(['u1']);
    expect(roll.black.map((u) => u.orgId)).toEqual(['u4', 'u3']);
    const tiesRed = honourRoll(rankAndTier(quota, units([95, 95, 60])), 'g', 1);
    expect(tiesRed.red.map((u) => u.orgId)).toEqual(['u0', 'u1']);
    expect(honourRoll(rankAndTier(quota, units([95])), 'g', 1).black).toEqual([]);
  });
});

describe('combineYearEnd', () => {
  it('weights the half-years and the review (0.3 × 90 + 0.3 × 80 + 0.4 × 95 = 89)', () => {
    const r = combineYearEnd(scheme, [{ orgId: 'X', name: '甲县', vetoes: [] }], {
      firstHalf: new Map([['X', 90]]),
      secondHalf: new Map([['X', 80]]),
      review: new Map([['X', 95]]),
    });
    expect(r[0]).toMatchObject({ total: 89, tierId: 'good', rank: 1 });
  });

  it('a missing part counts 0', () => {
    const r = combineYearEnd(scheme, [{ orgId: 'X', name: '甲县', vetoes: [] }], {
      firstHalf: new Map([['X', 90]]),
      secondHalf: new Map(),
      review: new Map(),
    });
    expect(r[0]!.total).toBe(27);
  });
});

describe('project measures: 开工率 and 投资完成率 as exact shares', () => {
  const fact = (id: string, over: Partial<ProjectFact>): ProjectFact => ({
    id,
    orgId: 'x',
    name: id,
    startDate: '2026-03-01',
    started: false,
    annualPlan: 1_000_000,
    investedYear: 0,
    ...over,
  });
  const facts = [
    fact('a', { started: true, investedYear: 400_000 }),
    fact('b', {}),
    fact('c', { startDate: '2026-12-01', investedYear: 2_000_000 }),
  ];

  it('开工率 counts only projects due by the day; 投资完成率 sums money and caps at the plan', () => {
    expect(projectShare('project_start_rate', facts, '2026-06-30')).toEqual({ num: 1, den: 2, ids: ['a', 'b'] });
    expect(projectShare('project_investment_rate', facts, '2026-06-30')).toEqual({ num: 2_400_000, den: 3_000_000, ids: ['a', 'b', 'c'] });
    const over = [fact('d', { investedYear: 5_000_000 })];
    expect(projectShare('project_investment_rate', over, '2026-06-30')).toMatchObject({ num: 1_000_000, den: 1_000_000 });
    expect(projectShare('project_start_rate', [], '2026-06-30')).toEqual({ num: 0, den: 0, ids: [] });
  });
});

describe('project measures: 资金到位率 and 按期竣工率 scored as points × share', () => {
  const fact = (id: string, orgId: string, over: Partial<ProjectFact>): ProjectFact => ({
    id,
    orgId,
    name: id,
    startDate: '2026-03-01',
    started: true,
    annualPlan: 1_000_000,
    investedYear: 0,
    fundsPlanned: 1_000_000,
    fundsArrived: 0,
    endDate: '2026-10-31',
    completedOn: null,
    ...over,
  });
  const rateScheme: Scheme = {
    categories: [{ id: 'proj', label: '项目建设', points: 0, maxAddition: 100 }],
    rules: [
      { id: 'funds', categoryId: 'proj', kind: 'project_funds_rate', label: '资金到位率', points: 14 },
      { id: 'ontime', categoryId: 'proj', kind: 'project_ontime_rate', label: '按期竣工率', points: 9 },
    ],
    vetoes: [],
    multipliers: [],
    tiers: { mode: 'threshold', tiers: [{ id: 'all', label: '全部' }] },
    groups: [{ id: 'g', label: '县区', orgIds: ['P', 'F', 'E'] }],
    honourCount: 1,
  };
  const record: AssessmentRecord = {
    asOf: '2026-11-30',
    units: [
      { orgId: 'P', name: '部分县' },
      { orgId: 'F', name: '超额县' },
      { orgId: 'E', name: '无项目县' },
    ],
    reports: [],
    notices: [],
    projects: [
      // P: 60万 of 350万 planned arrived; of three projects due by 11-30 one completed by its end date.
      fact('p1', 'P', { fundsArrived: 300_000, completedOn: '2026-10-25' }),
      fact('p2', 'P', { fundsArrived: 200_000, completedOn: '2026-11-10' }),
      fact('p3', 'P', { fundsArrived: 100_000, endDate: '2026-11-15' }),
      fact('p4', 'P', { fundsPlanned: 500_000, endDate: '2027-06-30', completedOn: '2026-11-01' }),
      // No planned funds: not counted for 资金到位率 (whatever it says arrived).
      fact('p5', 'P', { fundsPlanned: 0, fundsArrived: 50_000, endDate: '2027-06-30' }),
      // F: more arrived than planned (reported over several months); both projects on time.
      fact('f1', 'F', { fundsArrived: 1_500_000, completedOn: '2026-10-31' }),
      fact('f2', 'F', { fundsPlanned: 500_000, fundsArrived: 500_000, completedOn: '2026-09-30' }),
    ],
  };
  const office: OfficeInput = { manual: [], adjustments: [], vetoes: [] };
  const lines = (orgId: string) => scoreAssessment(rateScheme, record, office).units.find((u) => u.orgId === orgId)!.lines;

  it('shares: 资金到位率 sums the planned funds of projects with any, 按期竣工率 counts the projects due by the day', () => {
    const p = record.projects!.filter((f) => f.orgId === 'P');
    expect(projectShare('project_funds_rate', p, record.asOf)).toEqual({ num: 600_000, den: 3_500_000, ids: ['p1', 'p2', 'p3', 'p4'] });
    expect(projectShare('project_ontime_rate', p, record.asOf)).toEqual({ num: 1, den: 3, ids: ['p1', 'p2', 'p3'] });
    // A later day makes p4 and p5 due; p4 was completed before its end date, p5 not at all.
    expect(projectShare('project_ontime_rate', p, '2027-06-30')).toEqual({ num: 2, den: 5, ids: ['p1', 'p2', 'p3', 'p4', 'p5'] });
  });

  it('partial: points × share, rounded once to the cent, with the projects behind each line', () => {
    const [funds, ontime] = lines('P');
    // 14 × 60/350 = 2.4; 9 × 1/3 = 3.
    expect(funds).toMatchObject({ ruleId: 'funds', count: 4, computed: 2.4, points: 2.4, eventIds: ['p1', 'p2', 'p3', 'p4'] });
    expect(ontime).toMatchObject({ ruleId: 'ontime', count: 3, computed: 3, points: 3, eventIds: ['p1', 'p2', 'p3'] });
  });

  it('caps 资金到位率 at 1 when more arrived than planned', () => {
    const [funds, ontime] = lines('F');
    expect(
      projectShare(
        'project_funds_rate',
        record.projects!.filter((f) => f.orgId === 'F'),
        record.asOf,
      ),
    ).toMatchObject({
      num: 1_500_000,
      den: 1_500_000,
    });
    expect(funds).toMatchObject({ computed: 14, eventIds: ['f1', 'f2'] });
    expect(ontime).toMatchObject({ computed: 9, eventIds: ['f1', 'f2'] });
  });

  it('denominator 0 (no planned funds, none due) gives full points and no events', () => {
    const [funds, ontime] = lines('E');
    expect(funds).toMatchObject({ count: 0, computed: 14, eventIds: [] });
    expect(ontime).toMatchObject({ count: 0, computed: 9, eventIds: [] });
    expect(projectShare('project_ontime_rate', [], '2026-11-30')).toEqual({ num: 0, den: 0, ids: [] });
  });

  it('a completion day after the planned end is late; none declared is not completed', () => {
    const late = [fact('l', 'P', { endDate: '2026-10-31', completedOn: '2026-11-01' }), fact('n', 'P', { endDate: '2026-10-31' })];
    expect(projectShare('project_ontime_rate', late, '2026-11-30')).toEqual({ num: 0, den: 2, ids: ['l', 'n'] });
  });
});
