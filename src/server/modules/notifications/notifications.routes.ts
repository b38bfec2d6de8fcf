import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParams } from '../../../shared/schemas/common.schema.ts';
import { MarkAllReadResult, Notification, NotificationList } from '../../../shared/schemas/supervision.schema.ts';
import { requireActor } from '../../http/policy.ts';
import { listMyNotifications, markAllRead, markRead } from './notifications.service.ts';

/** In-app notifications: each user reads and marks only their own. */
export const notificationsRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['notifications'];

  app.get(
    '/notifications',
    {
      config: { policy: 'signedIn' },
      schema: { tags, summary: 'The caller’s notifications, newest first', response: { 200: NotificationList } },
    },
    async (req) => listMyNotifications(app.db, requireActor(req)),
  );

  app.post(
    '/notifications/:id/read',
    {
      config: { policy: 'signedIn' },
      schema: { tags, summary: 'Mark one of the caller’s notifications read', params: IdParams, response: { 200: Notification } },
    },
    async (req) => markRead(app.db, requireActor(req), req.params.id),
  );

  app.post(
    '/notifications/read-all',
    {
      config: { policy: 'signedIn' },
      schema: { tags, summary: 'Mark all the caller’s unread notifications read', response: { 200: MarkAllReadResult } },
    },
    async (req) => markAllRead(app.db, requireActor(req)),
  );
};
