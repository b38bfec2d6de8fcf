import type { DeliveryStatus } from '../../shared/enums.ts';
import type { LedgerRow, OrgRef } from '../../shared/schemas/ledger.schema.ts';

/**
 * Synthetic ledger rows for component tests and the browser benchmark: districts, departments and
 * sections shaped like the Hebi plan, deterministic for a given count.
 */
export const FIXTURE_PLAN_ID = '00000000-0000-4000-8000-00000000a001';
const uuid = (prefix: string, n: number) => `00000000-0000-4000-${prefix}-${String(n).padStart(12, '0')}`;

export const FIXTURE_DISTRICTS: OrgRef[] = ['淇滨区', '山城区', '鹤山区', '浚县政府', '淇县政府', '示范区管委', '开发区管委'].map(
  (name, i) => ({ id: uuid('8001', i + 1), name }),
);
export const FIXTURE_LEADS: OrgRef[] = ['市住房和城乡建设局', '市城乡规划管理局', '市交通运输局', '市生态环境局', '市财政局'].map(
  (name, i) => ({ id: uuid('8002', i + 1), name }),
);
export const FIXTURE_GROUP: OrgRef = { id: uuid('8003', 1), name: '各县区政府' };
export const FIXTURE_SECTIONS = [
  { id: uuid('8004', 1), path: ['一'], title: '总体要求' },
  { id: uuid('8004', 2), path: ['二'], title: '重点任务' },
  { id: uuid('8004', 3), path: ['三'], title: '保障措施' },
];
const SUBJECTS = [
  '城市道路改造提升',
  '老旧小区改造',
  '污水管网建设',
  '公园绿地建设',
  '停车场建设',
  '垃圾分类收运',
  '海绵城市建设',
  '背街小巷整治',
];
const STATUSES: DeliveryStatus[] = ['not_started', 'on_track', 'at_risk', 'overdue', 'done'];

/** `count` rows; every 7th row belongs to `mineOrg` (the signed-in user's) and is editable. */
export function makeLedgerRows(count: number, asOf = '2026-06-15'): LedgerRow[] {
  const rows: LedgerRow[] = [];
  for (let i = 0; i < count; i++) {
    const seq = Math.floor(i / 3) + 1;
    const district = FIXTURE_DISTRICTS[i % FIXTURE_DISTRICTS.length];
    const lead = FIXTURE_LEADS[seq % FIXTURE_LEADS.length];
    const section = FIXTURE_SECTIONS[seq % FIXTURE_SECTIONS.length];
    const status = STATUSES[i % STATUSES.length];
    const subject = SUBJECTS[seq % SUBJECTS.length];
    const taskId = uuid('9000', seq);
    const day = ((i * 7) % 120) - 30;
    const deadline = new Date(Date.parse(`${asOf}T00:00:00Z`) + day * 86_400_000).toISOString().slice(0, 10);
    rows.push({
      key: `${taskId}:${district.id}`,
      taskId,
      planId: FIXTURE_PLAN_ID,
      planTitle: '鹤壁市2018年度百城建设提质工程工作实施方案',
      seq,
      sectionId: section.id,
      sectionIds: [section.id],
      sectionPath: section.path,
      sectionTitle: section.title,
      topSectionTitle: `${section.path[0]}、${section.title}`,
      text: `实施${subject}工程第${seq}项。全市完成${subject}任务，${district.name}按期完成分解指标，打通断头路，改善城市微循环。`,
      lead: [lead],
      responsible: district,
      viaGroup: i % 2 === 0 ? FIXTURE_GROUP : null,
      cooperating: seq % 2 === 0 ? [FIXTURE_LEADS[(seq + 2) % FIXTURE_LEADS.length]] : [],
      deadlines: [deadline],
      targets:
        seq % 3 === 0
          ? []
          : [
              {
                id: uuid('9100', i),
                metric: subject,
                unit: '公里',
                comparator: seq % 2 === 0 ? '>=' : '=',
                value: (seq % 9) + 1,
                maxValue: null,
                jurisdictionLabel: district.name,
                jurisdictionOrgId: district.id,
              },
            ],
      status,
      latestProgress: null,
      isMine: i % 7 === 0,
      canEdit: i % 7 === 0,
    });
  }
  return rows;
}
