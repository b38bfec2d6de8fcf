import { describe, expect, it } from 'vitest';
import { type EscalationNotice, nextEscalationStep, proposeEscalation } from './escalation.rules.ts';

const notice = (over: Partial<EscalationNotice> = {}): EscalationNotice => ({
  status: 'open',
  dueDate: '2026-11-01',
  escalationStep: null,
  lastEscalatedAt: null,
  ...over,
});
const none = { consecutiveMissedReports: 0 };

describe('proposeEscalation', () => {
  it('proposes the first step once a notice is overdue by 7 days, not before', () => {
    expect(proposeEscalation(notice(), none, '2026-11-07')).toBeNull();
    expect(proposeEscalation(notice(), none, '2026-11-08')).toEqual({
      step: 'reminder',
      reasons: [{ code: 'overdue', count: 7, text: '已逾期 7 天' }],
    });
  });

  it('proposes only the next step, however late', () => {
    expect(proposeEscalation(notice({ escalationStep: 'urging', lastEscalatedAt: '2026-11-02' }), none, '2027-06-01')?.step).toBe(
      'yellow_card',
    );
  });

  it('never escalates a closed notice or past accountability', () => {
    expect(proposeEscalation(notice({ status: 'closed' }), { consecutiveMissedReports: 5 }, '2027-06-01')).toBeNull();
    expect(proposeEscalation(notice({ escalationStep: 'accountability' }), none, '2027-06-01')).toBeNull();
  });

  it('two missed reports in a row call for 催办, one step at a time', () => {
    const missed = { consecutiveMissedReports: 2 };
    const notDue = notice({ dueDate: '2027-01-01' });
    expect(proposeEscalation(notDue, missed, '2026-11-10')?.step).toBe('reminder');
    expect(proposeEscalation({ ...notDue, escalationStep: 'reminder', lastEscalatedAt: '2026-11-01' }, missed, '2026-11-10')?.step).toBe(
      'urging',
    );
    // Already at 催办 or beyond: missed reports alone ask for nothing more.
    expect(proposeEscalation({ ...notDue, escalationStep: 'urging', lastEscalatedAt: '2026-11-01' }, missed, '2026-11-10')).toBeNull();
    expect(proposeEscalation(notDue, { consecutiveMissedReports: 1 }, '2026-11-10')).toBeNull();
  });

  it('waits 7 days after a step before proposing another', () => {
    const n = notice({ escalationStep: 'reminder', lastEscalatedAt: '2026-11-20T10:00:00.000Z' });
    expect(proposeEscalation(n, none, '2026-11-26')).toBeNull();
    expect(proposeEscalation(n, none, '2026-11-27')?.step).toBe('urging');
  });

  it('does not count lateness against an answered notice', () => {
    expect(proposeEscalation(notice({ status: 'answered' }), none, '2026-12-31')).toBeNull();
  });
});

describe('nextEscalationStep', () => {
  it('walks the ladder', () => {
    expect(nextEscalationStep(null)).toBe('reminder');
    expect(nextEscalationStep('red_card')).toBe('interview');
    expect(nextEscalationStep('accountability')).toBeNull();
  });
});
