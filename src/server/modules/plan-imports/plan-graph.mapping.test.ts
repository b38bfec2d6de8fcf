import { describe, expect, it } from 'vitest';
import type { PlanExtract, Target } from '../../../plan-parser/plan-extract.types.ts';
import { buildPlanGraph } from './plan-graph.mapping.ts';

const TEXT =
  '一、任务\n开工建设20公里地下综合管廊,其中淇滨区9公里、示范区5.5公里、开发区5.5公里。(牵头单位:市住建局、住建局,责任单位:各县区政府)';

function target(value: number, jurisdictions: string[], needle: string): Target {
  const at = TEXT.indexOf(needle);
  return { value, unit: '公里', comparator: '=', jurisdictions, metric: '地下综合管廊', text: needle, span: [at, at + needle.length] };
}

const extract: PlanExtract = {
  title: '测试方案',
  issuer: null,
  year: 2018,
  sections: [{ path: ['一'], title: '任务', span: [0, TEXT.length], children: [], deadlines: [], targets: [] }],
  tasks: [
    {
      sectionPath: ['一'],
      text: TEXT.slice(5, TEXT.indexOf('(')),
      span: [5, TEXT.indexOf('(')],
      assignment: {
        span: [TEXT.indexOf('('), TEXT.length],
        lead: [
          { mention: '市住建局', name: '市住建局', orgId: 'zj' },
          { mention: '住建局', name: '市住建局', orgId: 'zj' },
        ],
        responsible: [{ mention: '各县区政府', name: '各县区政府' }],
        cooperating: [],
      },
      deadlines: [{ date: '2018-12-31', text: '2018年底前', span: [0, 1] }],
      targets: [
        target(20, [], '20公里'),
        target(9, ['淇滨区'], '淇滨区9公里'),
        target(5.5, ['示范区'], '示范区5.5公里'),
        target(5.5, ['开发区'], '开发区5.5公里'),
      ],
    },
  ],
};

describe('buildPlanGraph', () => {
  let n = 0;
  const graph = buildPlanGraph(extract, {
    text: TEXT,
    fallbackTitle: 'x',
    now: '2026-11-28T00:00:00.000Z',
    newId: () => `id-${++n}`,
    orgIdForUnit: (ref) => ref.orgId ?? (ref.name === '各县区政府' ? 'grp' : null),
    orgIdForJurisdiction: (label) => ({ 淇滨区: 'qb', 示范区: 'sfq' })[label] ?? null,
  });

  it('numbers tasks in document order and links them to their section', () => {
    expect(graph.tasks.map((t) => t.seq)).toEqual([1]);
    expect(graph.tasks[0].section_id).toBe(graph.sections[0].id);
    expect(graph.plan.source_text).toBe(TEXT);
  });

  it('keeps one assignment per organisation and role', () => {
    expect(graph.assignments.map((a) => [a.org_id, a.role])).toEqual([
      ['zj', 'lead'],
      ['grp', 'responsible'],
    ]);
  });

  it('links 其中 parts to their total and maps single jurisdictions', () => {
    const [total, ...parts] = graph.targets;
    expect(total.parent_target_id).toBeNull();
    expect(parts.map((p) => p.parent_target_id)).toEqual([total.id, total.id, total.id]);
    expect(parts.map((p) => p.jurisdiction_org_id)).toEqual(['qb', 'sfq', null]);
    expect(parts.map((p) => p.jurisdiction_label)).toEqual(['淇滨区', '示范区', '开发区']);
  });

  it('does not link parts that would exceed the total', () => {
    const bigger = structuredClone(extract);
    bigger.tasks[0].targets[1].value = 19;
    const g = buildPlanGraph(bigger, {
      text: TEXT,
      fallbackTitle: 'x',
      now: 'now',
      newId: () => `id-${++n}`,
      orgIdForUnit: () => 'o',
      orgIdForJurisdiction: () => null,
    });
    expect(g.targets.every((t) => t.parent_target_id === null)).toBe(true);
  });
});
