import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderWithApp } from '../testing/test-utils.tsx';
import { StatusEditModal } from './status-edit-modal.tsx';

const TASK_ID = '00000000-0000-4000-8000-000000000123';
const task = (version: number, status: string) => ({
  id: TASK_ID,
  planId: 'p',
  sectionId: null,
  sectionPath: [],
  sectionTitle: null,
  seq: 7,
  text: '实施城市道路改造提升工程。',
  span: null,
  assignmentText: null,
  status,
  assignments: [],
  deadlines: [],
  targets: [],
  version,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
});

describe('StatusEditModal', () => {
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('sends the version it read, and on 409 says 已被他人修改 and reloads the task', async () => {
    let serverTask = task(3, 'on_track');
    const { fetchMock } = renderWithApp(<StatusEditModal target={{ taskId: TASK_ID, seq: 7 }} onClose={() => {}} />, {
      path: '/',
      url: '/',
      api: { [`/api/tasks/${TASK_ID}`]: serverTask },
    });
    fetchMock.mockImplementation(async (input: string, init?: RequestInit) => {
      if (init?.method === 'PATCH') {
        // Someone else saved in between: the server is at version 4 now.
        serverTask = task(4, 'at_risk');
        return new Response(JSON.stringify({ status: 409, code: 'version_conflict', title: 'Conflict', current: serverTask }), {
          status: 409,
          headers: { 'content-type': 'application/problem+json' },
        });
      }
      expect(input).toBe(`/api/tasks/${TASK_ID}`);
      return new Response(JSON.stringify(serverTask), { status: 200, headers: { 'content-type': 'application/json' } });
    });

    const done = await screen.findByRole('radio', { name: '已完成' }, { timeout: 10_000 });
    fireEvent.click(done);
    fireEvent.click(screen.getByRole('button', { name: '保存' }));

    expect(await screen.findByText(/已被他人修改/, undefined, { timeout: 10_000 })).toBeTruthy();
    const patch = fetchMock.mock.calls.find(([, init]) => init?.method === 'PATCH');
    expect(JSON.parse(String(patch?.[1]?.body))).toEqual({ version: 3, status: 'done' });
    // The dialog reloaded the task: it now shows the other user's status.
    await waitFor(() => expect((screen.getByRole('radio', { name: '有风险' }) as HTMLInputElement).checked).toBe(true), {
      timeout: 10_000,
    });
  });
});
