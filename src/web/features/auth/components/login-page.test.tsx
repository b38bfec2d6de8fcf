import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppProviders, createQueryClient } from '../../../app/providers.tsx';
import { LoginPage } from './login-page.tsx';

function problem(status: number, code: string, detail: string): Response {
  return new Response(JSON.stringify({ type: `urn:luoshi:problem:${code}`, title: code, status, code, detail }), {
    status,
    headers: { 'content-type': 'application/problem+json' },
  });
}

function json(body: unknown): Response {
  return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
}

function renderLogin() {
  const router = createMemoryRouter(
    [
      { path: '/login', element: <LoginPage /> },
      { path: '/plans', element: <p>plans</p> },
    ],
    { initialEntries: ['/login'] },
  );
  return render(
    <AppProviders queryClient={createQueryClient()}>
      <RouterProvider router={router} />
    </AppProviders>,
  );
}

async function submit(username: string, password: string) {
  fireEvent.change(await screen.findByLabelText('用户名'), { target: { value: username } });
  fireEvent.change(screen.getByLabelText('密码'), { target: { value: password } });
  fireEvent.click(screen.getByRole('button', { name: '登录' }));
}

describe('LoginPage', () => {
  const fetchMock = vi.fn<(input: string, init?: RequestInit) => Promise<Response>>();
  beforeEach(() => {
    fetchMock.mockReset();
    vi.stubGlobal('fetch', fetchMock);
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('asks who is signed in without a failed request: nobody is a 200 with session null, not a 401', async () => {
    const answers: Array<{ url: string; status: number }> = [];
    fetchMock.mockImplementation(async (url) => {
      // The server's two ways to ask: /auth/me refuses the anonymous (401), /auth/session answers null.
      // The installation's name is public (GET /api/settings/public): the login page shows it.
      const res =
        url === '/api/auth/session'
          ? json({ session: null })
          : url === '/api/settings/public'
            ? json({ name: '某市重点工作台账' })
            : problem(401, 'unauthenticated', 'sign in first');
      answers.push({ url, status: res.status });
      return res;
    });
    renderLogin();
    await screen.findByLabelText('用户名');
    await waitFor(() => expect(answers.length).toBeGreaterThan(1));
    expect((await screen.findAllByText('某市重点工作台账')).length).toBeGreaterThan(0);
    // Every request the login page made succeeded: the browser logs a failed one as a console error.
    expect([...answers].sort((x, y) => x.url.localeCompare(y.url))).toEqual([
      { url: '/api/auth/session', status: 200 },
      { url: '/api/settings/public', status: 200 },
    ]);
  });

  it('says the password is wrong on 401, and that the account is locked on 423', async () => {
    fetchMock.mockImplementation(async (url, init) => {
      if (url === '/api/auth/session') return json({ session: null });
      const body = JSON.parse(String(init?.body));
      return body.password === 'locked-out'
        ? problem(423, 'locked', 'too many failed sign-ins')
        : problem(401, 'unauthenticated', 'wrong username or password');
    });
    renderLogin();

    await submit('qixian', 'wrong');
    expect((await screen.findByRole('alert')).textContent).toContain('用户名或密码错误');

    await submit('qixian', 'locked-out');
    expect((await screen.findByText(/账号已暂时锁定/)).textContent).toContain('15 分钟');
    const loginCall = fetchMock.mock.calls.find(([url]) => url === '/api/auth/login');
    expect(loginCall?.[1]?.method).toBe('POST');
  });
});
