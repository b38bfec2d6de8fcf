import { Button, Result } from 'antd';
import type { ReactNode } from 'react';
import { isApiError } from '../lib/api-client.ts';
import { describeError, isChunkLoadError } from '../lib/errors.ts';
import { useI18n } from '../lib/i18n.ts';

/** A failed load shown in place of the content: what happened, and a way forward. */
export function ErrorResult({ error, onRetry, extra }: { error: unknown; onRetry?: () => void; extra?: ReactNode }) {
  const { t } = useI18n();
  const chunk = isChunkLoadError(error);
  const status = isApiError(error) && error.status === 404 ? '404' : isApiError(error) && error.status === 403 ? '403' : 'error';
  const title = status === '404' ? t('error.notFound') : status === '403' ? t('error.forbidden') : t('error.title');
  return (
    <div role="alert">
      <Result
        status={status}
        title={title}
        subTitle={describeError(error, t)}
        extra={
          <>
            {chunk ? (
              <Button type="primary" onClick={() => window.location.reload()}>
                {t('common.reload')}
              </Button>
            ) : onRetry ? (
              <Button type="primary" onClick={onRetry}>
                {t('common.retry')}
              </Button>
            ) : null}
            {extra}
          </>
        }
      />
    </div>
  );
}
