import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderWithApp } from '../../../testing/test-utils.tsx';
import { OrganisationsPage } from './organisations-page.tsx';

const T = { timeout: 10_000 };
const CITY = '00000000-0000-4000-8000-0000000000c1';
const COUNTY = '00000000-0000-4000-8000-0000000000c2';
const TOWN = '00000000-0000-4000-8000-0000000000c3';
const org = (id: string, name: string, kind: string, parentId: string | null) => ({
  id,
  name,
  aliases: [],
  kind,
  adminCode: null,
  parentId,
  memberIds: [],
  tenantId: CITY,
  version: 1,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
});
const items = [
  org(CITY, '甲市百城办', 'office', null),
  org(COUNTY, '乙县', 'jurisdiction', CITY),
  org(TOWN, '丙镇', 'jurisdiction', COUNTY),
];

describe('OrganisationsPage', () => {
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('shows the registry as a list with parents, and as a tree that folds', async () => {
    renderWithApp(<OrganisationsPage />, {
      path: '/organisations',
      url: '/organisations',
      api: { '/api/organisations': { items, total: 3 } },
    });
    const table = await screen.findByRole('table', {}, T);
    const townRow = (await within(table).findByText('丙镇', {}, T)).closest('tr')!;
    // The list names each organisation's parent.
    expect(within(townRow).getByText('乙县')).toBeTruthy();
    fireEvent.click(screen.getByText('层级'));
    // The tree opens fully: the town sits two levels below the city.
    await waitFor(
      () => expect(document.querySelector(`tr[data-row-key="${TOWN}"] .ant-table-row-indent.indent-level-2`)).not.toBeNull(),
      T,
    );
    const cityRow = document.querySelector(`tr[data-row-key="${CITY}"]`)!;
    fireEvent.click(cityRow.querySelector('button.ant-table-row-expand-icon')!);
    await waitFor(() => expect(document.querySelector(`tr[data-row-key="${COUNTY}"]`)).toBeNull(), T);
  });
});
