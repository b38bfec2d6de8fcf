import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParams, Page } from '../../../shared/schemas/common.schema.ts';
import { CreateUserBody, UpdateUserBody, User, UserList } from '../../../shared/schemas/user.schema.ts';
import { createUser, listUsers, updateUser } from './users.service.ts';

/** Account administration (admin only). */
export const usersRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/users',
    { config: { policy: 'admin' }, schema: { tags: ['users'], summary: 'List accounts', querystring: Page, response: { 200: UserList } } },
    async (req) => listUsers(app.db, req.query, req.actor),
  );

  app.post(
    '/users',
    {
      config: { policy: 'admin' },
      schema: { tags: ['users'], summary: 'Create an account', body: CreateUserBody, response: { 201: User } },
    },
    async (req, reply) => reply.code(201).send(await createUser(app.db, req.actor, req.body)),
  );

  app.patch(
    '/users/:id',
    {
      config: { policy: 'admin' },
      schema: {
        tags: ['users'],
        summary: 'Edit an account, reset its password or deactivate it',
        params: IdParams,
        body: UpdateUserBody,
        response: { 200: User },
      },
    },
    async (req) => updateUser(app.db, req.actor, req.params.id, req.body),
  );
};
