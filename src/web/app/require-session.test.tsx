import { useQuery } from '@tanstack/react-query';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { createMemoryRouter, RouterProvider, useRouteError } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Session } from '../../shared/schemas/user.schema.ts';
import { useCurrentSession } from '../lib/session.ts';
import { api } from '../lib/api-client.ts';
import { AppProviders, createQueryClient } from './providers.tsx';
import { RequireSession } from './require-session.tsx';

const SESSION: Session = {
  user: {
    id: '00000000-0000-4000-8000-0000000000u1',
    username: 'tester',
    displayName: '测试',
    orgId: '00000000-0000-4000-8000-0000000000o1',
    role: 'admin',
    isActive: true,
    version: 1,
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
  },
  org: { id: '00000000-0000-4000-8000-0000000000o1', name: '测试单位' },
  csrfToken: 'csrf',
};

function json(body: unknown, status = 200): Response {
  const type = status >= 400 ? 'application/problem+json' : 'application/json';
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });
}
const unauthenticated = () => json({ title: 'unauthenticated', status: 401, code: 'unauthenticated', detail: 'sign in first' }, 401);

/** A signed-in page with a data query of its own, like the dashboard. */
function Page() {
  const session = useCurrentSession();
  const data = useQuery({ queryKey: ['data'], queryFn: () => api.get<{ n: number }>('/data') });
  return (
    <p>
      {session.user.username}: {data.isError ? 'failed' : data.data ? 'loaded' : 'loading'}
    </p>
  );
}

const routeErrors: unknown[] = [];
function RecordError() {
  routeErrors.push(useRouteError());
  return <p>route error</p>;
}

describe('RequireSession', () => {
  let signedIn = true;
  let answerData: (res: Response) => void = () => {};
  const fetchMock = vi.fn<(input: string, init?: RequestInit) => Promise<Response>>();

  beforeEach(() => {
    signedIn = true;
    routeErrors.length = 0;
    fetchMock.mockReset();
    fetchMock.mockImplementation(async (url) => {
      if (url === '/api/auth/session') return json({ session: signedIn ? SESSION : null });
      if (url === '/api/auth/me') return signedIn ? json(SESSION) : unauthenticated();
      if (url === '/api/data') return new Promise<Response>((resolve) => (answerData = resolve));
      return json({ title: 'not found', status: 404, code: 'not_found' }, 404);
    });
    vi.stubGlobal('fetch', fetchMock);
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('a page whose own query answers 401 (the session ended) never renders without a session; the guard goes to /login', async () => {
    const router = createMemoryRouter(
      [
        { path: '/login', element: <p>login page</p> },
        { element: <RequireSession />, errorElement: <RecordError />, children: [{ path: '/page', element: <Page /> }] },
      ],
      { initialEntries: ['/page'] },
    );
    render(
      <AppProviders queryClient={createQueryClient()}>
        <RouterProvider router={router} />
      </AppProviders>,
    );
    await screen.findByText('tester: loading');
    await waitFor(() => expect(fetchMock.mock.calls.some(([url]) => url === '/api/data')).toBe(true));

    // The session ends on the server (signed out elsewhere, expired) while the page waits for its
    // data: the page's answer is a 401, which makes the app re-ask who is signed in. The page
    // re-renders with its error before the guard hears the answer; it must still have a session.
    signedIn = false;
    answerData(unauthenticated());

    await screen.findByText('login page');
    expect(routeErrors).toEqual([]);
    expect(router.state.location.state).toEqual({ from: '/page' });
  });
});
