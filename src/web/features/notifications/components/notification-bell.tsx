import { BellOutlined } from '@ant-design/icons';
import { Badge } from 'antd';
import { Link } from 'react-router';
import { useI18n } from '../../../lib/i18n.ts';
import { useNotifications } from '../api/notifications.api.ts';
import '../notifications.css';

/** The header bell: the unread count (polled every minute and on focus), linking to /notifications. */
export function NotificationBell() {
  const { t } = useI18n();
  const notifications = useNotifications();
  const unread = notifications.data?.unread ?? 0;
  const label = unread > 0 ? t('notifications.bellUnread', { count: unread }) : t('notifications.bell');
  return (
    <Link to="/notifications" aria-label={label} title={label} className="notifications-bell">
      <span aria-hidden className="notifications-bell-badge">
        <Badge count={unread} overflowCount={99} size="small">
          <BellOutlined className="notifications-bell-icon" />
        </Badge>
      </span>
    </Link>
  );
}
