import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it, onTestFinished } from 'vitest';
import type { Task } from '../src/shared/schemas/plan.schema.ts';
import { buildApp } from '../src/server/app.ts';
import { loadConfig } from '../src/server/config.ts';
import { type DbHandle, migrateToLatest, openDatabase } from '../src/server/db/database.ts';
import { DEMO_ACCOUNTS, DEMO_TODAY, demoToday, seedDemoIfEmpty } from '../src/server/demo/demo-seed.ts';
import { verifyAuditChain } from '../src/server/modules/audit/audit.service.ts';
import { describeEachDialect } from './helpers/dialects.ts';

const quiet = { info: () => {}, warn: () => {} };

// Seeding a demo year runs every service the office would (a year of reports, 督办, the project
// library with its files, the half-year assessment): 15–25 s on PostgreSQL on an idle machine, up
// to three times that on a shared one, so the default 30 s is too close.
const SEED_TIMEOUT = 180_000;

describeEachDialect('demo seed', (ctx) => {
  let handle: DbHandle;
  beforeAll(async () => {
    handle = openDatabase(ctx.url());
    await migrateToLatest(handle.db);
  });
  afterAll(async () => {
    await handle?.close();
  });

  it(
    'loads the Hebi registry, plan and demo accounts into an empty database, once',
    async () => {
      const messages: string[] = [];
      const log = { info: (m: string) => messages.push(m), warn: (m: string) => messages.push(m) };
      const result = await seedDemoIfEmpty(handle.db, { demo: true, adminPassword: undefined, today: '2018-06-20' }, log);
      expect(result).toMatchObject({ kind: 'demo', taskCount: 27, today: '2018-06-20' });
      if (result.kind !== 'demo') throw new Error('no demo');
      // A monthly schedule from the plan's first month: the months before "today" reported and closed
      // (the demo is a record, issue 11 item 9), the period containing "today" open.
      const periods = await handle.db
        .selectFrom('reporting_periods')
        .select(['id', 'label', 'status', 'due_date'])
        .where('plan_id', '=', result.planId!)
        .orderBy('start_date')
        .execute();
      expect(periods.map(({ label, status, due_date }) => ({ label, status, due_date }))).toEqual([
        { label: '2018年4月', status: 'closed', due_date: '2018-05-05' },
        { label: '2018年5月', status: 'closed', due_date: '2018-06-05' },
        { label: '2018年6月', status: 'open', due_date: '2018-07-05' },
      ]);
      expect(periods[2]!.id).toBe(result.openedPeriods[0]);
      // The month open today has no reports yet: a county starts its month from scratch.
      expect(await handle.db.selectFrom('progress_reports').select('id').where('period_id', '=', periods[2]!.id).execute()).toEqual([]);
      expect(messages.join('\n')).toContain('luoshi-qixian-2018');
      expect((await seedDemoIfEmpty(handle.db, { demo: true, adminPassword: undefined, today: '2018-07-20' }, quiet)).kind).toBe('skipped');
      expect(await verifyAuditChain(handle.db)).toMatchObject({ ok: true });

      const config = { ...loadConfig({}), databaseUrl: ctx.url(), logLevel: 'silent' as const, webDir: '/nonexistent' };
      const { app } = await buildApp(config, { handle, logger: false });
      try {
        await app.ready();
        for (const account of DEMO_ACCOUNTS) {
          const res = await app.inject({
            method: 'POST',
            url: '/api/auth/login',
            payload: { username: account.username, password: account.password },
          });
          expect(res.statusCode, account.username).toBe(200);
          expect(res.json().org.name).toBe(account.orgName);
        }
        const login = await app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { username: 'qixian', password: 'luoshi-qixian-2018' },
        });
        const cookie = `luoshi_session=${login.cookies.find((c) => c.name === 'luoshi_session')!.value}`;
        const orgId = login.json().org.id as string;
        const plans = (await app.inject({ method: 'GET', url: '/api/plans', headers: { cookie } })).json();
        const planId = plans.items[0].id as string;
        const mine = await app.inject({ method: 'GET', url: `/api/plans/${planId}/tasks?orgId=${orgId}&limit=500`, headers: { cookie } });
        // 各县区政府 and 有关县区政府 include 淇县政府: nearly every task is the county's.
        expect(mine.json().total).toBeGreaterThan(20);
        const tasks = (await app.inject({ method: 'GET', url: `/api/plans/${planId}/tasks?limit=500`, headers: { cookie } })).json()
          .items as Task[];
        const roads = tasks[2].targets.find((x) => x.value === 70)!;
        expect(roads).toMatchObject({ jurisdictionLabel: '淇县', jurisdictionOrgId: orgId, jurisdictionName: '淇县政府' });
        const pipes = tasks[5].targets;
        expect(pipes.filter((x) => x.parentTargetId === pipes[0].id)).toHaveLength(3);
        expect(pipes[1].jurisdictionName).toBe('淇滨区政府');
      } finally {
        await app.close();
      }
    },
    SEED_TIMEOUT,
  );
});

describeEachDialect('demo record (the default demo "today")', (ctx) => {
  let handle: DbHandle;
  beforeAll(async () => {
    handle = openDatabase(ctx.url());
    await migrateToLatest(handle.db);
  });
  afterAll(async () => {
    await handle?.close();
  });

  it(
    'seeds a year: April–November closed with per-county snapshots, late and resubmitted reports, 督办 with escalations, a dashboard mostly on track',
    async () => {
      // No LUOSHI_TODAY: the demo picks its own date, and a server on this database keeps it.
      expect(await demoToday(handle.db, { demo: true, today: undefined })).toBe(DEMO_TODAY);
      // The upload directory `npm start` has (UPLOAD_DIR): the demo library's files land in it.
      const uploadDir = mkdtempSync(path.join(os.tmpdir(), 'luoshi-demo-uploads-'));
      onTestFinished(() => rmSync(uploadDir, { recursive: true, force: true }));
      const result = await seedDemoIfEmpty(handle.db, { demo: true, adminPassword: undefined, today: undefined, uploadDir }, quiet);
      if (result.kind !== 'demo' || !result.planId) throw new Error('no demo');
      expect(result.today).toBe('2018-12-20');
      expect(await demoToday(handle.db, { demo: false, today: undefined })).toBe('2018-12-20');
      expect(await demoToday(handle.db, { demo: true, today: '2019-03-01' })).toBe('2019-03-01');
      const planId = result.planId;

      const periods = await handle.db
        .selectFrom('reporting_periods')
        .select(['id', 'label', 'status', 'closed_at'])
        .where('plan_id', '=', planId)
        .orderBy('start_date')
        .execute();
      expect(periods.map((p) => `${p.label}:${p.status}`)).toEqual([
        ...['4', '5', '6', '7', '8', '9', '10', '11'].map((m) => `2018年${m}月:closed`),
        '2018年12月:open',
      ]);
      // Closed on their own days (the 17th of the next month), not when the seed ran.
      expect(periods.filter((p) => p.closed_at).every((p) => p.closed_at!.startsWith('2018-'))).toBe(true);

      // Snapshots: one row per row × reporting organisation; a target every county reports has a row per county.
      const november = periods[7]!;
      const snaps = await handle.db
        .selectFrom('period_snapshots')
        .select(['task_id', 'target_key', 'org_id', 'report_id', 'report_status', 'is_late'])
        .where('period_id', '=', november.id)
        .execute();
      const perRow = new Map<string, Set<string | null>>();
      for (const s of snaps)
        perRow.set(`${s.task_id}/${s.target_key}`, (perRow.get(`${s.task_id}/${s.target_key}`) ?? new Set()).add(s.org_id));
      const counties = ['淇滨区政府', '山城区政府', '鹤山区政府', '浚县政府', '淇县政府'];
      const orgIds = new Map((await handle.db.selectFrom('organisations').select(['id', 'name']).execute()).map((o) => [o.name, o.id]));
      const everyCounty = [...perRow.values()].filter((orgs) => counties.every((c) => orgs.has(orgIds.get(c)!)));
      expect(everyCounty.length).toBeGreaterThan(10);
      // Who reported what and who missed: most rows filed, some not, some late.
      const filed = snaps.filter((s) => s.report_id !== null);
      expect(filed.length / snaps.length).toBeGreaterThan(0.85);
      expect(snaps.length - filed.length).toBeGreaterThan(0);
      const allSnaps = await handle.db.selectFrom('period_snapshots').select(['is_late', 'report_status']).execute();
      expect(allSnaps.filter((s) => Number(s.is_late) === 1).length).toBeGreaterThan(50);
      // 淇县 never reports the 50 % target of "市各城区、浚县" (another jurisdiction's row).
      const shared = await handle.db
        .selectFrom('targets')
        .select('id')
        .where('jurisdiction_label', '=', '市各城区、浚县')
        .executeTakeFirstOrThrow();
      const sharedRows = await handle.db
        .selectFrom('period_snapshots')
        .select('org_id')
        .where('period_id', '=', november.id)
        .where('target_key', '=', shared.id)
        .execute();
      expect(sharedRows.map((r) => r.org_id)).not.toContain(orgIds.get('淇县政府'));
      expect(sharedRows.map((r) => r.org_id)).toContain(orgIds.get('浚县政府'));

      // Returned and resubmitted through the services (audited), then approved.
      const actions = await handle.db
        .selectFrom('audit_events')
        .select(['action', 'entity_id'])
        .where('entity_type', '=', 'progress_report')
        .execute();
      const returned = new Set(actions.filter((a) => a.action === 'progress_report.return').map((a) => a.entity_id));
      expect(returned.size).toBeGreaterThan(3);
      const resubmitted = actions.filter((a) => a.action === 'progress_report.submit' && returned.has(a.entity_id));
      expect(resubmitted.length).toBe(returned.size);
      expect(actions.some((a) => a.action === 'progress_report.approve' && returned.has(a.entity_id))).toBe(true);

      // 督办: notices dated in 2018, some escalated, one to a yellow card.
      const notices = await handle.db.selectFrom('supervision_notices').select(['escalation_step', 'created_at', 'due_date']).execute();
      expect(notices.length).toBeGreaterThanOrEqual(3);
      expect(notices.every((n) => n.created_at.startsWith('2018-') && n.due_date.startsWith('2018-'))).toBe(true);
      expect(notices.filter((n) => n.escalation_step !== null).length).toBeGreaterThanOrEqual(2);
      expect(notices.map((n) => n.escalation_step)).toContain('yellow_card');
      expect(await verifyAuditChain(handle.db)).toMatchObject({ ok: true });

      // The first dashboard: not a wall of red.
      const config = {
        ...loadConfig({}),
        databaseUrl: ctx.url(),
        logLevel: 'silent' as const,
        webDir: '/nonexistent',
        today: result.today,
        uploadDir,
      };
      const { app } = await buildApp(config, { handle, logger: false });
      try {
        await app.ready();
        const login = await app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { username: 'admin', password: 'luoshi-admin-2018' },
        });
        const cookie = `luoshi_session=${login.cookies.find((c) => c.name === 'luoshi_session')!.value}`;
        const dash = (await app.inject({ method: 'GET', url: `/api/dashboard?planId=${planId}`, headers: { cookie } })).json();
        expect(dash.asOf).toBe('2018-12-20');
        const by = dash.byStatus as Record<string, number>;
        const rows = Object.values(by).reduce((n, v) => n + v, 0);
        expect(rows).toBeGreaterThan(100);
        expect((by.on_track + by.done) / rows).toBeGreaterThan(0.6);
        expect(by.overdue / rows).toBeLessThan(0.2);
        expect(by.at_risk + by.overdue).toBeGreaterThan(0);
        expect(dash.supervision.open).toBeGreaterThanOrEqual(3);
        expect(dash.reporting.periods[0]).toMatchObject({ label: '2018年12月', status: 'open' });

        // Hebi is one city of the province; the second city is the province's other (synthetic) one.
        const tenants = await handle.db.selectFrom('tenants').select(['org_id', 'level', 'parent_org_id']).execute();
        const province = tenants.find((x) => x.level === 'province')!;
        expect(tenants.filter((x) => x.level === 'city').map((x) => x.parent_org_id)).toEqual([province.org_id, province.org_id]);
        const signIn = async (username: string, password: string) => {
          const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
          expect(res.statusCode, username).toBe(200);
          return `luoshi_session=${res.cookies.find((c) => c.name === 'luoshi_session')!.value}`;
        };
        const plansOf = async (c: string) =>
          ((await app.inject({ method: 'GET', url: '/api/plans', headers: { cookie: c } })).json().items as Array<{ id: string }>)
            .map((x) => x.id)
            .sort();
        const second = result.secondCity;
        expect(await plansOf(await signIn('sheng', 'luoshi-sheng-2018'))).toEqual([planId, second.planId].sort());
        expect(await plansOf(cookie)).toEqual([planId]);
        expect(await plansOf(await signIn('xuchang', 'luoshi-xuchang-2018'))).toEqual([second.planId]);
        const yanling = await signIn('yanling', 'luoshi-yanling-2018');
        expect(await plansOf(yanling)).toEqual([second.planId]);
        expect((await app.inject({ method: 'GET', url: `/api/plans/${planId}`, headers: { cookie: yanling } })).statusCode).toBe(404);
        expect(second.taskCount).toBe(7);
        const secondPeriods = await handle.db
          .selectFrom('reporting_periods')
          .select(['label', 'status'])
          .where('plan_id', '=', second.planId)
          .orderBy('start_date')
          .execute();
        expect(secondPeriods.map((p) => `${p.label}:${p.status}`)).toEqual([
          '2018年9月:closed',
          '2018年10月:closed',
          '2018年11月:closed',
          '2018年12月:open',
        ]);
        expect(second.reports).toBeGreaterThan(3 * 20);
        expect(second.notices).toBeGreaterThanOrEqual(1);
        // Each city has its own 市住房和城乡建设局 (names are unique per city).
        const zhujian = await handle.db.selectFrom('organisations').select('tenant_id').where('name', '=', '市住房和城乡建设局').execute();
        expect(new Set(zhujian.map((z) => z.tenant_id)).size).toBe(2);
        const secondDash = (
          await app.inject({
            method: 'GET',
            url: `/api/dashboard?planId=${second.planId}`,
            headers: { cookie: await signIn('xuchang', 'luoshi-xuchang-2018') },
          })
        ).json();
        expect(Object.values(secondDash.byStatus as Record<string, number>).reduce((n, v) => n + v, 0)).toBeGreaterThan(20);

        // The project library of Hebi (its plan's city): around sixty projects in every state, with
        // real files — 立项批复 PDFs on projects and site photos on the monthly reports.
        const owner = (await handle.db.selectFrom('plans').select('owner_org_id').where('id', '=', planId).executeTakeFirstOrThrow())
          .owner_org_id;
        const hebiOrgs = (await handle.db.selectFrom('organisations').select('id').where('tenant_id', '=', owner).execute()).map(
          (o) => o.id,
        );
        const projects = await handle.db
          .selectFrom('projects')
          .select(['id', 'org_id', 'status'])
          .where('org_id', 'in', hebiOrgs)
          .execute();
        expect(projects.length).toBeGreaterThanOrEqual(60);
        expect(new Set(projects.map((p) => p.org_id)).size).toBe(5);
        expect(new Set(projects.map((p) => p.status))).toEqual(
          new Set(['draft', 'submitted', 'returned', 'reserve', 'admitted', 'in_progress', 'completed', 'accepted']),
        );
        const ids = projects.map((p) => p.id);
        const files = await handle.db.selectFrom('project_files').selectAll().where('project_id', 'in', ids).execute();
        const docs = files.filter((f) => f.kind === 'document');
        const photos = files.filter((f) => f.kind === 'photo');
        expect(docs.length).toBeGreaterThanOrEqual(15);
        expect(docs.every((f) => f.content_type === 'application/pdf' && f.filename.startsWith('立项批复'))).toBe(true);
        expect(photos.length).toBeGreaterThanOrEqual(10);
        expect(photos.every((f) => f.content_type === 'image/png' && f.project_report_id !== null)).toBe(true);
        // Each photo is on a report that went on to be submitted, as a unit files it.
        const photoReports = await handle.db
          .selectFrom('project_reports')
          .select('status')
          .where(
            'id',
            'in',
            photos.map((f) => f.project_report_id!),
          )
          .execute();
        expect(photoReports.every((r) => r.status === 'submitted' || r.status === 'approved')).toBe(true);
        // Served through the API like any upload: the bytes are the stored file's.
        for (const f of [docs[0]!, photos[0]!]) {
          const res = await app.inject({ method: 'GET', url: `/api/project-files/${f.id}`, headers: { cookie } });
          expect(res.statusCode).toBe(200);
          expect(res.headers['content-type']).toContain(f.content_type);
          expect(createHash('sha256').update(res.rawPayload).digest('hex')).toBe(f.sha256);
          expect(res.rawPayload.subarray(0, 5).toString('latin1')).toBe(f.kind === 'document' ? '%PDF-' : '\x89PNG\r');
        }
        const listed = (await app.inject({ method: 'GET', url: `/api/projects/${docs[0]!.project_id}/files`, headers: { cookie } })).json();
        expect(listed.items.map((x: { id: string }) => x.id)).toContain(docs[0]!.id);
      } finally {
        await app.close();
      }
      // A whole demo year with its files, its project library and its half-year assessment.
    },
    SEED_TIMEOUT,
  );
});

it('without the demo, creates the first admin with a generated password printed once', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'luoshi-seed-'));
  const handle = openDatabase(path.join(dir, 'x.db'));
  try {
    await migrateToLatest(handle.db);
    const messages: string[] = [];
    const log = { info: (m: string) => messages.push(m), warn: (m: string) => messages.push(m) };
    const result = await seedDemoIfEmpty(handle.db, { demo: false, adminPassword: undefined, today: undefined }, log);
    expect(result).toEqual({ kind: 'bootstrap-admin', username: 'admin' });
    expect(messages.join('\n')).toMatch(/generated password \S{12,}/);
    const users = await handle.db.selectFrom('users').select(['username', 'role']).execute();
    expect(users).toEqual([{ username: 'admin', role: 'admin' }]);
  } finally {
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
