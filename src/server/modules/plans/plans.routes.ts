import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { todayInShanghai } from '../../../shared/china-date.ts';
import { IdParams, Ok, Version } from '../../../shared/schemas/common.schema.ts';
import {
  Assignment,
  CreateAssignmentBody,
  CreateDeadlineBody,
  CreateTargetBody,
  Deadline,
  Plan,
  PlanDetail,
  PlanList,
  Target,
  Task,
  TaskList,
  TaskListQuery,
  UpdatePlanBody,
  UpdateTargetBody,
  UpdateTaskBody,
} from '../../../shared/schemas/plan.schema.ts';
import { requireActor } from '../../http/policy.ts';
import { getPlanDetail, listPlans, updatePlan } from './plans.service.ts';
import { createTarget, deleteTarget, updateTarget } from './targets.service.ts';
import { addAssignment, addDeadline, getTask, listTasks, removeAssignment, removeDeadline, updateTask } from './tasks.service.ts';

const VersionQuery = z.object({ version: z.coerce.number().pipe(Version) });

/**
 * Plans and their ledger rows: sections, tasks, assignments, deadlines, targets. Writes on a task
 * or target are authorised per row on top of the route policy, because what a lead or unit user
 * may change depends on its assignments: the services apply plans.policy.ts inside their
 * transaction (routes never call a row rule; dependency-cruiser's policy-not-from-routes).
 */
export const plansRoutes: FastifyPluginAsyncZod = async (app) => {
  const planTags = ['plans'];
  const tags = ['tasks'];
  // The day a task's statusAsOf is worked out for: the ledger's default (LUOSHI_TODAY, else today
  // in Asia/Shanghai), so a task shows the status its ledger rows show.
  const asOf = () => app.appConfig.today ?? todayInShanghai();

  app.get(
    '/plans',
    { config: { policy: 'read' }, schema: { tags: planTags, summary: 'List plans', response: { 200: PlanList } } },
    async (req) => listPlans(app.db, req.actor),
  );

  app.get(
    '/plans/:id',
    {
      config: { policy: 'read' },
      schema: { tags: planTags, summary: 'One plan with its sections tree', params: IdParams, response: { 200: PlanDetail } },
    },
    async (req) => getPlanDetail(app.db, req.params.id, req.actor),
  );

  app.patch(
    '/plans/:id',
    {
      config: { policy: 'admin' },
      schema: {
        tags: planTags,
        summary: 'Edit a plan (send the version you read)',
        params: IdParams,
        body: UpdatePlanBody,
        response: { 200: Plan },
      },
    },
    async (req) => updatePlan(app.db, req.params.id, req.body, req.actor),
  );

  app.get(
    '/plans/:id/tasks',
    {
      config: { policy: 'read' },
      schema: {
        tags: planTags,
        summary: 'A page of the plan’s tasks in document order, filtered by section, organisation, status, text',
        params: IdParams,
        querystring: TaskListQuery,
        response: { 200: TaskList },
      },
    },
    async (req) => listTasks(app.db, req.params.id, req.query, asOf(), req.actor),
  );

  app.get(
    '/tasks/:id',
    {
      config: { policy: 'read' },
      schema: { tags, summary: 'One task with assignments, deadlines and targets', params: IdParams, response: { 200: Task } },
    },
    async (req) => getTask(app.db, req.params.id, asOf(), req.actor),
  );

  app.patch(
    '/tasks/:id',
    {
      config: { policy: 'write' },
      schema: {
        tags,
        summary: 'Edit a task (send the version you read)',
        params: IdParams,
        body: UpdateTaskBody,
        response: { 200: Task },
      },
    },
    async (req) => updateTask(app.db, req.params.id, req.body, requireActor(req), asOf()),
  );

  app.post(
    '/tasks/:id/assignments',
    {
      config: { policy: 'admin' },
      schema: {
        tags,
        summary: 'Assign an organisation to the task',
        params: IdParams,
        body: CreateAssignmentBody,
        response: { 201: Assignment },
      },
    },
    async (req, reply) => reply.code(201).send(await addAssignment(app.db, req.params.id, req.body, req.actor)),
  );

  app.delete(
    '/assignments/:id',
    {
      config: { policy: 'admin' },
      schema: { tags, summary: 'Remove an assignment', params: IdParams, response: { 200: Ok } },
    },
    async (req) => {
      await removeAssignment(app.db, req.params.id, req.actor);
      return { ok: true as const };
    },
  );

  app.post(
    '/tasks/:id/deadlines',
    {
      config: { policy: 'write' },
      schema: {
        tags,
        summary: 'Add a deadline to the task',
        params: IdParams,
        body: CreateDeadlineBody,
        response: { 201: Deadline },
      },
    },
    async (req, reply) => reply.code(201).send(await addDeadline(app.db, req.params.id, req.body, req.actor)),
  );

  app.delete(
    '/deadlines/:id',
    {
      config: { policy: 'write' },
      schema: { tags, summary: 'Remove a deadline', params: IdParams, response: { 200: Ok } },
    },
    async (req) => {
      await removeDeadline(app.db, req.params.id, req.actor);
      return { ok: true as const };
    },
  );

  app.post(
    '/tasks/:id/targets',
    {
      config: { policy: 'write' },
      schema: {
        tags,
        summary: 'Add a quantified target (a district share names its total in parentTargetId)',
        params: IdParams,
        body: CreateTargetBody,
        response: { 201: Target },
      },
    },
    async (req, reply) => reply.code(201).send(await createTarget(app.db, req.params.id, req.body, req.actor)),
  );

  app.patch(
    '/targets/:id',
    {
      config: { policy: 'write' },
      schema: {
        tags: ['targets'],
        summary: 'Edit a target (send the version you read); district shares must fit in their total',
        params: IdParams,
        body: UpdateTargetBody,
        response: { 200: Target },
      },
    },
    async (req) => updateTarget(app.db, req.params.id, req.body, req.actor),
  );

  app.delete(
    '/targets/:id',
    {
      config: { policy: 'write' },
      schema: {
        tags: ['targets'],
        summary: 'Delete a target at the version you read',
        params: IdParams,
        querystring: VersionQuery,
        response: { 200: Ok },
      },
    },
    async (req) => {
      await deleteTarget(app.db, req.params.id, req.query.version, req.actor);
      return { ok: true as const };
    },
  );
};
