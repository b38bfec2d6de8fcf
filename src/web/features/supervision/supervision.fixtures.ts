import type { SupervisionNotice } from '../../../shared/schemas/supervision.schema.ts';

export const ORG_ID = '00000000-0000-4000-8000-0000000000o1';
export const OTHER_ORG_ID = '00000000-0000-4000-8000-0000000000o2';
export const TASK_ID = '00000000-0000-4000-8000-0000000000t1';
export const NOTICE_ID = '00000000-0000-4000-8000-0000000000n1';

export function notice(overrides: Partial<SupervisionNotice> = {}): SupervisionNotice {
  return {
    id: NOTICE_ID,
    reason: '污水处理厂建设进度滞后',
    requiredAction: '限期整改并书面报告进展',
    dueDate: '2099-12-31',
    status: 'open',
    escalationStep: null,
    issuedBy: null,
    closedAt: null,
    rows: [
      { taskId: TASK_ID, taskText: '实施城市道路改造提升工程。', orgId: ORG_ID, orgName: '淇县政府' },
      { taskId: TASK_ID, taskText: '实施城市道路改造提升工程。', orgId: OTHER_ORG_ID, orgName: '浚县政府' },
    ],
    responses: [],
    escalations: [],
    actions: [],
    version: 1,
    createdAt: '2018-06-01T02:00:00Z',
    updatedAt: '2018-06-01T02:00:00Z',
    ...overrides,
  };
}
