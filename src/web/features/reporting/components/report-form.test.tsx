import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderWithApp } from '../../../testing/test-utils.tsx';
import { json, PERIOD_ID, period, REPORT_ID, report, row } from '../../../testing/reporting.fixtures.ts';
import { ReportForm } from './report-form.tsx';

const T = { timeout: 10_000 };
const calls = (fetchMock: ReturnType<typeof vi.fn>, method: string) =>
  fetchMock.mock.calls.filter(([, init]) => (init as RequestInit | undefined)?.method === method);

describe('ReportForm', () => {
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('autosaves a draft with the version it read, then with the version the server returned', async () => {
    let version = 3;
    const { fetchMock } = renderWithApp(<ReportForm period={period} row={row(report())} autosaveMs={30} />, {
      path: '/',
      url: '/',
      role: 'unit',
      api: {},
    });
    fetchMock.mockImplementation(async (_input: string, init?: RequestInit) => {
      const body = JSON.parse(String(init?.body));
      version += 1;
      return json(report({ ...body, version }));
    });

    const narrative = await screen.findByLabelText('进展情况', undefined, T);
    fireEvent.change(narrative, { target: { value: '已完成 12 公里。' } });
    await waitFor(() => expect(calls(fetchMock, 'PUT')).toHaveLength(1), T);
    const [url, init] = calls(fetchMock, 'PUT')[0];
    expect(url).toBe(`/api/periods/${PERIOD_ID}/reports`);
    expect(JSON.parse(String(init?.body))).toMatchObject({
      version: 3,
      targetId: row(null).targetId,
      narrative: '已完成 12 公里。',
      value: 10,
    });

    fireEvent.change(narrative, { target: { value: '已完成 15 公里。' } });
    await waitFor(() => expect(calls(fetchMock, 'PUT')).toHaveLength(2), T);
    expect(JSON.parse(String(calls(fetchMock, 'PUT')[1][1]?.body))).toMatchObject({ version: 4, narrative: '已完成 15 公里。' });
  });

  it('saves pending edits when closed before the autosave fires', async () => {
    const { fetchMock, unmount } = renderWithApp(<ReportForm period={period} row={row(report())} autosaveMs={60_000} />, {
      path: '/',
      url: '/',
      role: 'unit',
      api: {},
    });
    fetchMock.mockImplementation(async (_input: string, init?: RequestInit) =>
      json(report({ ...JSON.parse(String(init?.body)), version: 4 })),
    );
    fireEvent.change(await screen.findByLabelText('存在问题', undefined, T), { target: { value: '资金未到位' } });
    expect(calls(fetchMock, 'PUT')).toHaveLength(0);
    unmount();
    await waitFor(() => expect(calls(fetchMock, 'PUT')).toHaveLength(1), T);
    expect(JSON.parse(String(calls(fetchMock, 'PUT')[0][1]?.body))).toMatchObject({ version: 3, problems: '资金未到位' });
  });

  it('on 409 says 已被他人修改 and reloads the server copy', async () => {
    const { fetchMock } = renderWithApp(<ReportForm period={period} row={row(report())} autosaveMs={30} />, {
      path: '/',
      url: '/',
      role: 'unit',
      api: {},
    });
    fetchMock.mockImplementation(async () =>
      json({ status: 409, code: 'version_conflict', title: 'Conflict', current: report({ version: 5, narrative: '他人填写的内容' }) }, 409),
    );
    const narrative = await screen.findByLabelText('进展情况', undefined, T);
    fireEvent.change(narrative, { target: { value: '我的修改' } });
    expect(await screen.findByText(/已被他人修改/, undefined, T)).toBeTruthy();
    await waitFor(() => expect((screen.getByLabelText('进展情况') as HTMLTextAreaElement).value).toBe('他人填写的内容'), T);
  });

  it('validates before submitting: the value and 进展情况 are required', async () => {
    const { fetchMock } = renderWithApp(<ReportForm period={period} row={row(null)} autosaveMs={60_000} />, {
      path: '/',
      url: '/',
      role: 'unit',
      api: {},
    });
    fireEvent.click(await screen.findByRole('button', { name: /提\s?交/ }, T));
    expect(await screen.findByText('请填写完成值', undefined, T)).toBeTruthy();
    expect(screen.getByText('请填写进展情况')).toBeTruthy();
    expect(fetchMock).not.toHaveBeenCalled();
    // Labelled with the target's unit.
    expect(screen.getByLabelText('完成值（公里）')).toBeTruthy();
  });

  it('refuses a negative value and 150 % with the reason, keeping what was typed (no clamp)', async () => {
    const { fetchMock } = renderWithApp(<ReportForm period={period} row={row(null)} autosaveMs={60_000} />, {
      path: '/',
      url: '/',
      role: 'unit',
      api: {},
    });
    const value = (await screen.findByLabelText('完成值（公里）', undefined, T)) as HTMLInputElement;
    fireEvent.change(value, { target: { value: '-50' } });
    const percent = screen.getByLabelText('完成百分比') as HTMLInputElement;
    fireEvent.change(percent, { target: { value: '150' } });
    fireEvent.blur(percent);
    fireEvent.click(screen.getByRole('button', { name: /提\s?交/ }));
    expect(await screen.findByText('完成值不能为负数', undefined, T)).toBeTruthy();
    expect(screen.getByText('完成率应在 0–100 之间')).toBeTruthy();
    expect(percent.value).toBe('150');
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('submits with Ctrl+Enter: saves the draft, then submits with the saved version', async () => {
    const onSubmitted = vi.fn();
    const { fetchMock } = renderWithApp(<ReportForm period={period} row={row(null)} autosaveMs={60_000} onSubmitted={onSubmitted} />, {
      path: '/',
      url: '/',
      role: 'unit',
      api: {},
    });
    fetchMock.mockImplementation(async (input: string, init?: RequestInit) => {
      if (init?.method === 'PUT') return json(report({ ...JSON.parse(String(init.body)), version: 1 }));
      if (input === `/api/reports/${REPORT_ID}/submit`) return json(report({ status: 'submitted', version: 2 }));
      return json({ status: 404, code: 'not_found', title: 'Not found' }, 404);
    });
    fireEvent.change(await screen.findByLabelText('完成值（公里）', undefined, T), { target: { value: '12' } });
    const narrative = screen.getByLabelText('进展情况');
    fireEvent.change(narrative, { target: { value: '已完成 12 公里。' } });
    fireEvent.keyDown(narrative, { key: 'Enter', ctrlKey: true });

    await waitFor(() => expect(onSubmitted).toHaveBeenCalled(), T);
    const put = calls(fetchMock, 'PUT')[0];
    expect(JSON.parse(String(put[1]?.body))).toMatchObject({ value: 12, narrative: '已完成 12 公里。' });
    expect(JSON.parse(String(put[1]?.body)).version).toBeUndefined();
    const post = calls(fetchMock, 'POST')[0];
    expect(post[0]).toBe(`/api/reports/${REPORT_ID}/submit`);
    expect(JSON.parse(String(post[1]?.body))).toEqual({ version: 1 });
  });

  it('a returned report shows the reviewer’s comment and is editable again', async () => {
    renderWithApp(
      <ReportForm period={period} row={row(report({ status: 'returned', reviewComment: '数据口径不一致' }))} autosaveMs={60_000} />,
      { path: '/', url: '/', role: 'unit', api: {} },
    );
    expect(await screen.findByText(/数据口径不一致/, undefined, T)).toBeTruthy();
    expect((screen.getByLabelText('进展情况') as HTMLTextAreaElement).disabled).toBe(false);
  });
});
