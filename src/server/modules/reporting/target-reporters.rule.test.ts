import { describe, expect, it } from 'vitest';
import { expandOrgs, planReportingRows, type ReporterContext, splitJurisdictionLabel, targetReporters } from './target-reporters.rule.ts';

// Registry: 淇县 (qx), 浚县 (xx), 淇滨区 (qb); group 两县 = qx + xx; the office resolved 市城区 → qb.
const names: Record<string, string[]> = { 淇县: ['qx'], 浚县: ['xx'], 淇滨区: ['qb'], 两县: ['g2'], 市城区: ['qb'] };
const ctx: ReporterContext = {
  resolveLabel: (label) => names[label] ?? null,
  membersOf: (id) => (id === 'g2' ? ['qx', 'xx'] : undefined),
  responsibleOf: () => ['g2', 'qb'],
  leadOf: () => ['lead'],
};
const target = (jurisdictionLabel: string | null, jurisdictionOrgId: string | null = null) => ({
  id: 't',
  taskId: 'k',
  jurisdictionLabel,
  jurisdictionOrgId,
});

describe('target reporters', () => {
  it('splits a label into the jurisdictions it names', () => {
    expect(splitJurisdictionLabel('市各城区、浚县')).toEqual(['市各城区', '浚县']);
    expect(splitJurisdictionLabel('淇县和浚县')).toEqual(['淇县', '浚县']);
    expect(splitJurisdictionLabel('全市')).toEqual(['全市']);
  });

  it('expands groups to members once each', () => {
    expect(expandOrgs(['g2', 'qx', 'qb'], ctx.membersOf)).toEqual(['qx', 'xx', 'qb']);
  });

  it('gives a target for named jurisdictions to those only, and an unnamed one to the responsible units', () => {
    expect(targetReporters(target('市各城区、浚县'), ctx)).toEqual({ orgIds: ['xx'], basis: 'jurisdiction', unresolved: ['市各城区'] });
    expect(targetReporters(target('市城区'), ctx)).toEqual({ orgIds: ['qb'], basis: 'jurisdiction', unresolved: [] });
    expect(targetReporters(target('两县', 'g2'), ctx)).toEqual({ orgIds: ['qx', 'xx'], basis: 'jurisdiction', unresolved: [] });
    expect(targetReporters(target('全市'), ctx)).toEqual({ orgIds: ['qx', 'xx', 'qb'], basis: 'responsible', unresolved: ['全市'] });
    expect(targetReporters(target(null), ctx)).toEqual({ orgIds: ['qx', 'xx', 'qb'], basis: 'responsible', unresolved: [] });
    // The office's resolution of the whole label wins over the import's reading.
    expect(targetReporters(target('市城区', 'qx'), ctx).orgIds).toEqual(['qb']);
  });

  it('lists every row with its reporter: task summaries and unnamed targets also by the lead unit', () => {
    const rows = planReportingRows(['k'], [target('淇县', 'qx'), { ...target(null), id: 'u' }], ctx);
    expect(rows.map((r) => `${r.targetId ?? '-'}:${r.orgId}:${r.basis}`)).toEqual([
      '-:qx:responsible',
      '-:xx:responsible',
      '-:qb:responsible',
      '-:lead:lead',
      't:qx:jurisdiction',
      'u:qx:responsible',
      'u:xx:responsible',
      'u:qb:responsible',
      'u:lead:lead',
    ]);
  });
});
