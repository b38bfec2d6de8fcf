import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../shared/schemas/plan.schema.ts';
import { translate } from '../../lib/i18n.ts';
import { describeHistoryEvent } from './audit-diff.ts';

const zh = {
  t: (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) => translate('zh-CN', key, params),
  locale: 'zh-CN' as const,
};
const REVIEWER = '6f1c2a7e-0000-4000-8000-000000000001';

function event(overrides: Partial<AuditEvent>): AuditEvent {
  return {
    id: 1,
    at: '2018-06-20T02:05:00.000Z',
    actorId: 'u1',
    actorName: '淇县政府联络员',
    action: 'progress_report.submit',
    entityType: 'progress_report',
    entityId: 'r1',
    before: null,
    after: null,
    ...overrides,
  };
}

const report = {
  id: 'r1',
  orgId: 'o1',
  orgName: '淇县政府',
  value: 3,
  completionPercent: null,
  reportedStatus: 'on_track',
  narrative: '已完成路基',
  status: 'draft',
  submittedAt: null,
  reviewedBy: null,
  version: 1,
};

describe('the task history in words', () => {
  it('a submitted report reads as who, local time, 完成值 and statuses in Chinese, no raw ids', () => {
    const entry = describeHistoryEvent(
      event({ before: report, after: { ...report, value: 5, status: 'submitted', submittedAt: '2018-06-20T02:05:00.000Z', version: 2 } }),
      { ...zh, names: {} },
    );
    expect(entry.action).toBe('提交进度报告');
    expect(entry.who).toBe('淇县政府联络员');
    // 02:05 UTC is 10:05 in Beijing.
    expect(entry.when).toContain('10:05');
    expect(entry.when).not.toContain('T');
    expect(entry.lines).toContain('完成值：3 → 5');
    expect(entry.lines).toContain('报告状态：草稿 → 已提交');
    expect(entry.lines.some((l) => l.startsWith('提交时间：') && l.includes('10:05'))).toBe(true);
    const text = JSON.stringify(entry);
    for (const raw of ['progress_report', 'submittedAt', 'on_track', '2018-06-20T', '目标值']) expect(text).not.toContain(raw);
  });

  it('a review names the reviewer from the names the server sent, not the UUID', () => {
    const submitted = { ...report, status: 'submitted', version: 2 };
    const entry = describeHistoryEvent(
      event({
        action: 'progress_report.return',
        actorName: '市住建局联络员',
        before: submitted,
        after: { ...submitted, status: 'returned', reviewedBy: REVIEWER, reviewComment: '请补充照片', version: 3 },
      }),
      { ...zh, names: { [REVIEWER]: '市住建局联络员' } },
    );
    expect(entry.action).toBe('退回修改');
    expect(entry.lines).toContain('审核人：市住建局联络员');
    expect(entry.lines).toContain('审核意见：请补充照片');
    expect(JSON.stringify(entry)).not.toContain(REVIEWER);
  });

  it("a target's value stays 目标值; a recomputed status is translated with its reason; the server's jobs are 系统", () => {
    const target = describeHistoryEvent(
      event({
        action: 'target.update',
        entityType: 'target',
        actorId: null,
        actorName: null,
        before: { value: 50, version: 1 },
        after: { value: 70, version: 2 },
      }),
      { ...zh, names: {} },
    );
    expect(target.who).toBe('系统');
    expect(target.lines).toEqual(['目标值：50 → 70']);

    const status = describeHistoryEvent(
      event({
        action: 'task.update',
        entityType: 'task',
        before: { status: 'not_started', version: 1 },
        after: { status: 'on_track', version: 2, reason: '已报送进度' },
      }),
      { ...zh, names: {} },
    );
    expect(status.lines[0]).toMatch(/^状态：.+ → .+$/);
    expect(status.lines.join()).not.toMatch(/not_started|on_track/);
  });

  it('an action without a word says 其他操作, and a part added lists its fields by name', () => {
    expect(describeHistoryEvent(event({ action: 'something.new', after: { x: 1 } }), { ...zh, names: {} }).action).toBe('其他操作');
    const added = describeHistoryEvent(
      event({
        action: 'assignment.create',
        entityType: 'assignment',
        after: { id: 'a', orgId: 'o', orgName: '淇县政府', role: 'responsible' },
      }),
      { ...zh, names: {} },
    );
    expect(added.kind).toBe('created');
    expect(added.lines).toEqual(['单位：淇县政府', '角色：责任单位']);
  });
});
