import { describe, expect, it } from 'vitest';
import { clauseSimilarity, diffPlanRevision, normaliseClause } from './plan-revision.diff.ts';

const A = '开工建设20公里地下综合管廊,其中淇滨区9公里、示范区5.5公里。(牵头单位:市住建局,责任单位:各县区政府)';
const B = '加快推进新老城区快速通道改造建设,按计划、标准、质量要求完成建设。(牵头单位:市交通运输局,责任单位:各县区政府)';
const C = '创新城市管理体制,加快完善数字化城市管理系统,推进数字化城市管理向智慧化升级。(牵头单位:市住建局,责任单位:各县区政府)';
const NEW = '加快建设城市智慧停车系统,建成市级智慧停车管理平台。(牵头单位:市公安局,责任单位:各县区政府)';

const tasks = [A, B, C].map((text, i) => ({ id: `t${i + 1}`, seq: i + 1, text }));

describe('clause similarity', () => {
  it('ignores whitespace, punctuation and full/half width', () => {
    expect(normaliseClause('推进 数字化，管理。')).toBe(normaliseClause('推进数字化,管理.'));
    expect(clauseSimilarity(A, A.replace(/,/g, '，'))).toBe(1);
    expect(clauseSimilarity(A, B)).toBeLessThan(0.6);
    expect(clauseSimilarity('', A)).toBe(0);
  });
});

describe('diffPlanRevision', () => {
  it('pairs identical clauses as unchanged, whatever their order', () => {
    const diff = diffPlanRevision('p', tasks, [C, A, B]);
    expect(diff.unchanged).toEqual([
      { taskId: 't3', taskIndex: 0 },
      { taskId: 't1', taskIndex: 1 },
      { taskId: 't2', taskIndex: 2 },
    ]);
    expect([diff.edited, diff.added, diff.removed]).toEqual([[], [], []]);
  });

  it('finds an edit, a removal and an addition', () => {
    const edited = A.replace('20公里', '24公里').replace('9公里', '11公里');
    const diff = diffPlanRevision('p', tasks, [edited, C, NEW]);
    expect(diff.unchanged).toEqual([{ taskId: 't3', taskIndex: 1 }]);
    expect(diff.edited).toHaveLength(1);
    expect(diff.edited[0]).toMatchObject({ taskId: 't1', taskIndex: 0, before: A, after: edited });
    expect(diff.edited[0].similarity).toBeGreaterThan(0.9);
    expect(diff.added).toEqual([{ taskIndex: 2, text: NEW }]);
    expect(diff.removed).toEqual([{ taskId: 't2', seq: 2, text: B }]);
  });

  it('never calls a clause with changed figures unchanged, however similar', () => {
    const long = `${C.repeat(3)}2018年底前完成`;
    const diff = diffPlanRevision('p', [{ id: 'x', seq: 1, text: long }], [long.replace('2018', '2019')]);
    expect(diff.unchanged).toEqual([]);
    expect(diff.edited[0].similarity).toBeGreaterThanOrEqual(0.98);
  });

  it('matches one-to-one: two rewordings of one clause do not both claim it', () => {
    const diff = diffPlanRevision('p', [tasks[0]], [A.replace('地下', '城市地下'), A.replace('地下', '新型地下')]);
    expect(diff.edited).toHaveLength(1);
    expect(diff.added).toHaveLength(1);
  });
});
