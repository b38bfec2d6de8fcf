import { describe, expect, it } from 'vitest';
import { evaluatePlan, liveAsOf, type PlanStatusData } from './status-recompute.service.ts';

const target = (
  id: string,
  taskId: string,
  value: number,
  extra: Partial<PlanStatusData['targets'][number]> = {},
): PlanStatusData['targets'][number] => ({
  id,
  task_id: taskId,
  metric: '公厕',
  jurisdiction_label: null,
  jurisdiction_org_id: null,
  comparator: '>=',
  value,
  baseline: 0,
  deadline: null,
  parent_target_id: null,
  status: 'not_started',
  version: 1,
  ...extra,
});

const approved = (taskId: string, targetId: string | null, endDate: string, extra: Partial<PlanStatusData['approved'][number]> = {}) => ({
  id: `${taskId}/${targetId}/${endDate}`,
  task_id: taskId,
  target_id: targetId,
  org_id: 'county',
  value: null,
  completion_percent: null,
  reported_status: null,
  reviewed_at: `${endDate}T10:00:00Z`,
  end_date: endDate,
  ...extra,
});

function data(partial: Partial<PlanStatusData>): PlanStatusData {
  return {
    startDate: '2026-01-01',
    tasks: [],
    targets: [],
    lastDeadlineByTask: new Map(),
    approved: [],
    leadOrgsByTask: new Map(),
    ...partial,
  };
}

describe('evaluatePlan', () => {
  it('judges a city total by its district shares, and only reports dated by asOf', () => {
    const d = data({
      tasks: [{ id: 'T', seq: 1, status: 'not_started', version: 1 }],
      targets: [
        target('total', 'T', 70),
        target('a', 'T', 10, { parent_target_id: 'total', jurisdiction_label: '淇县' }),
        target('b', 'T', 10, { parent_target_id: 'total' }),
      ],
      lastDeadlineByTask: new Map([['T', '2030-12-31']]),
      approved: [
        approved('T', 'a', '2026-01-31', { value: 10 }),
        approved('T', 'b', '2026-01-31', { value: 10 }),
        approved('T', 'a', '2026-02-28', { value: 2 }),
      ],
    });
    const jan = evaluatePlan(d, '2026-01-31');
    expect(jan.targets.get('a')!.status).toBe('done');
    // The total has no reports of its own: it is as far along as its shares.
    expect(jan.targets.get('total')).toMatchObject({ status: 'done', reason: '全部2项指标已完成' });
    expect(jan.tasks.get('T')).toMatchObject({ status: 'done', reason: '全部2项指标已完成' });
    const feb = evaluatePlan(d, '2026-02-28');
    expect(feb.targets.get('a')!.status).not.toBe('done');
    expect(feb.tasks.get('T')!.reason).toMatch(/^公厕（淇县）：/);
  });

  it('follows the lead unit’s summary for a qualitative task over a district’s report of the same period', () => {
    const d = data({
      tasks: [{ id: 'Q', seq: 1, status: 'not_started', version: 1 }],
      lastDeadlineByTask: new Map([['Q', '2030-12-31']]),
      leadOrgsByTask: new Map([['Q', new Set(['lead'])]]),
      approved: [
        approved('Q', null, '2026-03-31', {
          org_id: 'lead',
          reported_status: 'at_risk',
          completion_percent: 40,
          reviewed_at: '2026-04-01T00:00:00Z',
        }),
        approved('Q', null, '2026-03-31', {
          org_id: 'county',
          reported_status: 'done',
          completion_percent: 100,
          reviewed_at: '2026-04-02T00:00:00Z',
        }),
        approved('Q', null, '2026-02-28', { org_id: 'county', reported_status: 'done', completion_percent: 100 }),
      ],
    });
    expect(evaluatePlan(d, '2026-04-30').tasks.get('Q')).toMatchObject({ status: 'at_risk', reason: '责任单位报告存在风险' });
  });

  it('judges live status at today, or at a later period end that has an approved report', () => {
    const d = data({ approved: [approved('T', 't', '2026-12-31')] });
    expect(liveAsOf(d, '2026-11-28')).toBe('2026-12-31');
    expect(liveAsOf(d, '2027-01-05')).toBe('2027-01-05');
  });
});
