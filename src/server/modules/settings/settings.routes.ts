import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { InstallationSettings, PublicSettings, UpdateSettingsBody } from '../../../shared/schemas/settings.schema.ts';
import { getPublicSettings, getSettings, updateSettings } from './settings.service.ts';

/** The installation's name and office name (and the server's today); the admin edits them. */
export const settingsRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['settings'];
  const today = () => app.appConfig.today;

  app.get(
    '/settings/public',
    {
      config: { policy: 'public' },
      schema: { tags, summary: 'The installation name, for the login page', response: { 200: PublicSettings } },
    },
    async () => getPublicSettings(app.db),
  );

  app.get(
    '/settings',
    {
      config: { policy: 'signedIn' },
      schema: { tags, summary: "The installation's name, office name and the server's today", response: { 200: InstallationSettings } },
    },
    async (req) => getSettings(app.db, today(), req.actor),
  );

  app.put(
    '/settings',
    {
      config: { policy: 'admin' },
      schema: {
        tags,
        summary: 'Rename the installation or its office (send the version you read)',
        body: UpdateSettingsBody,
        response: { 200: InstallationSettings },
      },
    },
    async (req) => updateSettings(app.db, req.actor, req.body, today()),
  );
};
