import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { NoticeEvidenceFile, Notification, SupervisionNotice } from '../src/shared/schemas/supervision.schema.ts';
import { remindersTickCommand } from '../src/cli/commands/reminders-tick.command.ts';
import { generateReminders } from '../src/server/jobs/reminder.job.ts';
import { describeEachDialect } from './helpers/dialects.ts';
import { makeNotice, makePeriod, makeTaskPlan, makeUser } from './helpers/factories.ts';
import { multipart } from './helpers/multipart.ts';
import { type TestClient, useTestApp } from './helpers/test-app.ts';

// The smallest valid PNG (1×1, transparent), a minimal PDF, and two files that only claim to be photos.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(62), Buffer.from('PE\0\0')]);
const HTML = Buffer.from('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>');

describeEachDialect('supervision notices', (ctx) => {
  const uploadDir = mkdtempSync(path.join(os.tmpdir(), 'luoshi-notice-uploads-'));
  afterAll(() => rmSync(uploadDir, { recursive: true, force: true }));
  const t = useTestApp(ctx, { uploadDir });
  let admin: TestClient;
  let unit: TestClient;
  let unit2: TestClient;
  let lead: TestClient;
  let leader: TestClient;

  /** A notice to 淇县 on the task of `taskId` (a fresh 'assigned' task plan of the case). */
  const issue = (taskId: string, over: Record<string, unknown> = {}) =>
    makeNotice(admin, { rows: [{ taskId, orgId: t().orgs.county.id }], ...over });

  const upload = (c: TestClient, noticeId: string, bytes: Buffer, filename: string, type?: string) =>
    c.request({ method: 'POST', url: `/api/supervision/${noticeId}/evidence`, ...multipart(bytes, filename, type) });
  const uploaded = async (c: TestClient, noticeId: string, bytes: Buffer, filename: string, type?: string) => {
    const res = await upload(c, noticeId, bytes, filename, type);
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as NoticeEvidenceFile;
  };
  const evidenceIds = async (c: TestClient, noticeId: string) => {
    const res = await c.get(`/api/supervision/${noticeId}/evidence`);
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { items: NoticeEvidenceFile[] }).items.map((e) => e.id).sort();
  };

  beforeAll(async () => {
    admin = await t().login('admin');
    unit = await t().login('unit');
    lead = await t().login('lead');
    leader = await t().login('leader');
    unit2 = await (await makeUser(t(), { orgId: t().orgs.county2.id, role: 'unit', displayName: '浚县填报员' })).login();
  });

  it('issues a notice that the receiving county sees and another county does not', async () => {
    const f = await makeTaskPlan(t(), 'assigned');
    const notice = await issue(f.taskId);
    expect(notice).toMatchObject({ status: 'open', escalationStep: null, version: 1, issuedBy: t().users.admin.user.id });
    expect(notice.rows).toEqual([expect.objectContaining({ taskId: f.taskId, orgId: t().orgs.county.id, orgName: '淇县' })]);

    const inbox = (await unit.get('/api/supervision/inbox')).json() as { items: SupervisionNotice[] };
    expect(inbox.items.map((n) => n.id)).toContain(notice.id);
    expect((await unit.get(`/api/supervision/${notice.id}`)).statusCode).toBe(200);

    const inbox2 = (await unit2.get('/api/supervision/inbox')).json() as { items: SupervisionNotice[] };
    expect(inbox2.items.map((n) => n.id)).not.toContain(notice.id);
    expect((await unit2.get(`/api/supervision/${notice.id}`)).statusCode).toBe(403);
    expect((await lead.get(`/api/supervision/${notice.id}`)).statusCode).toBe(403);

    // The office and leadership see every notice; units use their inbox.
    expect(((await leader.get('/api/supervision')).json() as { items: SupervisionNotice[] }).items.map((n) => n.id)).toContain(notice.id);
    expect((await leader.get(`/api/supervision/${notice.id}`)).statusCode).toBe(200);
    expect((await unit.get('/api/supervision')).statusCode).toBe(403);
  });

  it('refuses rows that are not ledger rows, and writes by leadership', async () => {
    const f = await makeTaskPlan(t(), 'assigned');
    const res = await admin.post('/api/supervision', {
      rows: [{ taskId: f.taskId, orgId: t().orgs.county2.id }],
      reason: '原因',
      requiredAction: '要求',
      dueDate: '2026-12-10',
    });
    expect(res.statusCode).toBe(422);
    const notice = await issue(f.taskId);
    const body = { rows: [{ taskId: f.taskId, orgId: t().orgs.county.id }], reason: '原因', requiredAction: '要求', dueDate: '2026-12-10' };
    expect((await leader.post('/api/supervision', body)).statusCode).toBe(403);
    expect((await leader.post(`/api/supervision/${notice.id}/answer`, { version: 1, text: '已整改' })).statusCode).toBe(403);
    expect((await leader.post(`/api/supervision/${notice.id}/close`, { version: 1 })).statusCode).toBe(403);
    expect((await leader.post(`/api/supervision/${notice.id}/escalations`, { version: 1, step: 'reminder' })).statusCode).toBe(403);
    expect((await unit.post(`/api/supervision/${notice.id}/close`, { version: 1 })).statusCode).toBe(403);
  });

  it('answer → close → re-open, with versions', async () => {
    const f = await makeTaskPlan(t(), 'assigned');
    const notice = await issue(f.taskId);
    expect((await unit2.post(`/api/supervision/${notice.id}/answer`, { version: 1, text: '不是我们的' })).statusCode).toBe(403);
    expect((await admin.post(`/api/supervision/${notice.id}/answer`, { version: 1, text: '办公室代答' })).statusCode).toBe(403);

    const answered = await unit.post(`/api/supervision/${notice.id}/answer`, { version: 1, text: '已完成整改，道路已开工' });
    expect(answered.statusCode, answered.body).toBe(200);
    expect(answered.json()).toMatchObject({
      status: 'answered',
      version: 2,
      responses: [{ orgId: t().orgs.county.id, text: '已完成整改，道路已开工', evidenceIds: [] }],
    });

    const stale = await admin.post(`/api/supervision/${notice.id}/close`, { version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'version_conflict', current: { version: 2 } });

    const closed = await admin.post(`/api/supervision/${notice.id}/close`, { version: 2, note: '整改到位' });
    expect(closed.json()).toMatchObject({ status: 'closed', version: 3 });
    expect((await unit.post(`/api/supervision/${notice.id}/answer`, { version: 3, text: '补充' })).statusCode).toBe(422);
    expect((await admin.post(`/api/supervision/${notice.id}/close`, { version: 3 })).statusCode).toBe(422);

    const reopened = await admin.post(`/api/supervision/${notice.id}/reopen`, { version: 3, note: '复查未通过' });
    expect(reopened.json()).toMatchObject({ status: 'open', version: 4, closedAt: null });
    // Each close and re-open stays on the record with its note, in order.
    expect(reopened.json().actions).toMatchObject([
      { action: 'close', note: '整改到位', actorId: t().users.admin.user.id },
      { action: 'reopen', note: '复查未通过', actorId: t().users.admin.user.id },
    ]);
    expect((await admin.post(`/api/supervision/${notice.id}/reopen`, { version: 4 })).statusCode).toBe(422);

    const audit = await t().db.selectFrom('audit_events').select('action').where('entity_id', '=', notice.id).orderBy('seq').execute();
    expect(audit.map((a) => a.action)).toEqual([
      'supervision_notice.issue',
      'supervision_notice.answer',
      'supervision_notice.close',
      'supervision_notice.reopen',
    ]);
    expect((await admin.get('/api/audit/verify')).json()).toMatchObject({ ok: true });
  });

  it('escalates one step at a time, recorded on the notice', async () => {
    const f = await makeTaskPlan(t(), 'assigned');
    const notice = await issue(f.taskId);
    const skip = await admin.post(`/api/supervision/${notice.id}/escalations`, { version: 1, step: 'urging', note: '跳级' });
    expect(skip.statusCode).toBe(422);
    const first = await admin.post(`/api/supervision/${notice.id}/escalations`, { version: 1, step: 'reminder', note: '电话提醒' });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({
      escalationStep: 'reminder',
      version: 2,
      escalations: [{ step: 'reminder', note: '电话提醒', actorId: t().users.admin.user.id }],
    });
    expect((await admin.post(`/api/supervision/${notice.id}/escalations`, { version: 2, step: 'reminder' })).statusCode).toBe(422);
    expect((await admin.post(`/api/supervision/${notice.id}/escalations`, { version: 1, step: 'urging' })).statusCode).toBe(409);
    const second = await admin.post(`/api/supervision/${notice.id}/escalations`, { version: 2, step: 'urging', note: '发催办函' });
    expect((second.json() as SupervisionNotice).escalations.map((e) => e.step)).toEqual(['reminder', 'urging']);

    const closed = (await admin.post(`/api/supervision/${notice.id}/close`, { version: 3 })).json() as SupervisionNotice;
    expect(
      (await admin.post(`/api/supervision/${notice.id}/escalations`, { version: closed.version, step: 'yellow_card' })).statusCode,
    ).toBe(422);
    // The unit sees the steps on its notice.
    expect(((await unit.get(`/api/supervision/${notice.id}`)).json() as SupervisionNotice).escalations).toHaveLength(2);
  });

  it('lists the rules’ proposals: overdue notices and missed reports', async () => {
    const f = await makeTaskPlan(t(), 'assigned');
    const overdue = await issue(f.taskId, { dueDate: '2026-01-01' });
    const proposals = async (asOf: string) =>
      (
        (await admin.get(`/api/supervision/proposals?asOf=${asOf}`)).json() as {
          items: Array<{ noticeId: string; proposedStep: string; reasons: Array<{ code: string; count: number; text: string }> }>;
        }
      ).items;
    expect((await proposals('2026-01-05')).find((p) => p.noticeId === overdue.id)).toBeUndefined();
    expect((await proposals('2026-01-20')).find((p) => p.noticeId === overdue.id)).toMatchObject({ proposedStep: 'reminder' });

    // Two periods closed without 淇县 reporting on the task: 催办 is due after a 提醒.
    const g = await makeTaskPlan(t(), 'assigned');
    await makePeriod(t(), g.planId, { start: '2026-09-01', end: '2026-09-30', dueDate: '2026-10-05', close: true });
    await makePeriod(t(), g.planId, { start: '2026-10-01', end: '2026-10-31', dueDate: '2026-11-05', close: true });
    const missed = await issue(f.taskId, { rows: [{ taskId: g.taskId, orgId: t().orgs.county.id }], dueDate: '2027-06-30' });
    const p1 = (await proposals('2026-11-20')).find((p) => p.noticeId === missed.id);
    expect(p1).toMatchObject({ proposedStep: 'reminder', reasons: [{ code: 'missed_reports', count: 2, text: '连续 2 期未报送' }] });
    await admin.post(`/api/supervision/${missed.id}/escalations`, { version: 1, step: 'reminder' });
    // Proposals wait 7 days after a step.
    expect((await proposals(new Date().toISOString().slice(0, 10))).find((p) => p.noticeId === missed.id)).toBeUndefined();
    const later = new Date(Date.now() + 8 * 86_400_000).toISOString().slice(0, 10);
    expect((await proposals(later)).find((p) => p.noticeId === missed.id)).toMatchObject({ proposedStep: 'urging' });
    expect((await unit.get('/api/supervision/proposals')).statusCode).toBe(403);
  });

  it('notifies the receiving unit’s users (with outbox rows) and lets each mark their own read', async () => {
    const f = await makeTaskPlan(t(), 'assigned');
    const notice = await issue(f.taskId, { reason: '通知测试' });
    const mine = (await unit.get('/api/notifications')).json() as { items: Notification[]; unread: number };
    const note = mine.items.find((n) => n.kind === 'supervision.issued' && n.link === `/supervision/${notice.id}`);
    expect(note).toBeDefined();
    expect(mine.unread).toBeGreaterThan(0);
    const others = (await unit2.get('/api/notifications')).json() as { items: Notification[] };
    expect(others.items.some((n) => n.link === `/supervision/${notice.id}`)).toBe(false);
    const outbox = await t().db.selectFrom('outbox').selectAll().where('notification_id', '=', note!.id).execute();
    expect(outbox).toEqual([
      expect.objectContaining({ channel: 'email', status: 'pending', attempts: 0, recipient: `user:${t().users.unit.user.id}` }),
    ]);

    expect((await unit2.post(`/api/notifications/${note!.id}/read`)).statusCode).toBe(404);
    const read = await unit.post(`/api/notifications/${note!.id}/read`);
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json().readAt).toEqual(expect.any(String));
    expect(((await unit.get('/api/notifications')).json() as { unread: number }).unread).toBe(mine.unread - 1);

    // Answering notifies the office; escalating notifies the unit again.
    await unit.post(`/api/supervision/${notice.id}/answer`, { version: 1, text: '已办' });
    const office = (await admin.get('/api/notifications')).json() as { items: Notification[] };
    expect(office.items.some((n) => n.kind === 'supervision.answered' && n.link === `/supervision/${notice.id}`)).toBe(true);
    await admin.post(`/api/supervision/${notice.id}/escalations`, { version: 2, step: 'reminder' });
    const after = (await unit.get('/api/notifications')).json() as { items: Notification[] };
    expect(after.items.some((n) => n.kind === 'supervision.escalated' && n.link === `/supervision/${notice.id}`)).toBe(true);
  });

  it('sends reporting reminders once per user, period and kind', async () => {
    const r = await makeTaskPlan(t(), 'assigned');
    const periodId = (await makePeriod(t(), r.planId, { start: '2026-11-01', end: '2026-11-30', dueDate: '2026-12-05', open: true })).id;
    const reminders = (kind: string) =>
      t()
        .db.selectFrom('notifications')
        .select(['user_id', 'kind'])
        .where('kind', '=', kind)
        .where('link', '=', `/reports?planId=${r.planId}&periodId=${periodId}`)
        .execute();

    expect((await generateReminders(t().db, '2026-11-20')).created).toBe(0);
    const first = await generateReminders(t().db, '2026-12-03');
    expect(first.created).toBeGreaterThan(0);
    const soon = await reminders('reminder.due_soon');
    // 淇县 (responsible) and 市住建局 (lead) have unsubmitted rows; 浚县 has none in this plan.
    expect(soon.map((n) => n.user_id).sort()).toEqual([t().users.lead.user.id, t().users.unit.user.id].sort());
    expect(await generateReminders(t().db, '2026-12-03')).toMatchObject({ created: 0, skipped: first.created });
    expect(await generateReminders(t().db, '2026-12-04')).toMatchObject({ created: 0 });

    const late = await generateReminders(t().db, '2026-12-06');
    expect(late.created).toBe(2);
    expect(await reminders('reminder.late')).toHaveLength(2);
    expect((await generateReminders(t().db, '2026-12-06')).created).toBe(0);
    // Each reminder also waits in the outbox for the e-mail adapter.
    const outbox = await t()
      .db.selectFrom('outbox')
      .innerJoin('notifications', 'notifications.id', 'outbox.notification_id')
      .select('outbox.id')
      .where('notifications.link', '=', `/reports?planId=${r.planId}&periodId=${periodId}`)
      .execute();
    expect(outbox).toHaveLength(4);
  });

  it('runs the reminder job from the CLI (luoshi reminders tick)', async () => {
    let out = '';
    const stdout = new PassThrough();
    stdout.on('data', (d) => {
      out += String(d);
    });
    const io = { stdout, stderr: new PassThrough(), cwd: process.cwd() };
    // An open period past its due day whose reminders were already sent: a re-run creates nothing.
    const r = await makeTaskPlan(t(), 'assigned');
    await makePeriod(t(), r.planId, { start: '2026-11-01', end: '2026-11-30', dueDate: '2026-12-05', open: true });
    await generateReminders(t().db, '2026-12-06');
    expect(await remindersTickCommand.run(['--db', ctx.url(), '--as-of', '2026-12-06'], io)).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ asOf: '2026-12-06', created: 0 });
    await expect(remindersTickCommand.run(['--db', ctx.url(), '--as-of', 'tomorrow'], io)).rejects.toThrow(/not a date/);
  });

  it('stores evidence a receiving unit uploads (png, pdf) and audits it; refuses other counties, the office, disguised files and non-multipart requests', async () => {
    const f = await makeTaskPlan(t(), 'assigned');
    const notice = await issue(f.taskId, { reason: '证据上传' });
    // Other cases of this file upload too: count what this one adds.
    const evidenceAudit = () =>
      t()
        .db.selectFrom('audit_events')
        .select(['action', 'entity_id', 'actor_id'])
        .where('entity_type', '=', 'notice_evidence_file')
        .execute();
    const storedFiles = () => readdirSync(uploadDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
    const auditBefore = (await evidenceAudit()).length;
    const filesBefore = storedFiles();
    const png = await uploaded(unit, notice.id, PNG, '现场照片.png', 'image/png');
    expect(png).toMatchObject({
      noticeId: notice.id,
      orgId: t().orgs.county.id,
      filename: '现场照片.png',
      contentType: 'image/png',
      sizeBytes: PNG.length,
      createdBy: t().users.unit.user.id,
    });
    const stored = await t().db.selectFrom('notice_evidence_files').selectAll().where('id', '=', png.id).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ response_id: null });
    expect(stored.storage_key).toMatch(/^\d{4}\/[0-9a-f-]{36}$/);
    expect(readFileSync(path.join(uploadDir, stored.storage_key)).equals(PNG)).toBe(true);
    const pdf = await uploaded(unit, notice.id, PDF, '整改报告.pdf');
    expect(pdf.contentType).toBe('application/pdf');

    // Only a receiving organisation's users: not another county, not the lead department, not the office.
    expect((await upload(unit2, notice.id, PNG, 'x.png')).statusCode).toBe(403);
    expect((await upload(lead, notice.id, PNG, 'x.png')).statusCode).toBe(403);
    expect((await upload(admin, notice.id, PNG, 'x.png')).statusCode).toBe(403);
    expect((await upload(leader, notice.id, PNG, 'x.png')).statusCode).toBe(403);
    expect((await upload(unit, randomUUID(), PNG, 'x.png')).statusCode).toBe(404);

    // The bytes decide, not the name or the claimed type.
    for (const [bytes, name] of [
      [EXE, 'setup.png'],
      [HTML, 'photo.png'],
    ] as const) {
      const refused = await upload(unit, notice.id, bytes, name, 'image/png');
      expect(refused.statusCode, name).toBe(415);
      expect(refused.headers['content-type']).toContain('application/problem+json');
    }
    expect((await unit.post(`/api/supervision/${notice.id}/evidence`, { file: 'x' })).statusCode).toBe(415);
    expect((await upload(unit, notice.id, Buffer.alloc(0), 'empty.png')).statusCode).toBe(400);

    expect(await evidenceIds(unit, notice.id)).toEqual([png.id, pdf.id].sort());
    const audit = await evidenceAudit();
    expect(audit).toEqual(
      expect.arrayContaining([
        { action: 'notice_evidence_file.create', entity_id: png.id, actor_id: t().users.unit.user.id },
        { action: 'notice_evidence_file.create', entity_id: pdf.id, actor_id: t().users.unit.user.id },
      ]),
    );
    expect(audit).toHaveLength(auditBefore + 2);
    // Refused uploads left neither a row nor a file behind.
    const rows = await t().db.selectFrom('notice_evidence_files').select('id').where('notice_id', '=', notice.id).execute();
    expect(rows).toHaveLength(2);
    expect(storedFiles()).toBe(filesBefore + 2);
    expect((await admin.get('/api/audit/verify')).json()).toMatchObject({ ok: true });
  });

  it('refuses evidence on a closed notice and takes it again once re-opened', async () => {
    const f = await makeTaskPlan(t(), 'assigned');
    const notice = await issue(f.taskId, { reason: '已办结的督办' });
    const closed = (await admin.post(`/api/supervision/${notice.id}/close`, { version: 1 })).json() as SupervisionNotice;
    const refused = await upload(unit, notice.id, PNG, 'late.png');
    expect(refused.statusCode).toBe(422);
    expect(refused.json().detail).toContain('closed');
    expect(await evidenceIds(admin, notice.id)).toEqual([]);
    await admin.post(`/api/supervision/${notice.id}/reopen`, { version: closed.version });
    await uploaded(unit, notice.id, PNG, 'again.png');
  });

  it('answers with the unit’s own evidence (the response carries the files); another organisation’s file or an unknown id is a 422', async () => {
    const f = await makeTaskPlan(t(), 'assigned');
    // One notice on two ledger rows: 淇县 on one task, 浚县 on another.
    const g = await makeTaskPlan(t(), 'other');
    const notice = await issue(f.taskId, {
      reason: '两县联合督办',
      rows: [
        { taskId: f.taskId, orgId: t().orgs.county.id },
        { taskId: g.taskId, orgId: t().orgs.county2.id },
      ],
    });
    const mine = await uploaded(unit, notice.id, PNG, '淇县照片.png');
    const theirs = await uploaded(unit2, notice.id, PDF, '浚县报告.pdf');

    // Before an answer names it, a file is its organisation's own; the office and leadership see all.
    expect(await evidenceIds(unit, notice.id)).toEqual([mine.id]);
    expect(await evidenceIds(unit2, notice.id)).toEqual([theirs.id]);
    expect(await evidenceIds(admin, notice.id)).toEqual([mine.id, theirs.id].sort());
    expect(await evidenceIds(leader, notice.id)).toEqual([mine.id, theirs.id].sort());
    expect((await unit2.get(`/api/supervision/evidence/${mine.id}`)).statusCode).toBe(404);
    expect((await lead.get(`/api/supervision/${notice.id}/evidence`)).statusCode).toBe(403);

    for (const ids of [[theirs.id], [mine.id, randomUUID()]]) {
      const bad = await unit.post(`/api/supervision/${notice.id}/answer`, { version: 1, text: '已整改', evidenceIds: ids });
      expect(bad.statusCode, bad.body).toBe(422);
      expect(bad.json()).toMatchObject({ code: 'unprocessable', errors: [{ path: 'evidenceIds' }] });
    }
    // A file of another notice, even the unit's own, is not evidence for this one.
    const other = await issue(f.taskId, { reason: '另一督办' });
    const elsewhere = await uploaded(unit, other.id, PNG, '别处.png');
    expect(
      (await unit.post(`/api/supervision/${notice.id}/answer`, { version: 1, text: '已整改', evidenceIds: [elsewhere.id] })).statusCode,
    ).toBe(422);
    // Nothing was saved by the refused answers.
    expect(((await admin.get(`/api/supervision/${notice.id}`)).json() as SupervisionNotice).responses).toEqual([]);

    const answered = await unit.post(`/api/supervision/${notice.id}/answer`, {
      version: 1,
      text: '已整改，附照片',
      evidenceIds: [mine.id, mine.id],
    });
    expect(answered.statusCode, answered.body).toBe(200);
    const response = (answered.json() as SupervisionNotice).responses[0]!;
    expect(response).toMatchObject({
      orgId: t().orgs.county.id,
      evidenceIds: [mine.id],
      evidence: [{ id: mine.id, filename: '淇县照片.png', contentType: 'image/png', noticeId: notice.id }],
    });
    const read = (await leader.get(`/api/supervision/${notice.id}`)).json() as SupervisionNotice;
    expect(read.responses[0]!.evidence.map((e) => e.id)).toEqual([mine.id]);
    const inbox = (await unit2.get('/api/supervision/inbox')).json() as { items: SupervisionNotice[] };
    expect(inbox.items.find((n) => n.id === notice.id)?.responses[0]?.evidence.map((e) => e.id)).toEqual([mine.id]);

    // Named in an answer, the file is part of it: the other receiving county reads it too.
    expect(await evidenceIds(unit2, notice.id)).toEqual([mine.id, theirs.id].sort());
    const download = await unit2.get(`/api/supervision/evidence/${mine.id}`);
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(PNG)).toBe(true);
    const answeredRow = await t()
      .db.selectFrom('notice_evidence_files')
      .select('response_id')
      .where('id', '=', mine.id)
      .executeTakeFirstOrThrow();
    expect(answeredRow.response_id).toBe(response.id);
  });

  it('downloads evidence with its type, name and no-sniff headers for the office; an unrelated county gets 404', async () => {
    const f = await makeTaskPlan(t(), 'assigned');
    const notice = await issue(f.taskId, { reason: '下载测试' });
    const pdf = await uploaded(unit, notice.id, PDF, '整改 报告.pdf');
    const res = await admin.get(`/api/supervision/evidence/${pdf.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="__ __.pdf"; filename*=UTF-8''${encodeURIComponent('整改 报告.pdf')}`,
    );
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('private, no-store');
    expect(res.rawPayload.equals(PDF)).toBe(true);
    expect((await leader.get(`/api/supervision/evidence/${pdf.id}`)).statusCode).toBe(200);
    expect((await unit.get(`/api/supervision/evidence/${pdf.id}`)).statusCode).toBe(200);

    expect((await unit2.get(`/api/supervision/evidence/${pdf.id}`)).statusCode).toBe(404);
    expect((await lead.get(`/api/supervision/evidence/${pdf.id}`)).statusCode).toBe(404);
    expect((await unit2.get(`/api/supervision/${notice.id}/evidence`)).statusCode).toBe(403);
    expect((await admin.get(`/api/supervision/evidence/${randomUUID()}`)).statusCode).toBe(404);
    expect((await t().anonymous.get(`/api/supervision/evidence/${pdf.id}`)).statusCode).toBe(401);
  });
});
