/**
 * The demo's assessment scheme, built from the plan's own sections: one category per top-level
 * section (its points by its share of the tasks, never losing more than it is worth; +1 per item finished on time, −1 per late and −2
 * per returned report of its tasks), a 报送 category (−10 per missing half-year report, −1 per
 * missing monthly one), a 督办 category (−1 per notice answered late, the escalation rungs), a
 * 领导评价 manual item; a red card vetoes 优秀. Counties are ranked with counties, departments with
 * departments. Called by the demo seed with one line.
 */
import type { Scheme } from '../../../assessment/index.ts';
import { TaskListQuery } from '../../../shared/schemas/plan.schema.ts';
import type { Actor } from '../../core/actor.ts';
import type { DbOrTrx } from '../../db/database.ts';
import { listOrganisations } from '../organisations/organisations.service.ts';
import { getPlanDetail } from '../plans/plans.service.ts';
import { listTasks } from '../plans/tasks.service.ts';
import { createScheme } from './assessment.service.ts';

/** Creates the demo scheme for `planId` (as `actor`, the demo's office account); returns its id. */
export async function seedDemoAssessmentScheme(db: DbOrTrx, planId: string, actor: Actor | null): Promise<string | null> {
  if (!actor) return null;
  const tasks = [];
  for (let offset = 0; ; offset += 200) {
    const page = await listTasks(db, planId, TaskListQuery.parse({ limit: 200, offset }), '2018-12-31');
    tasks.push(...page.items);
    if (page.items.length < 200) break;
  }
  // The top-level sections' titles by number: "三" → "三、重点任务".
  const topTitle = new Map((await getPlanDetail(db, planId)).sections.map((sec) => [sec.path[0] ?? '', `${sec.path[0]}、${sec.title}`]));
  const bySection = new Map<string, string[]>();
  for (const t of tasks) {
    const top = topTitle.get(t.sectionPath[0] ?? '') ?? '其他';
    bySection.set(top, [...(bySection.get(top) ?? []), t.id]);
  }
  const orgs = (await listOrganisations(db)).items;
  const kinds = new Map(orgs.map((o) => [o.id, o.kind]));
  const members = new Map(orgs.map((o) => [o.id, o.memberIds]));
  // A group the plan names (各县区政府、管委) stands for its members: they are assessed, not the group.
  const assigned = new Set(
    tasks.flatMap((t) =>
      t.assignments
        .filter((a) => a.role !== 'cooperating')
        .flatMap((a) => (kinds.get(a.orgId) === 'group' ? (members.get(a.orgId) ?? []) : [a.orgId])),
    ),
  );
  const counties = [...assigned].filter((id) => kinds.get(id) === 'jurisdiction').sort();
  const departments = [...assigned].filter((id) => kinds.get(id) === 'department').sort();
  const sectionPoints = 60;
  const sections = [...bySection.entries()];
  let left = sectionPoints;
  const categories: Scheme['categories'] = sections.map(([label, ids], i) => {
    const points = i === sections.length - 1 ? left : Math.round((sectionPoints * ids.length) / tasks.length);
    left -= points;
    // A category never loses more than it is worth (the genre's cap), nor gains more than 5.
    return { id: `s${i + 1}`, label: label.slice(0, 100), points, maxAddition: 5, maxDeduction: points };
  });
  const rules: Scheme['rules'] = sections.flatMap(([label, ids], i) => [
    {
      id: `s${i + 1}-ontime`,
      categoryId: `s${i + 1}`,
      kind: 'finished_on_time' as const,
      label: `${label.slice(0, 80)}：按时完成`,
      points: 1,
      taskIds: ids,
    },
    {
      id: `s${i + 1}-late`,
      categoryId: `s${i + 1}`,
      kind: 'report_late' as const,
      label: `${label.slice(0, 80)}：迟报`,
      points: -1,
      taskIds: ids,
    },
    {
      id: `s${i + 1}-returned`,
      categoryId: `s${i + 1}`,
      kind: 'report_returned' as const,
      label: `${label.slice(0, 80)}：退回`,
      points: -2,
      taskIds: ids,
    },
  ]);
  const scheme: Scheme = {
    categories: [
      ...categories,
      { id: 'report', label: '信息报送', points: 20, maxDeduction: 20 },
      { id: 'supervision', label: '督办落实', points: 20, maxDeduction: 20 },
      { id: 'leader', label: '领导评价', points: 0 },
    ],
    rules: [
      ...rules,
      { id: 'missing-half', categoryId: 'report', kind: 'report_missing', label: '半年报未报送', points: -10, frequency: 'half_yearly' },
      { id: 'missing-month', categoryId: 'report', kind: 'report_missing', label: '月报未报送', points: -1, frequency: 'monthly' },
      { id: 'notice-late', categoryId: 'supervision', kind: 'notice_late', label: '督办逾期未回复', points: -1 },
      { id: 'yellow', categoryId: 'supervision', kind: 'notice_escalation', label: '黄牌督办', points: -3, step: 'yellow_card' },
      { id: 'red', categoryId: 'supervision', kind: 'notice_escalation', label: '红牌督办', points: -5, step: 'red_card' },
      { id: 'leader', categoryId: 'leader', kind: 'manual', label: '领导评价', points: 0, max: 10 },
    ],
    vetoes: [
      { id: 'red-card', label: '年内受红牌督办', when: { kind: 'escalation_at_least', step: 'red_card' }, effect: 'no_top' },
      { id: 'criticised', label: '年内被通报批评', when: { kind: 'manual' }, effect: 'no_top' },
    ],
    multipliers: [],
    tiers: {
      mode: 'threshold',
      tiers: [
        { id: 'excellent', label: '优秀', min: 95 },
        { id: 'good', label: '良好', min: 85 },
        { id: 'pass', label: '合格', min: 70 },
        { id: 'fail', label: '不合格' },
      ],
    },
    groups: [
      { id: 'counties', label: '县区', orgIds: counties },
      { id: 'departments', label: '市直部门', orgIds: departments },
    ].filter((g) => g.orgIds.length > 0),
    honourCount: 2,
    yearEnd: { firstHalf: 0.3, secondHalf: 0.3, review: 0.4 },
  };
  return (await createScheme(db, { name: '百城建设提质工程考核办法', scheme }, actor)).id;
}
