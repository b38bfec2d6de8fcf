import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PlanDetail, SectionNode, Task } from '../../../../shared/schemas/plan.schema.ts';
import { renderWithApp } from '../../../testing/test-utils.tsx';
import { defaultSplit } from './plan-structure-editor-dialogs.tsx';
import { PlanStructureEditorPage } from './plan-structure-editor.tsx';

const PLAN = '00000000-0000-4000-8000-00000000a001';
const S1 = '00000000-0000-4000-8000-00000000b001';
const S2 = '00000000-0000-4000-8000-00000000b002';
const T1 = '00000000-0000-4000-8000-00000000c001';
const T2 = '00000000-0000-4000-8000-00000000c002';
const AT = '2026-01-01T00:00:00.000Z';

const section = (id: string, token: string, title: string, ordinal: number): SectionNode => ({
  id,
  planId: PLAN,
  parentId: null,
  path: [token],
  title,
  ordinal,
  span: [0, 0],
  version: 3,
  children: [],
});

const plan: PlanDetail = {
  id: PLAN,
  title: '某市2019年城市品质提升工作实施方案',
  issuer: '某市人民政府办公室',
  year: 2019,
  status: 'active',
  jurisdictionLevel: 'county',
  taskCount: 2,
  version: 2,
  createdAt: AT,
  updatedAt: AT,
  sections: [section(S1, '一', '提升市政设施水平', 1), section(S2, '二', '改善城市生态环境', 2)],
};

const task = (id: string, seq: number, sectionId: string, text: string): Task => ({
  id,
  planId: PLAN,
  sectionId,
  sectionPath: [],
  sectionTitle: null,
  seq,
  text,
  span: null,
  assignmentText: null,
  status: 'not_started',
  statusAsOf: 'not_started',
  assignments: [],
  deadlines: [],
  targets: [],
  version: 5,
  createdAt: AT,
  updatedAt: AT,
});

function renderEditor() {
  return renderWithApp(<PlanStructureEditorPage />, {
    path: '/plans/:planId/edit',
    url: `/plans/${PLAN}/edit`,
    api: {
      [`/api/plans/${PLAN}`]: plan,
      [`/api/plans/${PLAN}/tasks`]: { items: [task(T1, 1, S1, '新建改造城市道路30公里。'), task(T2, 2, S1, '新建公厕60座。')], total: 2 },
      '/api/organisations': { items: [], total: 0 },
      [`/api/tasks/${T2}/move`]: task(T2, 2, S2, '新建公厕60座。'),
      [`/api/sections/${S2}/move`]: plan,
    },
  });
}

const calls = (fetchMock: ReturnType<typeof vi.fn>, method: string) =>
  fetchMock.mock.calls
    .filter(([, init]) => (init as RequestInit | undefined)?.method === method)
    .map(([url, init]) => ({ url: String(url), body: JSON.parse(String((init as RequestInit).body ?? 'null')) }));

describe('the plan structure editor', () => {
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('lists the outline with its tasks; only an empty section can be deleted', async () => {
    renderEditor();
    await screen.findByText('新建改造城市道路30公里。');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('编辑方案：某市2019年城市品质提升工作实施方案');
    expect((screen.getByLabelText('方案名称') as HTMLInputElement).value).toBe('某市2019年城市品质提升工作实施方案');
    const deletes = screen.getAllByRole('button', { name: '删除章节' });
    expect(deletes.map((b) => (b as HTMLButtonElement).disabled)).toEqual([true, false]);
    // The first section cannot move up, the last cannot move down.
    expect((screen.getByRole('button', { name: '上移“一 提升市政设施水平”' }) as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByRole('button', { name: '下移“二 改善城市生态环境”' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('moves a task to another section and a section up, sending the versions read', async () => {
    const { fetchMock } = renderEditor();
    await screen.findByText('新建公厕60座。');
    fireEvent.mouseDown(screen.getByRole('combobox', { name: '任务 2 所属章节' }));
    const option = await waitFor(() => {
      const found = [...document.querySelectorAll('.ant-select-item-option')].find((o) => o.textContent?.includes('二 改善城市生态环境'));
      if (!found) throw new Error('option not shown');
      return found;
    });
    fireEvent.click(option);
    await waitFor(() => expect(calls(fetchMock, 'POST').map((c) => c.url)).toContain(`/api/tasks/${T2}/move`));
    expect(calls(fetchMock, 'POST').find((c) => c.url.endsWith('/move'))!.body).toEqual({ version: 5, sectionId: S2 });

    fireEvent.click(screen.getByRole('button', { name: '上移“二 改善城市生态环境”' }));
    await waitFor(() => expect(calls(fetchMock, 'POST').map((c) => c.url)).toContain(`/api/sections/${S2}/move`));
    expect(calls(fetchMock, 'POST').find((c) => c.url.includes('/sections/'))!.body).toEqual({ version: 3, direction: 'up' });
  });

  it('cuts a clause after its first sentence by default', () => {
    expect(defaultSplit('新建道路30公里。新建公厕60座。')).toEqual(['新建道路30公里。', '新建公厕60座。']);
    expect(defaultSplit('新建道路')).toEqual(['新建', '道路']);
  });
});
