/**
 * Property: no request body makes a write route fail with a 5xx. For every POST/PUT/PATCH/DELETE
 * operation in the OpenAPI document, bodies come from the route's own (zod-derived) JSON Schema
 * — mostly valid, with edge cases — mixed with fc.anything(), sent as admin.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { describeEachDialect } from './helpers/dialects.ts';
import { insertTaskFixture } from './helpers/fixtures.ts';
import { arbitraryFromSchema, type JsonSchema } from './helpers/json-schema-arbitrary.ts';
import { projectBody } from './helpers/project-factories.ts';
import { useTestApp } from './helpers/test-app.ts';

const NUM_RUNS = 30;
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function toJsonPayload(value: unknown): string {
  // fc.anything() produces undefined, -0, sparse arrays…: whatever JSON.stringify makes of it.
  return JSON.stringify(value) ?? '';
}

describeEachDialect('API fuzz', (ctx) => {
  const t = useTestApp(ctx);

  // The walk grows with the API (30 bodies per write route): its own time budget, so a loaded
  // machine running other suites beside it does not cut it short.
  it('write routes never answer 5xx', { timeout: 180_000 }, async () => {
    const doc = (await t().anonymous.get('/api/openapi.json')).json() as { paths: Record<string, Record<string, any>> };
    const ops: Array<{ method: string; path: string; op: any }> = [];
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods))
        if (WRITE_METHODS.has(method.toUpperCase())) ops.push({ method: method.toUpperCase(), path, op });
    }
    expect(ops.length).toBeGreaterThan(10);

    const admin0 = await t().login('admin');
    const spareUser = (
      await admin0.post('/api/users', {
        username: 'fuzz.spare',
        displayName: '备用',
        orgId: t().orgs.county.id,
        role: 'unit',
        password: 'spare-pass-01',
      })
    ).json();
    const imported = await admin0.post('/api/plan-imports', { text: '一、任务\n1.建设道路9公里。（责任单位：淇县）\n' });
    const planImportId: string | undefined = imported.statusCode < 300 ? imported.json().id : undefined;
    // One of admin's own notifications, so marking it read reaches the service (and succeeds).
    const notificationId = '00000000-0000-4000-8000-00000000f001';
    await t()
      .db.insertInto('notifications')
      .values({
        id: notificationId,
        user_id: t().users.admin.user.id,
        kind: 'fuzz',
        title: '测试',
        body: '',
        link: null,
        read_at: null,
        dedupe_key: null,
        created_at: new Date().toISOString(),
      })
      .execute();

    const failures: string[] = [];
    let requests = 0;
    let successes = 0;
    for (const { method, path, op } of ops) {
      // A fresh session and fresh rows per route: logout, password changes or deletions by one
      // route must not turn the next route's calls into 401/404 noise.
      const admin = await t().login('admin');
      const f = await insertTaskFixture(t(), 'assigned');
      // A real notice per supervision route, so fuzzed answers, closes and escalations reach the service.
      let noticeId = '00000000-0000-4000-8000-000000000000';
      if (path.startsWith('/api/supervision/{id}')) {
        const notice = await admin.post('/api/supervision', {
          rows: [{ taskId: f.taskId, orgId: t().orgs.county.id }],
          reason: '测试',
          requiredAction: '测试',
          dueDate: '2026-12-31',
        });
        if (notice.statusCode >= 300) throw new Error(`fixture: POST /api/supervision failed: ${notice.statusCode} ${notice.body}`);
        noticeId = notice.json().id;
      }
      // A real project (淇县, submitted) per project route, so fuzzed reviews, edits and reports reach the service.
      let projectId = '00000000-0000-4000-8000-000000000000';
      if (path.startsWith('/api/projects/{id}')) {
        const created = await admin.post('/api/projects', { ...projectBody(), orgId: t().orgs.county.id });
        if (created.statusCode >= 300) throw new Error(`fixture: POST /api/projects failed: ${created.statusCode} ${created.body}`);
        projectId = created.json().id;
      }
      const knownIds = [
        f.planId,
        f.taskId,
        f.targetId,
        f.deadlineId,
        f.assignmentId,
        f.sectionId,
        t().orgs.county.id,
        t().orgs.group.id,
        spareUser.id,
      ];
      const idFor = (p: string): string => {
        if (p.startsWith('/api/plans/')) return f.planId;
        if (p.startsWith('/api/tasks/')) return f.taskId;
        if (p.startsWith('/api/targets/')) return f.targetId;
        if (p.startsWith('/api/deadlines/')) return f.deadlineId;
        if (p.startsWith('/api/assignments/')) return f.assignmentId;
        if (p.startsWith('/api/organisations/')) return t().orgs.county2.id;
        if (p.startsWith('/api/users/')) return spareUser.id;
        if (p.startsWith('/api/plan-imports/')) return planImportId ?? '00000000-0000-4000-8000-000000000000';
        if (p.startsWith('/api/supervision/')) return noticeId;
        if (p.startsWith('/api/notifications/')) return notificationId;
        if (p.startsWith('/api/coverage/targets/')) return f.targetId;
        if (p.startsWith('/api/projects/')) return projectId;
        return '00000000-0000-4000-8000-000000000000';
      };
      const hints = { uuid: () => t().orgs.county.id, knownIds };
      const url = path.replace('{id}', idFor(path));
      const schema: JsonSchema | undefined = op.requestBody?.content?.['application/json']?.schema;
      const queryParams = (op.parameters ?? []).filter((p: any) => p.in === 'query');
      const bodyArb = fc.oneof(
        { weight: 3, arbitrary: schema ? arbitraryFromSchema(schema, hints) : fc.constant(undefined) },
        { weight: 1, arbitrary: fc.anything() },
      );
      const queryArb = fc.record(
        Object.fromEntries(
          queryParams.map((p: any) => [p.name, fc.oneof(arbitraryFromSchema(p.schema, hints, p.name), fc.string(), fc.constant(''))]),
        ),
        { requiredKeys: [] },
      );

      await fc
        .assert(
          fc.asyncProperty(bodyArb, queryArb, async (body, query) => {
            const qs = Object.entries(query as Record<string, unknown>)
              .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(typeof v === 'string' ? v : JSON.stringify(v))}`)
              .join('&');
            const res = await admin.request({
              method: method as any,
              url: qs ? `${url}?${qs}` : url,
              ...(body === undefined && !schema ? {} : { payload: toJsonPayload(body), headers: { 'content-type': 'application/json' } }),
            });
            requests += 1;
            if (res.statusCode < 300) successes += 1;
            if (res.statusCode >= 500) {
              failures.push(
                `${method} ${path} → ${res.statusCode} for body ${toJsonPayload(body).slice(0, 300)} query ${qs.slice(0, 100)}`,
              );
              return false;
            }
            return true;
          }),
          { numRuns: NUM_RUNS, endOnFailure: true },
        )
        .catch(() => {});
    }
    expect(failures).toEqual([]);
    expect(requests).toBe(ops.length * NUM_RUNS);
    // The schema-derived bodies must get past validation often enough to exercise the services.
    // Not one per route: multipart upload routes and routes whose rows a fuzzed call deleted
    // legitimately never succeed, and their number grows with the API.
    expect(successes).toBeGreaterThan(ops.length / 2);
    // 30 requests per write route: the walk grows with the API (about 70 routes with the project
    // library), past the suite's default 30 s on a loaded machine.
  });
});
