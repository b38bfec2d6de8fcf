import { describe, expect, it } from 'vitest';
import { diffAuditEvent, summariseAuditEvent } from './audit-diff.ts';

describe('audit diff for the task history', () => {
  it('lists only the fields an update changed, without bookkeeping', () => {
    const changes = diffAuditEvent({
      before: { id: 't', version: 1, status: 'not_started', text: '同', updatedAt: 'a' },
      after: { id: 't', version: 2, status: 'done', text: '同', updatedAt: 'b' },
    });
    expect(changes).toEqual([{ field: 'status', before: 'not_started', after: 'done' }]);
  });

  it('summarises a unit or target added to the task, not the task import itself', () => {
    expect(
      summariseAuditEvent({ entityType: 'assignment', before: null, after: { id: 'a', orgName: '淇县政府', role: 'responsible' } }),
    ).toEqual({
      kind: 'created',
      fields: [
        ['orgName', '淇县政府'],
        ['role', 'responsible'],
      ],
    });
    expect(summariseAuditEvent({ entityType: 'deadline', before: { date: '2018-12-31' }, after: null })).toEqual({
      kind: 'deleted',
      fields: [['date', '2018-12-31']],
    });
    expect(summariseAuditEvent({ entityType: 'task', before: null, after: { seq: 1 } })).toBeNull();
  });
});
