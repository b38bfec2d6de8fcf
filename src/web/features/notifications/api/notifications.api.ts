import { useIsMutating, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Notification } from '../../../../shared/schemas/supervision.schema.ts';
import { api } from '../../../lib/api-client.ts';
import { LOGOUT_MUTATION_KEY } from '../../../lib/api/auth.api.ts';

export interface NotificationListData {
  items: Notification[];
  unread: number;
}

export const notificationKeys = {
  list: ['notifications', 'list'] as const,
};

/** How often the header bell asks for new notifications. */
export const NOTIFICATION_POLL_MS = 60_000;

/** The caller's notifications (newest first) and the unread count; polled every minute and on window focus. */
export function useNotifications() {
  // Not while signing out: a poll landing after the session ended would come back 401.
  const signingOut = useIsMutating({ mutationKey: LOGOUT_MUTATION_KEY }) > 0;
  return useQuery({
    enabled: !signingOut,
    queryKey: notificationKeys.list,
    queryFn: ({ signal }) => api.get<NotificationListData>('/notifications', undefined, signal),
    refetchInterval: NOTIFICATION_POLL_MS,
    refetchOnWindowFocus: true,
    staleTime: 10_000,
  });
}

export function useMarkNotificationRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<Notification>(`/notifications/${encodeURIComponent(id)}/read`),
    onSuccess: (read) =>
      queryClient.setQueryData<NotificationListData>(notificationKeys.list, (old) => {
        if (!old) return old;
        const wasUnread = old.items.some((n) => n.id === read.id && !n.readAt);
        return {
          items: old.items.map((n) => (n.id === read.id ? read : n)),
          unread: Math.max(0, old.unread - (wasUnread ? 1 : 0)),
        };
      }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: notificationKeys.list }),
  });
}

export function useMarkAllNotificationsRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<{ marked: number }>('/notifications/read-all'),
    onSuccess: () => {
      const at = new Date().toISOString();
      queryClient.setQueryData<NotificationListData>(notificationKeys.list, (old) =>
        old ? { items: old.items.map((n) => (n.readAt ? n : { ...n, readAt: at })), unread: 0 } : old,
      );
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: notificationKeys.list }),
  });
}

/** A notification's link, only when it is an app path (never another origin). */
export function appPath(link: string | null): string | null {
  if (!link?.startsWith('/') || link.startsWith('//') || link.startsWith('/\\')) return null;
  return link;
}
