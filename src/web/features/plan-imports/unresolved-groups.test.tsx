import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppProviders, createQueryClient } from '../../app/providers.tsx';
import { guessKind, UnresolvedPanel } from './components/unresolved-panel.tsx';

const WEIDU = '00000000-0000-4000-8000-00000000d001';
const JIANAN = '00000000-0000-4000-8000-00000000d002';
const GROUP = '00000000-0000-4000-8000-00000000d003';

function renderPanel(onMap = vi.fn(async () => undefined)) {
  render(
    <AppProviders queryClient={createQueryClient()}>
      <UnresolvedPanel
        mentions={[{ mention: '各区政府', name: '各区政府', occurrences: [{ taskIndex: 0, role: 'responsible' }], orgId: null }]}
        orgOptions={[
          { value: WEIDU, label: '魏都区政府', search: '魏都区政府 魏都区', kind: 'jurisdiction' },
          { value: JIANAN, label: '建安区政府', search: '建安区政府 建安区', kind: 'jurisdiction' },
          { value: GROUP, label: '两区', search: '两区', kind: 'group' },
        ]}
        orgNames={new Map()}
        isMapping={false}
        onMap={onMap}
        onShowTask={() => {}}
      />
    </AppProviders>,
  );
  return onMap;
}

const option = (text: string) =>
  waitFor(() => {
    const found = [...document.querySelectorAll('.ant-select-item-option')].find((o) => o.textContent === text);
    if (!found) throw new Error(`option ${text} not shown`);
    return found;
  });

describe('mapping a mention to a new group', () => {
  afterEach(() => cleanup());

  it('reads "各…" as a group', () => {
    expect(guessKind('各区政府')).toBe('group');
    expect(guessKind('各县区政府、管委')).toBe('group');
    expect(guessKind('淇县政府')).toBe('jurisdiction');
  });

  it('asks for the members of a new group and sends them; groups are not offered as members', async () => {
    const onMap = renderPanel();
    fireEvent.click(screen.getByRole('button', { name: '新建单位' }));
    expect(screen.getByText('单位组')).toBeTruthy();
    const submit = screen.getByRole('button', { name: '新建并对应' }) as HTMLButtonElement;
    expect(submit.disabled).toBe(true);
    const members = screen.getByRole('combobox', { name: '“各区政府”包含的成员单位' });
    fireEvent.mouseDown(members);
    fireEvent.click(await option('魏都区政府'));
    expect([...document.querySelectorAll('.ant-select-item-option')].map((o) => o.textContent)).not.toContain('两区');
    fireEvent.click(await option('建安区政府'));
    await waitFor(() => expect(submit.disabled).toBe(false));
    fireEvent.click(submit);
    await waitFor(() => expect(onMap).toHaveBeenCalledTimes(1));
    expect(onMap).toHaveBeenCalledWith({ name: '各区政府', create: { name: '各区政府', kind: 'group', memberIds: [WEIDU, JIANAN] } });
  });
});
