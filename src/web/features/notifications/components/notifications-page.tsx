import { CheckOutlined } from '@ant-design/icons';
import { Alert, App as AntApp, Button, Empty, Skeleton, Typography } from 'antd';
import { useMemo } from 'react';
import { useNavigate } from 'react-router';
import type { Notification } from '../../../../shared/schemas/supervision.schema.ts';
import { describeError } from '../../../lib/errors.ts';
import { formatDateTime, useI18n } from '../../../lib/i18n.ts';
import { appPath, useMarkAllNotificationsRead, useMarkNotificationRead, useNotifications } from '../api/notifications.api.ts';
import '../notifications.css';

/** 消息: the caller's notifications, newest first; opening one marks it read and goes to its link. */
export function NotificationsPage() {
  const { t, locale } = useI18n();
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const notifications = useNotifications();
  const markRead = useMarkNotificationRead();
  const markAll = useMarkAllNotificationsRead();
  const items = useMemo(
    () => [...(notifications.data?.items ?? [])].sort((a, b) => b.createdAt.localeCompare(a.createdAt)),
    [notifications.data],
  );
  const unread = notifications.data?.unread ?? 0;

  const open = async (n: Notification) => {
    if (!n.readAt) {
      try {
        await markRead.mutateAsync(n.id);
      } catch (error) {
        message.error(describeError(error, t));
      }
    }
    const to = appPath(n.link);
    if (to) navigate(to);
  };

  const onMarkAll = () =>
    markAll.mutate(undefined, {
      onSuccess: ({ marked }) => message.success(t('notifications.markedAll', { count: marked })),
      onError: (error) => message.error(describeError(error, t)),
    });

  return (
    <div className="notifications-page">
      <div className="notifications-head">
        <div className="notifications-head-title">
          <h1 className="page-title">{t('notifications.title')}</h1>
          {notifications.data && (
            <Typography.Text type="secondary" aria-live="polite">
              {t('notifications.unreadCount', { count: unread })}
            </Typography.Text>
          )}
        </div>
        <Button icon={<CheckOutlined aria-hidden />} onClick={onMarkAll} disabled={unread === 0} loading={markAll.isPending}>
          {t('notifications.markAll')}
        </Button>
      </div>
      {notifications.isError ? (
        <Alert type="error" showIcon title={describeError(notifications.error, t)} />
      ) : notifications.isPending ? (
        <Skeleton active paragraph={{ rows: 6 }} />
      ) : items.length === 0 ? (
        <Empty description={t('notifications.empty')} />
      ) : (
        <ul className="notifications-list">
          {items.map((n) => (
            <li key={n.id}>
              <button
                type="button"
                className={`notifications-item${n.readAt ? '' : ' is-unread'}`}
                onClick={() => void open(n)}
                disabled={markRead.isPending && markRead.variables === n.id}
              >
                <span className={n.readAt ? undefined : 'notifications-dot'}>
                  {!n.readAt && <span className="notifications-visually-hidden">{t('notifications.unread')}</span>}
                </span>
                <span className="notifications-item-title">{n.title}</span>
                <time className="notifications-item-time" dateTime={n.createdAt}>
                  {formatDateTime(n.createdAt, locale)}
                </time>
                {n.body && <span className="notifications-item-body">{n.body}</span>}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
