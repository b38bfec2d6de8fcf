/**
 * The notifications screens' words, both languages side by side so they cannot drift apart; spread into
 * zh-CN.ts and en.ts. Keys start with a prefix of their own.
 */
export const notificationsZhCN = {
  'notifications.title': '消息',
  'notifications.bell': '消息',
  'notifications.bellUnread': '消息，{count} 条未读',
  'notifications.empty': '暂无消息。',
  'notifications.unread': '未读',
  'notifications.unreadCount': '未读 {count} 条',
  'notifications.markAll': '全部标为已读',
  'notifications.markedAll': '已将 {count} 条标为已读',
  'notifications.open': '打开消息：{title}',
} as const;

export const notificationsEn: Record<keyof typeof notificationsZhCN, string> = {
  'notifications.title': 'Notifications',
  'notifications.bell': 'Notifications',
  'notifications.bellUnread': 'Notifications, {count} unread',
  'notifications.empty': 'No notifications.',
  'notifications.unread': 'Unread',
  'notifications.unreadCount': '{count} unread',
  'notifications.markAll': 'Mark all as read',
  'notifications.markedAll': 'Marked {count} as read',
  'notifications.open': 'Open notification: {title}',
};
