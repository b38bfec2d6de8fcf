import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AssessmentScheme } from '../../../../shared/schemas/assessment.schema.ts';
import { json } from '../../../testing/reporting.fixtures.ts';
import { renderWithApp } from '../../../testing/test-utils.tsx';
import { SchemeEditorPage } from './scheme-editor-page.tsx';

const T = { timeout: 10_000 };
const ORG = '00000000-0000-4000-8000-00000000000a';
const ID1 = '00000000-0000-4000-8000-0000000000s1';
const ID2 = '00000000-0000-4000-8000-0000000000s2';

const revision = (id: string, n: number, frozen: boolean): AssessmentScheme => ({
  id,
  familyId: ID1,
  name: '百城建设提质工程考核办法',
  revision: n,
  frozen,
  version: 1,
  createdAt: '2018-06-01T00:00:00Z',
  updatedAt: '2018-06-01T00:00:00Z',
  scheme: {
    categories: [{ id: 'rep', label: '信息报送', points: 100 }],
    rules: [{ id: 'missing', categoryId: 'rep', kind: 'report_missing', label: '未报送', points: -2 }],
    vetoes: [],
    multipliers: [],
    tiers: {
      mode: 'threshold',
      tiers: [
        { id: 'good', label: '良好', min: 85 },
        { id: 'fail', label: '不合格' },
      ],
    },
    groups: [{ id: 'counties', label: '县区', orgIds: [ORG] }],
    honourCount: 1,
  },
});

describe('SchemeEditorPage', () => {
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('shows a frozen revision read-only and “新版本” copies it into the next revision, which is editable', async () => {
    const items = [revision(ID1, 1, true)];
    const puts: { path: string; body: unknown }[] = [];
    const { fetchMock } = renderWithApp(<SchemeEditorPage />, {
      path: '/assessments/schemes',
      url: '/assessments/schemes',
      api: { '/api/assessment-schemes': () => ({ items }), '/api/organisations': { items: [], total: 0 } },
    });
    fetchMock.mockImplementation(async (input: string, init?: RequestInit) => {
      const path = input.split('?')[0];
      if (init?.method === 'PUT') {
        puts.push({ path, body: JSON.parse(String(init.body)) });
        const next = revision(ID2, 2, false);
        items.push(next);
        return json(next);
      }
      if (path === '/api/assessment-schemes') return json({ items });
      if (path === '/api/organisations') return json({ items: [], total: 0 });
      return json({ status: 404, code: 'not_found', title: 'Not found' }, 404);
    });
    await screen.findByText(/此版本已被考核使用，不能修改/, undefined, T);
    const min = screen.getByLabelText('第 1 个等次的最低分') as HTMLInputElement;
    expect(min.disabled).toBe(true);
    expect((screen.getByRole('button', { name: '保存' }) as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByRole('button', { name: '添加分组' }) as HTMLButtonElement).disabled).toBe(true);

    fireEvent.click(screen.getByRole('button', { name: '新版本' }));
    await waitFor(() => expect(puts).toHaveLength(1), T);
    expect(puts[0]).toEqual({
      path: `/api/assessment-schemes/${ID1}`,
      body: { version: 1, name: '百城建设提质工程考核办法', scheme: revision(ID1, 1, true).scheme },
    });
    await screen.findByText('已生成第 2 版，可以修改', undefined, T);
    await waitFor(() => expect((screen.getByLabelText('第 1 个等次的最低分') as HTMLInputElement).disabled).toBe(false), T);
    expect(screen.queryByText(/此版本已被考核使用/)).toBeNull();
    expect(screen.queryByRole('button', { name: '新版本' })).toBeNull();
  });
});
