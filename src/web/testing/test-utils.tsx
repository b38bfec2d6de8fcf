import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { vi } from 'vitest';
import type { Session } from '../../shared/schemas/user.schema.ts';
import { AppProviders, createQueryClient } from '../app/providers.tsx';
import { sessionKey } from '../lib/api/auth.api.ts';
import { SessionContext } from '../lib/session.ts';

/** Test harness: the app's providers, a signed-in session and a memory router; fetch answered by `routes`. */
export function renderWithApp(
  element: ReactNode,
  { path, url, role = 'admin', api }: { path: string; url: string; role?: Session['user']['role']; api: Record<string, unknown> },
  // A function answers from the request's URL (a server-side filter's page).
) {
  const fetchMock = vi.fn(async (input: string, _init?: RequestInit) => {
    const pathname = input.split('?')[0];
    const entry = api[pathname];
    const body = typeof entry === 'function' ? (entry as (url: URL) => unknown)(new URL(input, 'http://test')) : entry;
    if (body === undefined) {
      return new Response(JSON.stringify({ title: 'not found', status: 404, code: 'not_found' }), {
        status: 404,
        headers: { 'content-type': 'application/problem+json' },
      });
    }
    return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
  });
  vi.stubGlobal('fetch', fetchMock);
  const queryClient = createQueryClient();
  const session: Session = {
    user: {
      id: '00000000-0000-4000-8000-0000000000u1',
      username: 'tester',
      displayName: '测试',
      orgId: '00000000-0000-4000-8000-0000000000o1',
      role,
      isActive: true,
      version: 1,
      createdAt: '2026-01-01T00:00:00Z',
      updatedAt: '2026-01-01T00:00:00Z',
    },
    org: { id: '00000000-0000-4000-8000-0000000000o1', name: '测试单位' },
    csrfToken: 'csrf',
  };
  // Both places a page finds the session: the cache (for the guard) and the guard's context.
  queryClient.setQueryData(sessionKey, session);
  const router = createMemoryRouter(
    [
      { path, element: <SessionContext.Provider value={session}>{element}</SessionContext.Provider> },
      { path: '*', element: <p>elsewhere</p> },
    ],
    { initialEntries: [url] },
  );
  const result = render(
    <AppProviders queryClient={queryClient}>
      <RouterProvider router={router} />
    </AppProviders>,
  );
  return { ...result, router, fetchMock, queryClient };
}
