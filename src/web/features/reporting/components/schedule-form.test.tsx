import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import type { ReactElement } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ReportingSchedule } from '../../../../shared/schemas/reporting.schema.ts';
import { renderWithApp } from '../../../testing/test-utils.tsx';
import { json, period } from '../../../testing/reporting.fixtures.ts';
import { reportingKeys } from '../api/reporting.api.ts';
import { ScheduleForm, scheduleExample } from './schedule-form.tsx';

const T = { timeout: 10_000 };
const PLAN_ID = period.planId;
const URL_ = `/api/plans/${PLAN_ID}/reporting-schedule`;

const defaults: ReportingSchedule = {
  planId: PLAN_ID,
  frequency: 'monthly',
  dueDay: 5,
  graceDays: 0,
  closeAfterDays: 10,
  startDate: null,
  isStored: false,
  version: 0,
};

/** Renders the form; GETs answer `gets` in turn (the last one repeats), PUTs with `put(body)`. */
function renderForm(element: ReactElement, gets: ReportingSchedule[], put: (body: Record<string, unknown>) => Response) {
  // The first GET leaves on mount, before the stub below is installed.
  const { fetchMock, queryClient } = renderWithApp(element, { path: '/periods', url: '/periods', api: { [URL_]: gets[0] } });
  let n = 1;
  fetchMock.mockImplementation(async (input: string, init?: RequestInit) => {
    const path = input.split('?')[0];
    if (path !== URL_) return json({ status: 404, code: 'not_found', title: 'Not found' }, 404);
    if (init?.method === 'PUT') return put(JSON.parse(String(init.body)));
    const body = gets[Math.min(n, gets.length - 1)];
    n += 1;
    return json(body);
  });
  return { fetchMock, queryClient };
}

const puts = (fetchMock: ReturnType<typeof vi.fn>) =>
  fetchMock.mock.calls
    .filter(([, i]) => (i as RequestInit | undefined)?.method === 'PUT')
    .map(([, i]) => JSON.parse(String((i as RequestInit).body)));

describe('ScheduleForm', () => {
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('says when only the defaults are shown, and creates the schedule without a version', async () => {
    const { fetchMock } = renderForm(<ScheduleForm planId={PLAN_ID} referenceDate="2018-06-01" />, [defaults], (body) =>
      json({ ...defaults, ...body, isStored: true, version: 1 }),
    );

    expect(await screen.findByText(/该计划尚未保存填报安排/, undefined, T)).toBeTruthy();
    expect(screen.getByText('默认值（未保存）')).toBeTruthy();
    expect(screen.getByText(/系统每小时自动运行一次/)).toBeTruthy();
    // The worked example for the period containing the reference date.
    expect(screen.getByText(/2018年6月1日至2018年6月30日这一期的报告须于 2018年7月5日 前报送/)).toBeTruthy();

    fireEvent.click(screen.getByLabelText('季报'));
    fireEvent.change(screen.getByLabelText('宽限天数'), { target: { value: '3' } });
    expect(
      await screen.findByText(/2018年4月1日至2018年6月30日这一期的报告须于 2018年7月5日 前报送，2018年7月8日 前提交仍算按时/, undefined, T),
    ).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: '保存并启用' }));

    await waitFor(() => expect(puts(fetchMock)).toHaveLength(1), T);
    expect(puts(fetchMock)[0]).toEqual({ frequency: 'quarterly', dueDay: 5, graceDays: 3, closeAfterDays: 10, startDate: null });
    expect(await screen.findByText('已保存的安排', undefined, T)).toBeTruthy();
    expect(screen.queryByText(/该计划尚未保存填报安排/)).toBeNull();
    expect(screen.getByRole('button', { name: '保存填报安排' })).toBeTruthy();
  });

  it('marks the plan’s periods stale after saving, so the period the server opened shows', async () => {
    const { queryClient } = renderForm(<ScheduleForm planId={PLAN_ID} />, [defaults], (body) =>
      json({ ...defaults, ...body, isStored: true, version: 1 }),
    );
    queryClient.setQueryData(reportingKeys.periods(PLAN_ID), { items: [] });
    await screen.findByText('默认值（未保存）', undefined, T);
    expect(queryClient.getQueryState(reportingKeys.periods(PLAN_ID))?.isInvalidated).toBe(false);
    fireEvent.click(screen.getByRole('button', { name: '保存并启用' }));
    await waitFor(() => expect(queryClient.getQueryState(reportingKeys.periods(PLAN_ID))?.isInvalidated).toBe(true), T);
  });

  it('updates a stored schedule with the version read', async () => {
    const stored: ReportingSchedule = { ...defaults, graceDays: 2, startDate: '2018-04-01', isStored: true, version: 3 };
    const { fetchMock } = renderForm(<ScheduleForm planId={PLAN_ID} />, [stored], (body) => json({ ...stored, ...body, version: 4 }));

    expect(await screen.findByText('已保存的安排', undefined, T)).toBeTruthy();
    expect(screen.queryByText(/该计划尚未保存填报安排/)).toBeNull();
    const grace = screen.getByLabelText('宽限天数') as HTMLInputElement;
    expect(grace.value).toBe('2');
    fireEvent.change(grace, { target: { value: '4' } });
    fireEvent.click(screen.getByRole('button', { name: '保存填报安排' }));

    await waitFor(() => expect(puts(fetchMock)).toHaveLength(1), T);
    expect(puts(fetchMock)[0]).toEqual({
      version: 3,
      frequency: 'monthly',
      dueDay: 5,
      graceDays: 4,
      closeAfterDays: 10,
      startDate: '2018-04-01',
    });
    expect(await screen.findByText('填报安排已保存', undefined, T)).toBeTruthy();
  });

  it('on a 409 says someone else changed it and reloads the stored schedule', async () => {
    const stored: ReportingSchedule = { ...defaults, isStored: true, version: 3 };
    const newer: ReportingSchedule = { ...stored, graceDays: 7, version: 4 };
    const { fetchMock } = renderForm(<ScheduleForm planId={PLAN_ID} />, [stored, newer], () =>
      json({ status: 409, code: 'version_conflict', title: 'Conflict', current: newer }, 409),
    );

    await screen.findByText('已保存的安排', undefined, T);
    fireEvent.change(screen.getByLabelText('宽限天数'), { target: { value: '1' } });
    fireEvent.click(screen.getByRole('button', { name: '保存填报安排' }));

    expect(await screen.findByText(/填报安排已被他人修改/, undefined, T)).toBeTruthy();
    await waitFor(() => expect((screen.getByLabelText('宽限天数') as HTMLInputElement).value).toBe('7'), T);
    expect(puts(fetchMock)).toEqual([{ version: 3, frequency: 'monthly', dueDay: 5, graceDays: 1, closeAfterDays: 10, startDate: null }]);
  });

  it('rejects a due day outside 1–28 without sending', async () => {
    const { fetchMock } = renderForm(<ScheduleForm planId={PLAN_ID} />, [defaults], () => json(defaults));
    await screen.findByText('默认值（未保存）', undefined, T);
    fireEvent.change(screen.getByLabelText('报送截止日'), { target: { value: '' } });
    fireEvent.click(screen.getByRole('button', { name: '保存并启用' }));
    expect(await screen.findByText('请填写报送截止日', undefined, T)).toBeTruthy();
    expect(puts(fetchMock)).toHaveLength(0);
  });
});

describe('scheduleExample', () => {
  it('follows the server’s calendar: due next month, grace, then the automatic close', () => {
    expect(scheduleExample({ frequency: 'monthly', dueDay: 5, graceDays: 2, closeAfterDays: 10 }, '2018-06-20')).toEqual({
      start: '2018-06-01',
      end: '2018-06-30',
      due: '2018-07-05',
      onTime: '2018-07-07',
      close: '2018-07-17',
    });
    expect(scheduleExample({ frequency: 'half_yearly', dueDay: 10, graceDays: 0, closeAfterDays: 0 }, '2018-12-31')).toMatchObject({
      start: '2018-07-01',
      end: '2018-12-31',
      due: '2019-01-10',
    });
  });
});
