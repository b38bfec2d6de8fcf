import { QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider, type ThemeConfig } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { type ReactNode, useEffect, useState } from 'react';
import { isApiError } from '../lib/api-client.ts';
import { I18nProvider, type Locale, useI18n } from '../lib/i18n.ts';

const SESSION_KEY = 'session';

export const theme: ThemeConfig = {
  token: {
    colorPrimary: '#1f4e96',
    colorLink: '#1f4e96',
    borderRadius: 4,
    fontSize: 14,
    // antd's default grey and red text fall below WCAG AA contrast on white; these pass (≥ 4.5:1).
    colorTextSecondary: 'rgba(0, 0, 0, 0.65)',
    colorTextDescription: 'rgba(0, 0, 0, 0.65)',
    colorTextTertiary: 'rgba(0, 0, 0, 0.6)',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.6)',
    colorError: '#c4161c',
    colorSuccess: '#237804',
  },
  components: {
    Layout: { headerBg: '#ffffff', siderBg: '#12294d', headerHeight: 56, headerPadding: '0 20px' },
    Menu: { darkItemBg: '#12294d', darkSubMenuItemBg: '#0d1f3b', darkItemSelectedBg: '#1f4e96' },
  },
};

/** Never retry what the server refused on purpose (4xx); a couple of retries for network/5xx. */
function shouldRetry(failureCount: number, error: unknown): boolean {
  if (isApiError(error) && error.status >= 400 && error.status < 500) return false;
  return failureCount < 2;
}

export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({
      onError: (error, query) => {
        // A data query found the session gone: ask the server again, so the guard sends the user
        // to /login when it answers "nobody". Invalidate, not reset: the session stays in the cache
        // until the answer is in (a stale 401 cannot sign a new user out of the UI), and the guard
        // alone decides when its pages go.
        if (isApiError(error) && error.status === 401 && query.queryKey[0] !== SESSION_KEY) {
          void client.invalidateQueries({ queryKey: [SESSION_KEY] });
        }
      },
    }),
    defaultOptions: {
      queries: { retry: shouldRetry, refetchOnWindowFocus: false, staleTime: 15_000 },
      mutations: { retry: false },
    },
  });
  return client;
}

const ANTD_LOCALES = { 'zh-CN': zhCN, en: enUS } as const;
const DAYJS_LOCALES: Record<Locale, string> = { 'zh-CN': 'zh-cn', en: 'en' };

function AntdProvider({ children }: { children: ReactNode }) {
  const { locale } = useI18n();
  useEffect(() => {
    dayjs.locale(DAYJS_LOCALES[locale]);
  }, [locale]);
  return (
    <ConfigProvider locale={ANTD_LOCALES[locale]} theme={theme} button={{ autoInsertSpace: false }}>
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}

export function AppProviders({ children, queryClient }: { children: ReactNode; queryClient?: QueryClient }) {
  const [client] = useState(() => queryClient ?? createQueryClient());
  return (
    <QueryClientProvider client={client}>
      <I18nProvider>
        <AntdProvider>{children}</AntdProvider>
      </I18nProvider>
    </QueryClientProvider>
  );
}
