/**
 * No route lets one county read another county's unsubmitted work. Unique canary strings are
 * seeded into 浚县's draft reports (value, 进展情况, 存在问题, 下步打算), a draft's evidence file
 * (name, id, sha256) and a notice evidence file 浚县 has not yet named in an answer, all on a task
 * shared by both counties. Then every GET operation of the OpenAPI document is walked (path ids
 * from the seeded rows, each optional query filter tried on its own, xlsx downloads unzipped) as
 * 淇县, as the lead department of the task, as a lead department that does not lead it, and as
 * leadership: no response may contain any canary. The office walks the same routes and must find
 * every canary somewhere, so the test cannot pass because the canaries never reach a response.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yauzl from 'yauzl';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from './helpers/dialects.ts';
import { insertReportingFixture, type ReportingFixture } from './helpers/fixtures.ts';
import { DISTRICT_POINTS, projectBody } from './helpers/project-factories.ts';
import { type TestClient, useTestApp } from './helpers/test-app.ts';
import { makeTwoCities } from './helpers/two-cities.ts';

function multipart(bytes: Buffer, filename: string, contentType = 'application/octet-stream') {
  const boundary = `----luoshi${randomUUID()}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { payload: Buffer.concat([head, bytes, tail]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** A small valid PDF whose bytes (and so sha256) are unique to this run. */
function uniquePdf(): Buffer {
  return Buffer.from(
    `%PDF-1.4\n% ${randomBytes(16).toString('hex')}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`,
  );
}

/** Every entry of a zip (xlsx) as text, so canaries inside sheet XML are found too. */
function unzipText(bytes: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('not a zip'));
      const parts: string[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e ?? new Error('no stream'));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            parts.push(`<<${entry.fileName}>>`, Buffer.concat(chunks).toString('utf8'));
            zip.readEntry();
          });
          stream.on('error', reject);
        });
      });
      zip.on('end', () => resolve(parts.join('\n')));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

interface Op {
  key: string;
  path: string;
  op: any;
}

/** The body of each URL's response to `client` (zip downloads with their entries' text), by URL. */
async function fetchAll(client: TestClient, urls: readonly string[]): Promise<Map<string, { status: number; text: string }>> {
  const out = new Map<string, { status: number; text: string }>();
  for (const url of urls) {
    const res = await client.get(url);
    const raw = res.rawPayload;
    let text = res.body;
    if (raw.length > 4 && raw[0] === 0x50 && raw[1] === 0x4b) text = `${text}\n${await unzipText(raw)}`;
    out.set(url, { status: res.statusCode, text });
  }
  return out;
}

describeEachDialect('no route leaks another county’s drafts (canaries)', (ctx) => {
  const uploadDir = mkdtempSync(path.join(os.tmpdir(), 'luoshi-canary-uploads-'));
  afterAll(() => rmSync(uploadDir, { recursive: true, force: true }));
  const t = useTestApp(ctx, { uploadDir });
  const tag = randomBytes(6).toString('hex');
  const canary = {
    narrative: `CANARYnarrative${tag}`,
    problems: `CANARYproblems${tag}`,
    nextSteps: `CANARYnextsteps${tag}`,
    taskNarrative: `CANARYtasknarrative${tag}`,
    closedNarrative: `CANARYclosednarrative${tag}`,
    evidenceName: `CANARYevidence${tag}.pdf`,
    noticeEvidenceName: `CANARYnoticeevidence${tag}.pdf`,
    projectName: `CANARYproject${tag}`,
    projectScale: `CANARYprojectscale${tag}`,
    projectFileName: `CANARYprojectfile${tag}.pdf`,
  } as Record<string, string>;
  /** A value no other number in the seed comes near. */
  const canaryValue = 48_213.77;
  let f: ReportingFixture;
  let admin: TestClient;
  let ids: {
    ownReport: string;
    deletedEvidence: string;
    openPeriod: string;
    closedPeriod: string;
    draft: string;
    evidence: string;
    notice: string;
    noticeEvidence: string;
    snapshot: string;
    project: string;
    projectFile: string;
    publication: string;
  };

  const ok = <T>(res: { statusCode: number; body: string; json(): unknown }, code = 200): T => {
    expect(res.statusCode, res.body).toBe(code);
    return res.json() as T;
  };

  beforeAll(async () => {
    f = await insertReportingFixture(t(), { title: '防泄漏测试方案' });
    admin = await t().login('admin');
    const tr = ok<{ id: string }>(await admin.post('/api/organisations', { name: '市交通运输局', kind: 'department' }), 201);
    ok(
      await admin.post('/api/users', {
        username: 'canary.lead2',
        displayName: '交通局填报员',
        orgId: tr.id,
        role: 'lead',
        password: 'lead2-pass-01',
      }),
      201,
    );
    ok(
      await admin.post('/api/users', {
        username: 'canary.unit2',
        displayName: '浚县填报员',
        orgId: t().orgs.county2.id,
        role: 'unit',
        password: 'unit2-pass-01',
      }),
      201,
    );
    const unit2 = await t().loginAs('canary.unit2', 'unit2-pass-01');
    const unit = await t().login('unit');

    ok(await admin.put(`/api/plans/${f.planId}/reporting-schedule`, { frequency: 'monthly', dueDay: 5, graceDays: 2 }));
    // A period that closes with a 浚县 draft in it, so snapshots exist (and must not carry the draft).
    const jan = ok<{ id: string; version: number }>(
      await admin.post(`/api/plans/${f.planId}/periods`, { start: '2026-01-15', open: true }),
      201,
    );
    ok(
      await unit2.put(`/api/periods/${jan.id}/reports`, {
        taskId: f.taskA,
        targetId: f.targetCounty2,
        value: canaryValue,
        confirmOutlier: true,
        narrative: canary.closedNarrative,
      }),
    );
    // 淇县's own submitted report, so the snapshot and ledger have something legitimately readable.
    const own = ok<{ id: string; version: number }>(
      await unit.put(`/api/periods/${jan.id}/reports`, { taskId: f.taskA, targetId: f.targetCounty, value: 3, narrative: '淇县已建成3座' }),
    );
    ok(await unit.post(`/api/reports/${own.id}/submit`, { version: own.version }));
    ok(await admin.post(`/api/periods/${jan.id}/close`, { version: jan.version }));
    const snapshots = ok<{ items: Array<{ id: string; targetId: string | null }> }>(await admin.get(`/api/periods/${jan.id}/snapshots`));
    const snapshot = snapshots.items.find((s) => s.targetId === f.targetCounty2)!;
    // The office publishes the closed period, so the public portal's routes are walked with data.
    const publication = ok<{ id: string }>(await admin.post('/api/publications', { kind: 'period', sourceId: jan.id }), 201);

    const mar = ok<{ id: string }>(
      await admin.post(`/api/plans/${f.planId}/periods`, { start: '2026-03-01', dueDate: '2099-04-05', open: true }),
      201,
    );
    const draft = ok<{ id: string }>(
      await unit2.put(`/api/periods/${mar.id}/reports`, {
        taskId: f.taskA,
        targetId: f.targetCounty2,
        // The canary number is an outlier by design: the value rule asks for confirmation.
        value: canaryValue,
        confirmOutlier: true,
        narrative: canary.narrative,
        problems: canary.problems,
        nextSteps: canary.nextSteps,
      }),
    );
    ok(
      await unit2.put(`/api/periods/${mar.id}/reports`, {
        taskId: f.taskA,
        targetId: null,
        completionPercent: 40,
        narrative: canary.taskNarrative,
      }),
    );
    const pdf = uniquePdf();
    const evidence = ok<{ id: string; sha256: string }>(
      await unit2.request({
        method: 'POST',
        url: `/api/reports/${draft.id}/evidence`,
        ...multipart(pdf, canary.evidenceName, 'application/pdf'),
      }),
      201,
    );
    // A file added and deleted again: its delete event names the report only in its JSON.
    const gone = ok<{ id: string }>(
      await unit2.request({
        method: 'POST',
        url: `/api/reports/${draft.id}/evidence`,
        ...multipart(uniquePdf(), 'deleted.pdf', 'application/pdf'),
      }),
      201,
    );
    ok(await unit2.delete(`/api/evidence/${gone.id}`));
    canary.evidenceId = evidence.id;
    canary.evidenceSha = evidence.sha256;
    canary.draftId = draft.id;

    // A notice to both counties; 浚县's file is its draft until an answer names it.
    const notice = ok<{ id: string }>(
      await admin.post('/api/supervision', {
        rows: [
          { taskId: f.taskA, orgId: t().orgs.county.id },
          { taskId: f.taskA, orgId: t().orgs.county2.id },
        ],
        reason: '公厕建设进度滞后',
        requiredAction: '说明原因',
        dueDate: '2099-12-10',
      }),
      201,
    );
    const noticeFile = ok<{ id: string; sha256: string }>(
      await unit2.request({
        method: 'POST',
        url: `/api/supervision/${notice.id}/evidence`,
        ...multipart(uniquePdf(), canary.noticeEvidenceName, 'application/pdf'),
      }),
      201,
    );
    canary.noticeEvidenceId = noticeFile.id;
    canary.noticeEvidenceSha = noticeFile.sha256;
    // 浚县's draft project, counted toward a 浚县 target: 淇县 and the lead departments never see it.
    const project = ok<{ id: string }>(
      await unit2.post('/api/projects', {
        ...projectBody({ name: canary.projectName, scale: canary.projectScale, location: { ...DISTRICT_POINTS.浚县, datum: 'GCJ02' } }),
        targets: [{ targetId: f.targetCounty2, contribution: 2 }],
      }),
      201,
    );
    canary.projectId = project.id;
    // A file on 浚县's draft project (附件): as unseen as the project.
    const projectFile = ok<{ id: string }>(
      await unit2.request({
        method: 'POST',
        url: `/api/projects/${project.id}/files`,
        ...multipart(uniquePdf(), canary.projectFileName!, 'application/pdf'),
      }),
      201,
    );
    canary.projectFileId = projectFile.id;
    ids = {
      project: project.id,
      projectFile: projectFile.id,
      ownReport: own.id,
      deletedEvidence: gone.id,
      openPeriod: mar.id,
      closedPeriod: jan.id,
      draft: draft.id,
      evidence: evidence.id,
      notice: notice.id,
      noticeEvidence: noticeFile.id,
      snapshot: snapshot.id,
      publication: publication.id,
    };
  });

  /** The GET operations of the OpenAPI document. */
  async function getOps(): Promise<Op[]> {
    const doc = ok<{ paths: Record<string, Record<string, any>> }>(await t().anonymous.get('/api/openapi.json'));
    const ops: Op[] = [];
    for (const [p, methods] of Object.entries(doc.paths)) {
      if (methods.get) ops.push({ key: `GET ${p}`, path: p, op: methods.get });
    }
    return ops;
  }

  /** Every URL to try for an operation: path ids from the seed; without query filters and with each filter alone. */
  function urlsFor({ path: p, op }: Op): string[] {
    const idFor = (): string[] => {
      if (p.startsWith('/api/plans/')) return [f.planId];
      if (p.startsWith('/api/tasks/')) return [f.taskA];
      if (p.startsWith('/api/targets/')) return [f.targetCounty2];
      if (p.startsWith('/api/periods/')) return [ids.openPeriod, ids.closedPeriod];
      if (p.startsWith('/api/reports/')) return [ids.draft];
      if (p.startsWith('/api/evidence/')) return [ids.evidence];
      if (p.startsWith('/api/snapshots/')) return [ids.snapshot];
      if (p.startsWith('/api/supervision/evidence/')) return [ids.noticeEvidence];
      if (p.startsWith('/api/supervision/')) return [ids.notice];
      if (p.startsWith('/api/organisations/')) return [t().orgs.county2.id];
      if (p.startsWith('/api/projects/')) return [ids.project];
      if (p.startsWith('/api/project-files/')) return [ids.projectFile];
      // Admin-only rows with nothing of a county in them: any id checks the route.
      if (p.startsWith('/api/plan-imports/')) return [randomUUID()];
      // Coverage layers, analyses and target links hold nothing of a county's drafts: any id checks the route.
      if (p.startsWith('/api/coverage/targets/')) return [f.targetCounty2];
      if (p.startsWith('/api/coverage/')) return [randomUUID()];
      // Assessments read only frozen snapshots and notices (a draft report never reaches them);
      // their row-level access is walked in test/assessment.test.ts: any id checks the route.
      if (/^\/api\/(assessments|assessment-schemes|bulletins)\//.test(p)) return [randomUUID()];
      if (p.startsWith('/api/publications/') || p.startsWith('/api/public/publications/')) return [ids.publication];
      throw new Error(`canary walk: no id for ${p}; add one`);
    };
    const params = (op.parameters ?? []) as Array<{ in: string; name: string; required?: boolean; schema?: any }>;
    const pathParams = params.filter((x) => x.in === 'path').map((x) => x.name);
    // Second path parameters with values of their own (the public portal's task and dataset).
    const extraValues: Record<string, string[]> = { taskId: [f.taskA], dataset: ['tasks', 'targets', 'districts', 'sections'] };
    const extra = pathParams.filter((n) => n !== 'id' && !(n in extraValues));
    if (extra.length > 0) throw new Error(`canary walk: path parameters ${extra.join(', ')} of ${p}; add values`);
    let bases = p.includes('{id}') ? idFor().map((id) => p.replace('{id}', id)) : [p];
    for (const name of pathParams.filter((n) => n in extraValues)) {
      bases = bases.flatMap((b) => extraValues[name]!.map((v) => b.replace(`{${name}}`, v)));
    }
    const hint = (name: string, schema: any): string[] => {
      const values: string[] = Array.isArray(schema?.enum) ? schema.enum.map(String) : [];
      if (name === 'planId') values.push(f.planId);
      if (name === 'taskId') values.push(f.taskA);
      if (name === 'orgId') values.push(t().orgs.county2.id);
      if (name === 'dryRun') values.push('1');
      if (name === 'planYear') values.push('2026');
      if (name === 'q') values.push('公厕');
      return values;
    };
    const query = params.filter((x) => x.in === 'query');
    const required = query.filter((x) => x.required);
    const requiredQs = required.map((x) => `${x.name}=${encodeURIComponent(hint(x.name, x.schema)[0] ?? '')}`);
    const urls: string[] = [];
    for (const base of bases) {
      const join = (extraQs: string[]) => {
        const qs = [...requiredQs, ...extraQs];
        return qs.length > 0 ? `${base}?${qs.join('&')}` : base;
      };
      urls.push(join([]));
      for (const q of query.filter((x) => !x.required)) {
        for (const v of hint(q.name, q.schema)) urls.push(join([`${q.name}=${encodeURIComponent(v)}`]));
      }
    }
    return urls;
  }

  /** The body of every response to `client`'s walk, by URL (zip downloads as their entries' text). */
  async function walk(client: TestClient): Promise<Map<string, { status: number; text: string }>> {
    return fetchAll(
      client,
      (await getOps()).flatMap((op) => urlsFor(op)),
    );
  }

  const canaries = () => ({ ...canary, value: String(canaryValue) });

  it('the office reaches every canary (so the walk can find a leak)', async () => {
    const seen = await walk(admin);
    const all = [...seen.values()].map((r) => r.text).join('\n');
    const missing = Object.entries(canaries())
      .filter(([, c]) => !all.includes(c))
      .map(([k]) => k);
    expect(missing).toEqual([]);
    // Downloads are searched inside: 淇县's submitted 进展情况 is in the export's 最新进展 column,
    // which the compressed bytes alone would never show.
    const exported = [...seen.entries()].filter(([url]) => url.startsWith('/api/ledger/export.xlsx')).map(([, r]) => r.text);
    expect(exported.length).toBeGreaterThan(0);
    expect(exported.some((text) => text.includes('淇县已建成3座'))).toBe(true);
    // The walk really ran routes, not only errors.
    expect([...seen.values()].filter((r) => r.status === 200).length).toBeGreaterThan(30);
  });

  it('淇县, the task’s lead department, another lead department and leadership see none of 浚县’s drafts', async () => {
    const callers: Array<[string, TestClient]> = [
      ['unit 淇县', await t().login('unit')],
      ['lead 市住建局 (leads the task)', await t().login('lead')],
      ['lead 市交通运输局 (does not lead it)', await t().loginAs('canary.lead2', 'lead2-pass-01')],
      ['leader', await t().login('leader')],
    ];
    const leaks: string[] = [];
    let answered = 0;
    for (const [who, client] of callers) {
      for (const [url, res] of await walk(client)) {
        if (res.status === 200) answered += 1;
        for (const [name, c] of Object.entries(canaries())) {
          // A 404 names the URL asked for (problem+json `instance`): an id the caller sent is no leak.
          if (url.includes(c)) continue;
          // Leadership oversees every notice with all its files, drafts included (supervision.policy.ts).
          if (who === 'leader' && name.startsWith('noticeEvidence')) continue;
          // Leadership reads every project, drafts included (projects.policy.ts, issue 14).
          if (who === 'leader' && name.startsWith('project')) continue;
          if (res.text.includes(c)) leaks.push(`${who}: GET ${url} (${res.status}) contains ${name}`);
        }
      }
    }
    expect(leaks).toEqual([]);
    // Guard against a vacuous pass: most routes answered these callers.
    expect(answered).toBeGreaterThan(4 * 20);
  });

  it('history still shows each caller the events it may read', async () => {
    type Ev = { entityType: string; entityId: string; action: string };
    const history = async (c: TestClient) => ok<{ items: Ev[] }>(await c.get(`/api/tasks/${f.taskA}/history`)).items;
    const unit2 = await t().loginAs('canary.unit2', 'unit2-pass-01');
    const mine = await history(unit2);
    expect(mine.filter((e) => e.entityId === ids.draft).map((e) => e.action)).toEqual(['progress_report.create']);
    // Both events of the deleted file, though its row is gone: the report is named in the JSON.
    expect(mine.filter((e) => e.entityId === ids.deletedEvidence).map((e) => e.action)).toEqual([
      'evidence_file.delete',
      'evidence_file.create',
    ]);
    expect(mine.some((e) => e.entityId === ids.evidence)).toBe(true);

    const qixian = await history(await t().login('unit'));
    expect(qixian.filter((e) => e.entityId === ids.ownReport).map((e) => e.action)).toEqual([
      'progress_report.submit',
      'progress_report.create',
    ]);
    expect(qixian.some((e) => e.entityId === ids.draft || e.entityId === ids.deletedEvidence || e.entityType === 'evidence_file')).toBe(
      false,
    );

    // The task's lead unit reads 淇县's submitted report; a department that does not lead it does not.
    const lead = await history(await t().login('lead'));
    expect(lead.filter((e) => e.entityId === ids.ownReport).map((e) => e.action)).toEqual([
      'progress_report.submit',
      'progress_report.create',
    ]);
    expect(lead.some((e) => e.entityId === ids.draft)).toBe(false);
    const other = await history(await t().loginAs('canary.lead2', 'lead2-pass-01'));
    expect(other.some((e) => e.entityType === 'progress_report' || e.entityType === 'evidence_file')).toBe(false);

    const all = await history(admin);
    expect(all.length).toBeGreaterThan(mine.length);
    expect(all.some((e) => e.entityId === ids.draft) && all.some((e) => e.entityId === ids.ownReport)).toBe(true);
  });
});

/**
 * No route lets one city read another city's data (issue 12). City A is the test app's world
 * under a province; city B (makeTwoCities) gets unique canaries in its county's name, its
 * accounts' display names, its plan's title and task, a closed period's submitted report and an
 * open period's draft (value, 进展情况, 存在问题, 下步打算), a draft's evidence file, a 督办 notice
 * (reason, required action) with a file, and a project. Every GET operation of the OpenAPI
 * document is walked with A's ids and with B's ids as A's office, lead department, county and
 * leadership: no response may contain a canary. B's office walks the same and must find every
 * canary, so the test cannot pass because the canaries never reach a response.
 */
describeEachDialect('no route leaks another city’s data (canaries)', (ctx) => {
  const uploadDir = mkdtempSync(path.join(os.tmpdir(), 'luoshi-canary-cities-'));
  afterAll(() => rmSync(uploadDir, { recursive: true, force: true }));
  const t = useTestApp(ctx, { uploadDir });
  const tag = randomBytes(6).toString('hex');
  const canary: Record<string, string> = {
    county: `CANARYcounty${tag}`,
    adminName: `CANARYadmin${tag}`,
    unitName: `CANARYunit${tag}`,
    leadName: `CANARYlead${tag}`,
    planTitle: `CANARYplan${tag}`,
    taskText: `CANARYtask${tag}`,
    narrative: `CANARYnarrative${tag}`,
    problems: `CANARYproblems${tag}`,
    nextSteps: `CANARYnextsteps${tag}`,
    closedNarrative: `CANARYclosednarrative${tag}`,
    evidenceName: `CANARYevidence${tag}.pdf`,
    noticeReason: `CANARYnoticereason${tag}`,
    noticeAction: `CANARYnoticeaction${tag}`,
    noticeEvidenceName: `CANARYnoticeevidence${tag}.pdf`,
    projectName: `CANARYproject${tag}`,
    projectFileName: `CANARYprojectfile${tag}.pdf`,
  };
  const canaryValue = 37_519.43;
  type Ids = Record<
    | 'plan'
    | 'task'
    | 'target'
    | 'openPeriod'
    | 'closedPeriod'
    | 'report'
    | 'evidence'
    | 'snapshot'
    | 'notice'
    | 'noticeEvidence'
    | 'org'
    | 'project'
    | 'projectFile',
    string
  >;
  let a: Ids;
  let b: Ids;
  let adminB: TestClient;

  const ok = <T>(res: { statusCode: number; body: string; json(): unknown }, code = 200): T => {
    expect(res.statusCode, res.body).toBe(code);
    return res.json() as T;
  };

  /** One city's reporting record: a closed month with a submitted report, an open month with a draft and its file, a notice with a file, a draft project. */
  async function record(
    admin: TestClient,
    unit: TestClient,
    o: {
      planId: string;
      taskId: string;
      targetId: string;
      orgId: string;
      value: number;
      texts: Record<string, string>;
      point: { lng: number; lat: number };
    },
  ) {
    ok(await admin.put(`/api/plans/${o.planId}/reporting-schedule`, { frequency: 'monthly', dueDay: 5, graceDays: 2 }));
    const jan = ok<{ id: string; version: number }>(
      await admin.post(`/api/plans/${o.planId}/periods`, { start: '2026-01-15', open: true }),
      201,
    );
    const closed = ok<{ id: string; version: number }>(
      await unit.put(`/api/periods/${jan.id}/reports`, {
        taskId: o.taskId,
        targetId: o.targetId,
        value: 3,
        narrative: o.texts.closedNarrative,
      }),
    );
    ok(await unit.post(`/api/reports/${closed.id}/submit`, { version: closed.version }));
    ok(await admin.post(`/api/periods/${jan.id}/close`, { version: jan.version }));
    const snapshots = ok<{ items: Array<{ id: string }> }>(await admin.get(`/api/periods/${jan.id}/snapshots`));
    const mar = ok<{ id: string }>(
      await admin.post(`/api/plans/${o.planId}/periods`, { start: '2026-03-01', dueDate: '2099-04-05', open: true }),
      201,
    );
    const draft = ok<{ id: string }>(
      await unit.put(`/api/periods/${mar.id}/reports`, {
        taskId: o.taskId,
        targetId: o.targetId,
        value: o.value,
        confirmOutlier: true,
        narrative: o.texts.narrative,
        problems: o.texts.problems,
        nextSteps: o.texts.nextSteps,
      }),
    );
    const evidence = ok<{ id: string; sha256: string }>(
      await unit.request({
        method: 'POST',
        url: `/api/reports/${draft.id}/evidence`,
        ...multipart(uniquePdf(), o.texts.evidenceName!, 'application/pdf'),
      }),
      201,
    );
    const notice = ok<{ id: string }>(
      await admin.post('/api/supervision', {
        rows: [{ taskId: o.taskId, orgId: o.orgId }],
        reason: o.texts.noticeReason,
        requiredAction: o.texts.noticeAction,
        dueDate: '2099-12-10',
      }),
      201,
    );
    const noticeFile = ok<{ id: string; sha256: string }>(
      await unit.request({
        method: 'POST',
        url: `/api/supervision/${notice.id}/evidence`,
        ...multipart(uniquePdf(), o.texts.noticeEvidenceName!, 'application/pdf'),
      }),
      201,
    );
    const project = ok<{ id: string }>(
      await unit.post('/api/projects', {
        ...projectBody({ name: o.texts.projectName, location: { ...o.point, datum: 'GCJ02' } }),
        targets: [{ targetId: o.targetId, contribution: 2 }],
      }),
      201,
    );
    const projectFile = ok<{ id: string }>(
      await unit.request({
        method: 'POST',
        url: `/api/projects/${project.id}/files`,
        ...multipart(uniquePdf(), o.texts.projectFileName!, 'application/pdf'),
      }),
      201,
    );
    return {
      plan: o.planId,
      task: o.taskId,
      target: o.targetId,
      openPeriod: mar.id,
      closedPeriod: jan.id,
      report: draft.id,
      evidence: evidence.id,
      evidenceSha: evidence.sha256,
      snapshot: snapshots.items[0]!.id,
      notice: notice.id,
      noticeEvidence: noticeFile.id,
      noticeEvidenceSha: noticeFile.sha256,
      org: o.orgId,
      project: project.id,
      projectFile: projectFile.id,
    };
  }

  beforeAll(async () => {
    const f = await insertReportingFixture(t(), { title: '甲市防泄漏测试方案' });
    const cities = await makeTwoCities(t(), {
      county: canary.county,
      admin: canary.adminName,
      unit: canary.unitName,
      lead: canary.leadName,
      planTitle: canary.planTitle,
      taskText: canary.taskText,
    });
    const adminA = await t().login('admin');
    const unitA = await t().login('unit');
    const own = (s: string) => `甲市${s}`;
    const recA = await record(adminA, unitA, {
      planId: f.planId,
      taskId: f.taskA,
      targetId: f.targetCounty,
      orgId: t().orgs.county.id,
      value: 5,
      texts: Object.fromEntries(Object.keys(canary).map((k) => [k, k.endsWith('Name') ? `${own(k)}.pdf` : own(k)])),
      point: DISTRICT_POINTS.淇县,
    });
    adminB = await cities.b.admin.login();
    const unitB = await cities.b.unit.login();
    const recB = await record(adminB, unitB, {
      planId: cities.b.plan.planId,
      taskId: cities.b.taskId,
      targetId: cities.b.targetId,
      orgId: cities.b.county.id,
      value: canaryValue,
      texts: canary,
      point: DISTRICT_POINTS.浚县,
    });
    canary.evidenceId = recB.evidence;
    canary.evidenceSha = recB.evidenceSha;
    canary.noticeEvidenceId = recB.noticeEvidence;
    canary.noticeEvidenceSha = recB.noticeEvidenceSha;
    canary.draftId = recB.report;
    canary.projectId = recB.project;
    canary.projectFileId = recB.projectFile;
    canary.username = cities.b.unit.username;
    a = recA;
    b = recB;
  });

  async function getOps(): Promise<Op[]> {
    const doc = ok<{ paths: Record<string, Record<string, any>> }>(await t().anonymous.get('/api/openapi.json'));
    return Object.entries(doc.paths)
      .filter(([, m]) => m.get)
      .map(([p, m]) => ({ key: `GET ${p}`, path: p, op: m.get }));
  }

  /** URLs for an operation with one city's ids: without query filters and with each filter alone. */
  function urlsFor({ path: p, op }: Op, ids: Ids): string[] {
    const idFor = (): string[] => {
      if (p.startsWith('/api/plans/')) return [ids.plan];
      if (p.startsWith('/api/tasks/')) return [ids.task];
      if (p.startsWith('/api/targets/')) return [ids.target];
      if (p.startsWith('/api/periods/')) return [ids.openPeriod, ids.closedPeriod];
      if (p.startsWith('/api/reports/')) return [ids.report];
      if (p.startsWith('/api/evidence/')) return [ids.evidence];
      if (p.startsWith('/api/snapshots/')) return [ids.snapshot];
      if (p.startsWith('/api/supervision/evidence/')) return [ids.noticeEvidence];
      if (p.startsWith('/api/supervision/')) return [ids.notice];
      if (p.startsWith('/api/organisations/')) return [ids.org];
      if (p.startsWith('/api/projects/')) return [ids.project];
      if (p.startsWith('/api/project-files/')) return [ids.projectFile];
      if (p.startsWith('/api/coverage/targets/')) return [ids.target];
      if (/^\/api\/(plan-imports|coverage|assessments|assessment-schemes|bulletins|publications|public\/publications)\//.test(p))
        return [randomUUID()];
      throw new Error(`canary walk: no id for ${p}; add one`);
    };
    const params = (op.parameters ?? []) as Array<{ in: string; name: string; required?: boolean; schema?: any }>;
    const pathParams = params.filter((x) => x.in === 'path').map((x) => x.name);
    const extraValues: Record<string, string[]> = { taskId: [ids.task], dataset: ['tasks', 'targets', 'districts', 'sections'] };
    const extra = pathParams.filter((n) => n !== 'id' && !(n in extraValues));
    if (extra.length > 0) throw new Error(`canary walk: path parameters ${extra.join(', ')} of ${p}; add values`);
    let bases = p.includes('{id}') ? idFor().map((id) => p.replace('{id}', id)) : [p];
    for (const name of pathParams.filter((n) => n in extraValues)) {
      bases = bases.flatMap((x) => extraValues[name]!.map((v) => x.replace(`{${name}}`, v)));
    }
    const hint = (name: string, schema: any): string[] => {
      const values: string[] = Array.isArray(schema?.enum) ? schema.enum.map(String) : [];
      if (name === 'planId') values.push(ids.plan);
      if (name === 'taskId') values.push(ids.task);
      if (name === 'orgId') values.push(ids.org);
      if (name === 'tenant') values.push(ids.org);
      if (name === 'dryRun') values.push('1');
      if (name === 'planYear') values.push('2026');
      if (name === 'q') values.push('公厕');
      return values;
    };
    const query = params.filter((x) => x.in === 'query');
    const requiredQs = query.filter((x) => x.required).map((x) => `${x.name}=${encodeURIComponent(hint(x.name, x.schema)[0] ?? '')}`);
    const urls: string[] = [];
    for (const base of bases) {
      const join = (extraQs: string[]) => {
        const qs = [...requiredQs, ...extraQs];
        return qs.length > 0 ? `${base}?${qs.join('&')}` : base;
      };
      urls.push(join([]));
      for (const q of query.filter((x) => !x.required)) {
        for (const v of hint(q.name, q.schema)) urls.push(join([`${q.name}=${encodeURIComponent(v)}`]));
      }
    }
    return urls;
  }

  /** Every response of `client`'s walk over both cities' ids, by URL (zip downloads as their entries' text). */
  async function walk(client: TestClient): Promise<Map<string, { status: number; text: string }>> {
    return fetchAll(client, [...new Set((await getOps()).flatMap((op) => [...urlsFor(op, a), ...urlsFor(op, b)]))]);
  }

  const canaries = () => ({ ...canary, value: String(canaryValue) });

  it('city B’s office reaches every canary (so the walk can find a leak)', async () => {
    const seen = await walk(adminB);
    const all = [...seen.values()].map((r) => r.text).join('\n');
    const missing = Object.entries(canaries())
      .filter(([, c]) => !all.includes(c))
      .map(([k]) => k);
    expect(missing).toEqual([]);
    expect([...seen.values()].filter((r) => r.status === 200).length).toBeGreaterThan(30);
  }, 300_000);

  it('city A’s office, lead department, county and leadership see nothing of city B', async () => {
    const callers: Array<[string, TestClient]> = [
      ['A admin', await t().login('admin')],
      ['A lead', await t().login('lead')],
      ['A unit', await t().login('unit')],
      ['A leader', await t().login('leader')],
    ];
    const leaks: string[] = [];
    let answered = 0;
    for (const [who, client] of callers) {
      for (const [url, res] of await walk(client)) {
        if (res.status === 200) answered += 1;
        for (const [name, c] of Object.entries(canaries())) {
          // A 404 names the URL asked for (problem+json `instance`): an id the caller sent is no leak.
          if (url.includes(c)) continue;
          if (res.text.includes(c)) leaks.push(`${who}: GET ${url} (${res.status}) contains ${name}`);
        }
      }
    }
    // Printed so a failing run lists every leaking route at once.
    if (leaks.length > 0) console.log(`cross-city leaks (${leaks.length}):\n${leaks.join('\n')}`);
    expect(leaks).toEqual([]);
    expect(answered).toBeGreaterThan(4 * 20);
  }, 600_000);
});
