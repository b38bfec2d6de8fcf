import type { ProgressReport, ReportingPeriod } from '../../shared/schemas/reporting.schema.ts';
import type { MyReportRowData } from '../features/reporting/api/reporting.api.ts';

export const PERIOD_ID = '00000000-0000-4000-8000-0000000000p1';
export const TASK_ID = '00000000-0000-4000-8000-0000000000t1';
export const TARGET_ID = '00000000-0000-4000-8000-0000000000g1';
export const REPORT_ID = '00000000-0000-4000-8000-0000000000r1';

export const period: ReportingPeriod = {
  id: PERIOD_ID,
  planId: '00000000-0000-4000-8000-0000000000a1',
  label: '2018年6月',
  frequency: 'monthly',
  start: '2018-06-01',
  end: '2018-06-30',
  dueDate: '2018-07-05',
  graceDays: 0,
  closeDate: null,
  status: 'open',
  openedAt: '2018-06-01T00:00:00Z',
  closedAt: null,
  version: 2,
};

export function report(overrides: Partial<ProgressReport> = {}): ProgressReport {
  return {
    id: REPORT_ID,
    periodId: PERIOD_ID,
    taskId: TASK_ID,
    targetId: TARGET_ID,
    orgId: '00000000-0000-4000-8000-0000000000o1',
    orgName: '淇县',
    value: 10,
    completionPercent: 20,
    reportedStatus: 'on_track',
    narrative: '已完成道路改造 10 公里。',
    problems: '',
    nextSteps: '',
    status: 'draft',
    isLate: false,
    submittedAt: null,
    reviewedAt: null,
    reviewedBy: null,
    reviewComment: null,
    version: 3,
    createdAt: '2018-06-10T00:00:00Z',
    updatedAt: '2018-06-10T00:00:00Z',
    ...overrides,
  };
}

export function row(rep: ProgressReport | null): MyReportRowData {
  return {
    taskId: TASK_ID,
    taskSeq: 7,
    taskText: '实施城市道路改造提升工程。',
    targetId: TARGET_ID,
    metric: '改造城市道路',
    unit: '公里',
    targetValue: 50,
    jurisdictionLabel: null,
    basis: 'jurisdiction',
    report: rep,
  };
}

export const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' },
  });
