import { cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderWithApp } from '../../../testing/test-utils.tsx';
import { FIXTURE_SUPERVISION } from '../dashboard.fixtures.ts';
import { SupervisionCard } from './supervision-card.tsx';

function renderCard(role: 'admin' | 'leader' = 'admin') {
  return renderWithApp(<SupervisionCard supervision={FIXTURE_SUPERVISION} />, { path: '/dashboard', url: '/dashboard', role, api: {} });
}

const hrefOf = (el: HTMLElement) => {
  const url = new URL(el.getAttribute('href') ?? '', 'http://x');
  return { path: url.pathname, query: Object.fromEntries(url.searchParams) };
};

describe('SupervisionCard', () => {
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it.each(['admin', 'leader'] as const)('links each status count to the supervision list (%s)', (role) => {
    renderCard(role);
    const cases = [
      ['待办理', FIXTURE_SUPERVISION.open, 'open'],
      ['已回复', FIXTURE_SUPERVISION.answered, 'answered'],
      ['已办结', FIXTURE_SUPERVISION.closed, 'closed'],
    ] as const;
    for (const [label, count, status] of cases) {
      const link = screen.getByRole('link', { name: `${label}：${count} 件，在督办中查看` });
      expect(link.textContent).toBe(String(count));
      expect(hrefOf(link)).toEqual({ path: '/supervision', query: { status } });
    }
    // 逾期未办结 counts open and answered notices past due: its own filter, not a status.
    const overdue = screen.getByRole('link', { name: `逾期未办结：${FIXTURE_SUPERVISION.overdue} 件，在督办中查看` });
    expect(hrefOf(overdue)).toEqual({ path: '/supervision', query: { overdue: '1' } });
  });

  it('shows the escalation ladder in order with its counts, each rung opening its notices', () => {
    renderCard();
    const steps = screen.getAllByTestId('escalation-step');
    expect(steps.map((s) => s.dataset.step)).toEqual(['reminder', 'urging', 'yellow_card', 'red_card', 'interview', 'accountability']);
    expect(steps.map((s) => s.textContent)).toEqual(['提醒4', '催办3', '黄牌2', '红牌1', '约谈1', '问责0']);
    const yellow = screen.getByRole('link', { name: '黄牌：2 件未办结，在督办中查看' });
    // The ladder counts notices not closed: the link says so (active=1), or closed ones would show too.
    expect(hrefOf(yellow)).toEqual({ path: '/supervision', query: { step: 'yellow_card', active: '1' } });
    expect(hrefOf(screen.getByRole('link', { name: /^问责：0 件/ }))).toEqual({
      path: '/supervision',
      query: { step: 'accountability', active: '1' },
    });
    expect(hrefOf(screen.getByRole('link', { name: '未升级 6 件' }))).toEqual({
      path: '/supervision',
      query: { step: 'none', active: '1' },
    });
  });
});
