/**
 * The authorization contract (docs/decisions/0001-api-and-auth-contract.md) walked over the
 * OpenAPI document × every role. Every operation in the document must have a row in CONTRACT:
 * a new route without one fails this test, so its policy gets written down here.
 */
import { expect, it } from 'vitest';
import type { UserRole } from '../src/shared/enums.ts';
import { describeEachDialect } from './helpers/dialects.ts';
import { insertTaskFixture, type TaskScenario } from './helpers/fixtures.ts';
import { exampleFromSchema, type JsonSchema } from './helpers/json-schema-arbitrary.ts';
import { ROLES, TEST_PASSWORD, type TestClient, useTestApp } from './helpers/test-app.ts';

// roleWrite: the route-level `write` policy alone (admin, lead, unit); reporting's row-level rules are in test/reporting.test.ts.
// unitWrite: admin and unit (a project is created by a county or department, or by the office).
// oversight: admin and leader (GET /api/supervision: lead and unit users have the inbox instead).
type Rule = 'public' | 'read' | 'signedIn' | 'admin' | 'taskWrite' | 'targetWrite' | 'roleWrite' | 'unitWrite' | 'oversight';
type Caller = UserRole | 'anonymous';

const CONTRACT: Record<string, Rule> = {
  'GET /api/health': 'public',
  'POST /api/auth/login': 'public',
  'POST /api/auth/logout': 'signedIn',
  'GET /api/auth/me': 'signedIn',
  'GET /api/auth/session': 'public',
  'POST /api/auth/password': 'signedIn',
  'GET /api/organisations': 'read',
  'POST /api/organisations': 'admin',
  'GET /api/organisations/{id}': 'read',
  'PATCH /api/organisations/{id}': 'admin',
  'DELETE /api/organisations/{id}': 'admin',
  'GET /api/organisations/registry': 'read',
  'POST /api/organisations/registry': 'admin',
  'GET /api/users': 'admin',
  'POST /api/users': 'admin',
  'PATCH /api/users/{id}': 'admin',
  'GET /api/plans': 'read',
  'GET /api/plans/{id}': 'read',
  'PATCH /api/plans/{id}': 'admin',
  'GET /api/plans/{id}/tasks': 'read',
  'GET /api/tasks/{id}': 'read',
  'PATCH /api/tasks/{id}': 'taskWrite',
  'GET /api/tasks/{id}/history': 'read',
  'POST /api/tasks/{id}/assignments': 'admin',
  'DELETE /api/assignments/{id}': 'admin',
  'POST /api/tasks/{id}/deadlines': 'taskWrite',
  'DELETE /api/deadlines/{id}': 'taskWrite',
  'POST /api/tasks/{id}/targets': 'taskWrite',
  'PATCH /api/targets/{id}': 'targetWrite',
  'DELETE /api/targets/{id}': 'taskWrite',
  'POST /api/plans/{id}/sections': 'admin',
  'PATCH /api/sections/{id}': 'admin',
  'POST /api/sections/{id}/move': 'admin',
  'DELETE /api/sections/{id}': 'admin',
  'POST /api/tasks/{id}/move': 'admin',
  'POST /api/tasks/{id}/split': 'admin',
  'POST /api/tasks/{id}/merge': 'admin',
  'POST /api/plan-imports': 'admin',
  'GET /api/plan-imports/{id}': 'admin',
  'POST /api/plan-imports/{id}/mappings': 'admin',
  'POST /api/plan-imports/{id}/confirm': 'admin',
  'PUT /api/plan-imports/{id}/extract': 'admin',
  'GET /api/ledger': 'read',
  'GET /api/ledger/export.xlsx': 'read',
  'GET /api/dashboard': 'read',
  // Province callers only; others get 404 (tenancy: not there for them), not a route-policy denial.
  'GET /api/dashboard/province': 'read',
  'GET /api/audit/verify': 'admin',
  'GET /api/plans/{id}/reporting-schedule': 'read',
  'PUT /api/plans/{id}/reporting-schedule': 'admin',
  'GET /api/plans/{id}/jurisdiction-labels': 'read',
  'PUT /api/plans/{id}/jurisdiction-labels': 'admin',
  'GET /api/plans/{id}/periods': 'read',
  'POST /api/plans/{id}/periods': 'admin',
  'GET /api/periods/{id}': 'read',
  'POST /api/periods/{id}/open': 'admin',
  'POST /api/periods/{id}/close': 'admin',
  'GET /api/periods/{id}/my-reports': 'roleWrite',
  'GET /api/periods/{id}/reports': 'read',
  'PUT /api/periods/{id}/reports': 'roleWrite',
  'GET /api/reports/{id}': 'read',
  'POST /api/reports/{id}/submit': 'roleWrite',
  'POST /api/reports/{id}/approve': 'roleWrite',
  'POST /api/reports/{id}/return': 'roleWrite',
  'GET /api/periods/{id}/snapshots': 'read',
  'GET /api/snapshots/{id}': 'read',
  'POST /api/snapshots/{id}/amendments': 'admin',
  'POST /api/reports/{id}/evidence': 'roleWrite',
  'GET /api/reports/{id}/evidence': 'read',
  'GET /api/evidence/{id}': 'read',
  'DELETE /api/evidence/{id}': 'roleWrite',
  'GET /api/periods/{id}/my-report-template.xlsx': 'roleWrite',
  'POST /api/periods/{id}/my-report-upload': 'roleWrite',
  'GET /api/supervision': 'oversight',
  'GET /api/supervision/inbox': 'roleWrite',
  'GET /api/supervision/proposals': 'admin',
  'POST /api/supervision': 'admin',
  'GET /api/supervision/{id}': 'read',
  'POST /api/supervision/{id}/answer': 'roleWrite',
  'POST /api/supervision/{id}/close': 'admin',
  'POST /api/supervision/{id}/reopen': 'admin',
  'POST /api/supervision/{id}/escalations': 'admin',
  'POST /api/supervision/{id}/evidence': 'roleWrite',
  'GET /api/supervision/{id}/evidence': 'read',
  'GET /api/supervision/evidence/{id}': 'read',
  'GET /api/notifications': 'signedIn',
  'POST /api/notifications/{id}/read': 'signedIn',
  'POST /api/notifications/read-all': 'signedIn',
  'GET /api/settings/public': 'public',
  'GET /api/settings': 'signedIn',
  'PUT /api/settings': 'admin',
  'GET /api/coverage/layers': 'read',
  'GET /api/coverage/layers/{id}': 'read',
  'GET /api/coverage/layers/{id}/features': 'read',
  'POST /api/coverage/layers/import': 'admin',
  'GET /api/coverage/standards': 'read',
  'POST /api/coverage/standards': 'admin',
  'PATCH /api/coverage/standards/{id}': 'admin',
  'GET /api/coverage/districts': 'read',
  'GET /api/coverage/analyses': 'read',
  'POST /api/coverage/analyses': 'admin',
  'GET /api/coverage/analyses/{id}': 'read',
  'GET /api/coverage/analyses/{id}/map': 'read',
  'POST /api/coverage/analyses/{id}/suggestions': 'read',
  'POST /api/coverage/analyses/{id}/projects': 'admin',
  'GET /api/coverage/targets': 'read',
  'GET /api/coverage/targets/{id}': 'read',
  'GET /api/coverage/targets/{id}/periods': 'read',
  'PUT /api/coverage/targets/{id}': 'admin',
  'DELETE /api/coverage/targets/{id}': 'admin',
  // The project library: row-level access (own county, lead of a linked task) is in test/projects.test.ts.
  'GET /api/projects/boundary': 'read',
  'GET /api/project-lists': 'read',
  'PUT /api/project-lists/{kind}': 'admin',
  'GET /api/projects': 'read',
  'POST /api/projects': 'unitWrite',
  'GET /api/projects/{id}': 'read',
  'PUT /api/projects/{id}': 'roleWrite',
  'POST /api/projects/{id}/submit': 'roleWrite',
  'POST /api/projects/{id}/review': 'admin',
  'POST /api/projects/{id}/promote': 'admin',
  'POST /api/projects/{id}/complete': 'roleWrite',
  'POST /api/projects/{id}/accept': 'admin',
  'GET /api/projects/{id}/change-requests': 'read',
  'POST /api/projects/{id}/change-requests': 'roleWrite',
  'GET /api/project-change-requests': 'admin',
  'POST /api/project-change-requests/{id}/decision': 'admin',
  'GET /api/projects/{id}/reports': 'read',
  'POST /api/projects/{id}/reports': 'roleWrite',
  'GET /api/project-reports': 'read',
  'POST /api/project-reports/{id}/review': 'admin',
  'GET /api/project-rates': 'read',
  'GET /api/funding-balance': 'read',
  'GET /api/targets/{id}/projects': 'read',
  'PUT /api/targets/{id}/project-rule': 'admin',
  'GET /api/projects/export.xlsx': 'read',
  'GET /api/projects/import-template.xlsx': 'read',
  'POST /api/projects/import': 'unitWrite',
  'GET /api/funding-balance/export.xlsx': 'read',
  'GET /api/assessment-schemes': 'oversight',
  'POST /api/assessment-schemes': 'admin',
  'GET /api/assessment-schemes/{id}': 'read',
  'PUT /api/assessment-schemes/{id}': 'admin',
  'GET /api/assessments': 'read',
  'POST /api/assessments': 'admin',
  'GET /api/assessments/{id}': 'read',
  'GET /api/assessments/year-end': 'oversight',
  'GET /api/assessments/{id}/sheet': 'read',
  'POST /api/assessments/{id}/notes': 'roleWrite',
  'POST /api/assessments/{id}/adjustments': 'admin',
  'POST /api/assessments/{id}/publish': 'admin',
  'POST /api/assessments/{id}/objections': 'roleWrite',
  'POST /api/assessment-objections/{id}/answer': 'admin',
  'POST /api/assessments/{id}/finalise': 'admin',
  'POST /api/assessments/{id}/reissue': 'admin',
  'GET /api/assessments/{id}/verify': 'admin',
  'GET /api/assessments/{id}/ranking': 'read',
  'GET /api/assessments/{id}/consequences': 'oversight',
  'POST /api/assessment-consequences/{id}/decide': 'admin',
  'GET /api/assessments/{id}/bulletins': 'read',
  'POST /api/assessments/{id}/bulletins': 'admin',
  'GET /api/bulletins/{id}': 'read',
  'PUT /api/bulletins/{id}': 'admin',
  'POST /api/bulletins/{id}/issue': 'admin',
  'GET /api/bulletins/{id}/pdf': 'read',
  'GET /api/bulletins/{id}/docx': 'read',
  'GET /api/publications': 'admin',
  'POST /api/publications': 'admin',
  'GET /api/publications/sources': 'admin',
  'POST /api/publications/preview': 'admin',
  'POST /api/publications/{id}/withdraw': 'admin',
  'GET /api/public/publications': 'public',
  'GET /api/public/publications/{id}': 'public',
  'GET /api/public/publications/{id}/tasks': 'public',
  'GET /api/public/publications/{id}/tasks/{taskId}': 'public',
  'GET /api/public/publications/{id}/datasets/{dataset}': 'public',
  'GET /api/public/publications/{id}/ranking': 'public',
  'GET /api/public/publications/{id}/bulletin': 'public',
  'GET /api/public/publications/{id}/bulletin.pdf': 'public',
  'GET /api/public/search': 'public',
  'GET /api/public/catalogue': 'public',
  'GET /api/public/feed.atom': 'public',
};

/** Routes outside the document (hidden from it) that the contract still lists. */
const EXTRA: Array<[string, Rule]> = [
  ['GET /api/openapi.json', 'public'],
  ['GET /api/docs/', 'public'],
];

function isAllowed(rule: Rule, caller: Caller, scenario: TaskScenario): boolean {
  switch (rule) {
    case 'public':
      return true;
    case 'read':
    case 'signedIn':
      return caller !== 'anonymous';
    case 'admin':
      return caller === 'admin';
    case 'taskWrite':
      return caller === 'admin' || (scenario === 'assigned' && (caller === 'lead' || caller === 'unit'));
    case 'roleWrite':
      return caller === 'admin' || caller === 'lead' || caller === 'unit';
    case 'oversight':
      return caller === 'admin' || caller === 'leader';
    case 'unitWrite':
      return caller === 'admin' || caller === 'unit';
    case 'targetWrite':
      return (
        caller === 'admin' ||
        (scenario === 'assigned' && (caller === 'lead' || caller === 'unit')) ||
        (scenario === 'other' && caller === 'unit')
      );
  }
}

const PLAN_TEXT = '一、重点任务\n1.推进道路建设。2026年底前完成道路9公里。（牵头单位：市住建局；责任单位：淇县）\n';

describeEachDialect('authorization matrix', (ctx) => {
  const t = useTestApp(ctx);

  it('every operation × role matches the contract', async () => {
    const docRes = await t().anonymous.get('/api/openapi.json');
    expect(docRes.statusCode).toBe(200);
    const doc = docRes.json() as { paths: Record<string, Record<string, any>> };
    const ops: Array<{ key: string; method: string; path: string; op: any }> = [];
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods))
        ops.push({ key: `${method.toUpperCase()} ${path}`, method: method.toUpperCase(), path, op });
    }
    const missing = ops.filter((o) => !(o.key in CONTRACT)).map((o) => o.key);
    expect(missing, 'operations without a row in CONTRACT (add them, per the contract)').toEqual([]);
    const stale = Object.keys(CONTRACT).filter((k) => !ops.some((o) => o.key === k));
    expect(stale, 'CONTRACT rows with no route in the OpenAPI document').toEqual([]);

    const admin0 = await t().login('admin');
    const spareUser = (
      await admin0.post('/api/users', {
        username: 'matrix.spare',
        displayName: '备用',
        orgId: t().orgs.county.id,
        role: 'unit',
        password: 'spare-pass-01',
      })
    ).json();

    const sessions = new Map<Caller, TestClient>();
    const signInAll = async () => {
      sessions.set('anonymous', t().anonymous);
      for (const role of ROLES) sessions.set(role, await t().login(role));
    };
    await signInAll();

    const failures: string[] = [];
    let checks = 0;
    let denials = 0;
    let spareOrgCounter = 0;
    for (const { key, method, path, op } of ops) {
      const rule = CONTRACT[key];
      const scenarios: TaskScenario[] = rule === 'taskWrite' || rule === 'targetWrite' ? ['assigned', 'other'] : ['assigned'];
      for (const scenario of scenarios) {
        const f = await insertTaskFixture(t(), scenario);
        const spareOrg = (await admin0.post('/api/organisations', { name: `矩阵备用${spareOrgCounter++}`, kind: 'office' })).json();
        let planImportId: string | undefined;
        if (path.startsWith('/api/plan-imports/{id}')) {
          const created = await admin0.post('/api/plan-imports', { text: PLAN_TEXT });
          if (created.statusCode >= 300) throw new Error(`fixture: POST /api/plan-imports failed: ${created.statusCode} ${created.body}`);
          planImportId = created.json().id;
        }
        const idFor = (p: string): string => {
          if (p.startsWith('/api/plans/')) return f.planId;
          if (p.startsWith('/api/tasks/')) return f.taskId;
          if (p.startsWith('/api/sections/')) return f.sectionId;
          if (p.startsWith('/api/targets/')) return f.targetId;
          if (p.startsWith('/api/deadlines/')) return f.deadlineId;
          if (p.startsWith('/api/assignments/')) return f.assignmentId;
          if (p.startsWith('/api/organisations/')) return spareOrg.id;
          if (p.startsWith('/api/users/')) return spareUser.id;
          if (p.startsWith('/api/plan-imports/')) return planImportId!;
          // Reporting rows need a period and reports: an unknown id checks the route policy (404 = allowed).
          if (/^\/api\/(periods|reports|snapshots)\//.test(p)) return '00000000-0000-4000-8000-000000000000';
          // Evidence files hang off reports: likewise (row-level access is in test/reporting-files.test.ts).
          if (p.startsWith('/api/evidence/')) return '00000000-0000-4000-8000-000000000000';
          // Supervision notices and notifications: likewise (a unit's row-level access is in test/supervision.test.ts).
          if (/^\/api\/(supervision|notifications)\//.test(p)) return '00000000-0000-4000-8000-000000000000';
          // Coverage rows (layers, standards, analyses, links): likewise (row-level rules in test/coverage.test.ts).
          if (p.startsWith('/api/coverage/targets/')) return f.targetId;
          if (p.startsWith('/api/coverage/')) return '00000000-0000-4000-8000-000000000000';
          // Projects, their reports and change requests: likewise (row-level access is in test/projects.test.ts).
          if (/^\/api\/(projects|project-reports|project-change-requests)\//.test(p)) return '00000000-0000-4000-8000-000000000000';
          // Assessments, their objections, consequences and bulletins: likewise (row-level access is in test/assessment.test.ts).
          if (/^\/api\/(assessments|assessment-schemes|assessment-objections|assessment-consequences|bulletins)\//.test(p))
            return '00000000-0000-4000-8000-000000000000';
          // Publications: an unknown id checks the route policy (publishing itself is in test/publications.test.ts).
          if (/^\/api\/(publications|public)\//.test(p)) return '00000000-0000-4000-8000-000000000000';
          throw new Error(`authz matrix: no fixture id for ${p}; add one`);
        };
        const hints = {
          uuid: (name?: string) => (name === 'sectionId' ? f.sectionId : name === 'taskId' ? f.taskId : t().orgs.county2.id),
        };
        let url = path.includes('{id}') ? path.replace('{id}', idFor(path)) : path;
        const query = (op.parameters ?? []).filter((p: any) => p.in === 'query' && p.required);
        if (query.length > 0) {
          url += `?${query.map((p: any) => `${p.name}=${encodeURIComponent(String(exampleFromSchema(p.schema, hints, p.name)))}`).join('&')}`;
        }
        const schema: JsonSchema | undefined = op.requestBody?.content?.['application/json']?.schema;
        const payload = schema ? exampleFromSchema(schema, hints) : undefined;

        // Callers expected to be refused go first: an allowed call may delete the row.
        const callers: Caller[] = ['anonymous', ...ROLES];
        callers.sort((a, b) => Number(isAllowed(rule, a, scenario)) - Number(isAllowed(rule, b, scenario)));
        for (const caller of callers) {
          const client = sessions.get(caller)!;
          // Login only "allows" with real credentials: sign in as the caller's own account (anonymous: admin).
          const body =
            key === 'POST /api/auth/login' ? { username: caller === 'anonymous' ? 'admin' : caller, password: TEST_PASSWORD } : payload;
          const res = await client.request({ method: method as any, url, ...(body !== undefined ? { payload: body } : {}) });
          const allowed = isAllowed(rule, caller, scenario);
          const denied = res.statusCode === 401 || res.statusCode === 403;
          checks += 1;
          if (denied) denials += 1;
          const expectedDeny = caller === 'anonymous' && rule !== 'public' ? 401 : 403;
          if (allowed && denied)
            failures.push(`${key} [${scenario}] as ${caller}: expected allow, got ${res.statusCode} ${res.body.slice(0, 200)}`);
          if (!allowed && res.statusCode !== expectedDeny)
            failures.push(`${key} [${scenario}] as ${caller}: expected ${expectedDeny}, got ${res.statusCode} ${res.body.slice(0, 200)}`);
        }
        // Both replace the caller's session.
        if (key === 'POST /api/auth/logout' || key === 'POST /api/auth/login') await signInAll();
      }
    }

    for (const [key, rule] of EXTRA) {
      const [method, url] = key.split(' ');
      for (const caller of ['anonymous', ...ROLES] as Caller[]) {
        const res = await sessions.get(caller)!.request({ method: method as any, url });
        const allowed = isAllowed(rule, caller, 'assigned');
        if (allowed !== !(res.statusCode === 401 || res.statusCode === 403)) failures.push(`${key} as ${caller}: got ${res.statusCode}`);
      }
    }
    expect(failures).toEqual([]);
    // Guard against a vacuous pass: every operation was called by all five callers.
    expect(checks).toBeGreaterThanOrEqual(ops.length * 5);
    expect(denials).toBeGreaterThan(ops.length);
  });
});
