import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderWithApp } from '../../../testing/test-utils.tsx';
import { json, period } from '../../../testing/reporting.fixtures.ts';
import { JurisdictionLabelsCard } from './jurisdiction-labels-card.tsx';

const T = { timeout: 10_000 };
const PLAN_ID = period.planId;
const org = (id: string, name: string) => ({
  id,
  name,
  aliases: [],
  kind: 'jurisdiction',
  adminCode: null,
  parentId: null,
  memberIds: [],
  version: 1,
  createdAt: '2018-01-01T00:00:00Z',
  updatedAt: '2018-01-01T00:00:00Z',
});
const QIBIN = '00000000-0000-4000-8000-00000000000a';
const XUN = '00000000-0000-4000-8000-00000000000b';

describe('JurisdictionLabelsCard', () => {
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('shows who reports each label, flags what the registry cannot read, and saves the office’s choice', async () => {
    let urban = {
      label: '市城区',
      targetCount: 2,
      resolution: null as string[] | null,
      reporterOrgIds: [] as string[],
      unresolved: ['市城区'],
    };
    const labelsPath = `/api/plans/${PLAN_ID}/jurisdiction-labels`;
    const xun = { label: '浚县', targetCount: 3, resolution: null, reporterOrgIds: [XUN], unresolved: [] };
    const gets: Record<string, unknown> = {
      '/api/organisations': { items: [org(QIBIN, '淇滨区政府'), org(XUN, '浚县政府')], total: 2 },
      [labelsPath]: { items: [xun, urban] },
    };
    const puts: unknown[] = [];
    const { fetchMock } = renderWithApp(<JurisdictionLabelsCard planId={PLAN_ID} />, { path: '/periods', url: '/periods', api: gets });
    fetchMock.mockImplementation(async (input: string, init?: RequestInit) => {
      const path = input.split('?')[0];
      if (path === labelsPath && init?.method === 'PUT') {
        const body = JSON.parse(String(init.body));
        puts.push(body);
        urban = { ...urban, resolution: body.orgIds, reporterOrgIds: body.orgIds, unresolved: [] };
        gets[labelsPath] = { items: [xun, urban] };
        return json(urban);
      }
      const body = gets[path];
      return body === undefined ? json({ status: 404, code: 'not_found', title: 'Not found' }, 404) : json(body);
    });

    const row = (await screen.findByText('市城区', undefined, T)).closest('tr') as HTMLElement;
    expect(within(row).getByText('任务的责任单位')).toBeTruthy();
    expect(within(row).getByText('未识别：市城区')).toBeTruthy();
    const xunRow = screen.getByText('浚县').closest('tr') as HTMLElement;
    expect(await within(xunRow).findByText('浚县政府', undefined, T)).toBeTruthy();

    const save = within(row).getByRole('button', { name: '保存' }) as HTMLButtonElement;
    expect(save.disabled).toBe(true);
    const select = within(row).getByRole('combobox', { name: '“市城区”由哪些单位填报' });
    fireEvent.mouseDown(select);
    fireEvent.click(await screen.findByTitle('淇滨区政府', undefined, T));
    await waitFor(() => expect(save.disabled).toBe(false), T);
    fireEvent.click(save);
    await waitFor(() => expect(puts).toEqual([{ label: '市城区', orgIds: [QIBIN] }]), T);
    expect(await screen.findByText('已保存，各单位的填报清单已更新', undefined, T)).toBeTruthy();
    await waitFor(() => expect(within(screen.getByText('市城区').closest('tr') as HTMLElement).getByText('已指定')).toBeTruthy(), T);
  });
});
