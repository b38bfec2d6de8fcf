import { Button, Result } from 'antd';
import { isRouteErrorResponse, useNavigate, useRouteError } from 'react-router';
import { ErrorResult } from '../components/error-result.tsx';
import { useI18n } from '../lib/i18n.ts';

/** errorElement of every route: a thrown render error or a failed lazy chunk never leaves a blank page. */
export function RouteError() {
  const error = useRouteError();
  const navigate = useNavigate();
  const { t } = useI18n();
  if (isRouteErrorResponse(error) && error.status === 404) return <NotFound />;
  // Keep the cause in the console for whoever opens devtools; the page itself shows a sentence.
  console.error(error);
  return (
    <main style={{ padding: 24 }}>
      <ErrorResult
        error={error}
        extra={
          <Button onClick={() => navigate('/', { replace: true })} style={{ marginInlineStart: 8 }}>
            {t('common.backHome')}
          </Button>
        }
      />
    </main>
  );
}

export function NotFound() {
  const { t } = useI18n();
  const navigate = useNavigate();
  return (
    <Result
      status="404"
      title={t('error.notFound')}
      subTitle={t('error.notFoundDetail')}
      extra={
        <Button type="primary" onClick={() => navigate('/')}>
          {t('common.backHome')}
        </Button>
      }
    />
  );
}

export function Forbidden() {
  const { t } = useI18n();
  return <Result status="403" title={t('error.forbidden')} subTitle={t('error.forbiddenDetail')} />;
}
