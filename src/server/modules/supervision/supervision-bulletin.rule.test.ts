import { describe, expect, it } from 'vitest';
import { BulletinContent } from '../../../shared/schemas/assessment.schema.ts';
import { type SupervisionBulletinFacts, draftSupervisionContent } from './supervision-bulletin.rule.ts';

const facts = (over: Partial<SupervisionBulletinFacts> = {}): SupervisionBulletinFacts => ({
  programme: '百城建设提质工程',
  periodLabel: '11月份',
  issuerName: '市百城办',
  issuerShort: '百城办',
  year: 2018,
  serial: 3,
  today: '2018-12-05',
  units: [
    { orgId: 'a', name: '淇县' },
    { orgId: 'b', name: '浚县' },
    { orgId: 'c', name: '山城区' },
  ],
  notices: [
    { orgId: 'a', reason: '项目进度滞后', dueDate: '2018-11-20', answeredOn: '2018-11-18', escalationStep: null },
    { orgId: 'b', reason: '月报未报', dueDate: '2018-11-20', answeredOn: '2018-11-25', escalationStep: 'urging' },
    { orgId: 'c', reason: '投资未完成', dueDate: '2018-11-15', answeredOn: null, escalationStep: 'interview' },
  ],
  reportsMissing: ['山城区'],
  reportsLate: ['浚县'],
  ...over,
});

describe('draftSupervisionContent', () => {
  it('counts on time / late / unanswered and names the units', () => {
    const c = draftSupervisionContent(facts());
    expect(BulletinContent.parse(c)).toEqual(c);
    expect(c.title).toBe('关于11月份百城建设提质工程督办情况的通报');
    expect(c.docNumber).toBe('百城办〔2018〕3号');
    const text = c.paragraphs.join('\n');
    expect(text).toContain('共下发督办通知3件，按期答复1件，逾期答复1件，未答复1件。');
    expect(text).toContain('逾期答复：浚县。未答复：山城区。');
    expect(text).toContain('对山城区进行约谈');
    expect(text).not.toContain('问责程序');
    expect(text).toContain('未报送：山城区。逾期报送：浚县。');
    // Problems in deadline order, with their 整改时限.
    expect(text.indexOf('山城区：投资未完成，整改时限2018年11月15日')).toBeLessThan(text.indexOf('浚县：月报未报，整改时限2018年11月20日'));
    expect(c.table.rows).toEqual([
      ['淇县', '1', '1', '0', '—'],
      ['浚县', '1', '0', '1', '催办'],
      ['山城区', '1', '0', '0', '约谈'],
    ]);
  });

  it('says so when nothing was late and nobody escalated', () => {
    const c = draftSupervisionContent(facts({ notices: [facts().notices[0]!], reportsMissing: [], reportsLate: [] }));
    const text = c.paragraphs.join('\n');
    expect(text).toContain('逾期答复：无。未答复：无。');
    expect(text).toContain('本期无单位升级至约谈或问责。');
    expect(text).not.toContain('整改时限');
    expect(c.table.rows).toEqual([['淇县', '1', '1', '0', '—']]);
  });

  it('is deterministic', () => {
    expect(draftSupervisionContent(facts())).toEqual(draftSupervisionContent(facts()));
  });
});
