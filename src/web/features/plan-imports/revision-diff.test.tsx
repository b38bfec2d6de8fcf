import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PlanRevisionDiff } from '../../../shared/schemas/plan-import.schema.ts';
import { I18nProvider } from '../../lib/i18n.ts';
import { RevisionDiffPanel } from './components/revision-diff.tsx';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

const diff: PlanRevisionDiff = {
  planId: id(1),
  unchanged: Array.from({ length: 25 }, (_, i) => ({ taskId: id(100 + i), taskIndex: i < 5 ? i : i + 2 })),
  edited: [
    {
      taskId: id(5),
      taskIndex: 5,
      similarity: 0.93,
      before: '开工建设20公里地下综合管廊,其中淇滨区9公里。',
      after: '开工建设25公里地下综合管廊,同步建设智慧管理平台,其中淇滨区9公里。',
    },
  ],
  added: [{ taskIndex: 6, text: '加快建设智慧停车系统。' }],
  removed: [{ taskId: id(7), seq: 7, text: '各县区结合“达标街道”建设。' }],
};

describe('RevisionDiffPanel', () => {
  afterEach(cleanup);

  it('counts the changes, keeps the unchanged count in words, and diffs edited clauses inline', () => {
    const onShowTask = vi.fn();
    render(
      <I18nProvider initialLocale="zh-CN">
        <RevisionDiffPanel diff={diff} onShowTask={onShowTask} />
      </I18nProvider>,
    );
    expect(screen.getByText('新增 1 项')).toBeTruthy();
    expect(screen.getByText('删除 1 项')).toBeTruthy();
    expect(screen.getByText('修改 1 项')).toBeTruthy();
    expect(screen.getByText('未变更的 25 项任务保留原有记录和历史')).toBeTruthy();
    expect(screen.getByText('相似度 93%')).toBeTruthy();

    const edited = screen.getByRole('heading', { name: '修改的条款' }).nextElementSibling as HTMLElement;
    expect([...edited.querySelectorAll('del')].map((d) => d.textContent)).toEqual(['0']);
    expect([...edited.querySelectorAll('ins')].map((d) => d.textContent)).toEqual(['5', ',同步建设智慧管理平台']);
    expect(screen.getByText('加快建设智慧停车系统。').tagName).toBe('INS');
    expect(screen.getByText('各县区结合“达标街道”建设。').tagName).toBe('DEL');
    expect(screen.getByText('现行计划第 7 项')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: '第 7 项任务' }));
    expect(onShowTask).toHaveBeenCalledWith(6);
  });
});
