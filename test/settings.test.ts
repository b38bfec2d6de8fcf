import { expect, it } from 'vitest';
import { describeEachDialect } from './helpers/dialects.ts';
import { makePlan } from './helpers/factories.ts';
import { multipartFile } from './helpers/plan-import.helper.ts';
import { ROLES, useTestApp } from './helpers/test-app.ts';

describeEachDialect('installation settings', (ctx) => {
  const t = useTestApp(ctx, { today: '2018-06-20' });

  async function current() {
    const admin = await t().login('admin');
    return (await admin.get('/api/settings')).json();
  }

  it('the login page reads the name only; every signed-in role reads all of it with the server today', async () => {
    const pub = await t().anonymous.get('/api/settings/public');
    expect(pub.statusCode).toBe(200);
    expect(Object.keys(pub.json())).toEqual(['name']);
    expect((await t().anonymous.get('/api/settings')).statusCode).toBe(401);

    for (const role of ROLES) {
      const client = await t().login(role);
      const res = await client.get('/api/settings');
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.name).toBe(pub.json().name);
      expect(typeof body.officeName).toBe('string');
      expect(body.officeName.length).toBeGreaterThan(0);
      // LUOSHI_TODAY, not the calendar: the web's date defaults come from here.
      expect(body.today).toBe('2018-06-20');
    }
  });

  it('the admin renames the installation and its office, audited; the login page shows the new name', async () => {
    const before = await current();
    const admin = await t().login('admin');
    const res = await admin.put('/api/settings', { version: before.version, name: '某市重点工作台账', officeName: '市督查室' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ name: '某市重点工作台账', officeName: '市督查室', version: before.version + 1 });
    expect((await t().anonymous.get('/api/settings/public')).json()).toEqual({ name: '某市重点工作台账' });

    const events = await t()
      .db.selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'settings.update')
      .where('actor_id', '=', t().users.admin.user.id)
      .orderBy('seq', 'desc')
      .execute();
    expect(events.length).toBeGreaterThan(0);
    const after = JSON.parse(String(events[0]!.after_json));
    const prior = JSON.parse(String(events[0]!.before_json));
    expect(after).toMatchObject({ name: '某市重点工作台账', officeName: '市督查室' });
    expect(prior).toMatchObject({ name: before.name, officeName: before.officeName });

    // Only the field sent changes.
    const partial = await admin.put('/api/settings', { version: before.version + 1, officeName: '市政府督查室' });
    expect(partial.json()).toMatchObject({ name: '某市重点工作台账', officeName: '市政府督查室' });
  });

  it('only the admin may edit; a stale version is 409; bad input is a Chinese 400', async () => {
    const { version, name } = await current();
    for (const role of ['lead', 'unit', 'leader'] as const) {
      const client = await t().login(role);
      expect((await client.put('/api/settings', { version, name: '越权' })).statusCode).toBe(403);
    }
    expect((await t().anonymous.put('/api/settings', { version, name: '越权' })).statusCode).toBe(401);
    const admin = await t().login('admin');
    const stale = await admin.put('/api/settings', { version: version + 5, name: '过期' });
    expect(stale.statusCode).toBe(409);
    for (const body of [{ version, name: '' }, { version, name: '长'.repeat(5000) }, { version, officeName: 42 }, { name: '无版本' }]) {
      const bad = await admin.put('/api/settings', body);
      expect(bad.statusCode).toBe(400);
      expect(bad.headers['content-type']).toContain('application/problem+json');
      expect(bad.json().title).toMatch(/[\u4e00-\u9fff]/);
    }
    expect((await current()).name).toBe(name);
  });

  it("a plan's jurisdiction level defaults to county and the admin changes it, audited", async () => {
    const { planId } = await makePlan(t(), { tasks: [{ text: '任务一' }] });
    const admin = await t().login('admin');
    const plan = (await admin.get(`/api/plans/${planId}`)).json();
    expect(plan.jurisdictionLevel).toBe('county');
    const res = await admin.patch(`/api/plans/${planId}`, { version: plan.version, jurisdictionLevel: 'city' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ jurisdictionLevel: 'city', title: plan.title });
    const listed = (await (await t().login('unit')).get('/api/plans')).json().items.find((p: { id: string }) => p.id === planId);
    expect(listed.jurisdictionLevel).toBe('city');
    const event = await t()
      .db.selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'plan.update')
      .where('entity_id', '=', planId)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(String(event.before_json)).jurisdictionLevel).toBe('county');
    expect(JSON.parse(String(event.after_json)).jurisdictionLevel).toBe('city');
    const bad = await admin.patch(`/api/plans/${planId}`, { version: plan.version + 1, jurisdictionLevel: 'province' });
    expect(bad.statusCode).toBe(400);
    expect(
      (await (await t().login('lead')).patch(`/api/plans/${planId}`, { version: plan.version + 1, jurisdictionLevel: 'department' }))
        .statusCode,
    ).toBe(403);
  });
});

describeEachDialect('problems users read in their language', (ctx) => {
  const t = useTestApp(ctx);
  // The 8-byte PNG signature and an IHDR start: a photo someone renamed to .docx.
  const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1]);

  it('a picture renamed .docx is refused with the real reason in Chinese, by its own code', async () => {
    const admin = await t().login('admin');
    const { payload, headers } = multipartFile('file', '实施方案.docx', PNG);
    const res = await admin.request({ method: 'POST', url: '/api/plan-imports', payload, headers });
    expect(res.statusCode).toBe(422);
    const body = res.json();
    expect(body.code).toBe('plan_document_not_docx');
    expect(body.title).toContain('不是 Word 文档');
  });

  it('a text that is no plan says so in Chinese by its own code', async () => {
    const admin = await t().login('admin');
    const res = await admin.post('/api/plan-imports', { text: '今天天气很好。\n明天开会。\n' });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('plan_no_tasks');
    expect(res.json().title).toContain('没有识别出任务条款');
  });

  it('a huge number carries its issue and bound, so the web words it', async () => {
    const admin = await t().login('admin');
    const res = await admin.put('/api/settings', { version: 1e20, name: '大数' });
    expect(res.statusCode).toBe(400);
    const [issue] = res.json().errors;
    expect(issue).toMatchObject({ path: 'version', issue: 'too_big' });
    expect(['number', 'int']).toContain(issue.origin);
    expect(typeof issue.limit).toBe('number');
  });
});
