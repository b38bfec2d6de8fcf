import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { runLuoshi } from '../src/cli/luoshi.ts';
import { appendAudit } from '../src/server/core/audit-log.ts';
import { writeTx } from '../src/server/core/transaction.ts';
import { verifyAuditChain } from '../src/server/modules/audit/audit.service.ts';
import { createOrganisation } from '../src/server/modules/organisations/organisations.service.ts';
import { describeEachDialect } from './helpers/dialects.ts';
import { useTestApp } from './helpers/test-app.ts';
import { sink } from './helpers/output-sink.ts';

async function cliVerify(url: string): Promise<{ code: number; out: string }> {
  const out = sink();
  const err = sink();
  const code = await runLuoshi(['audit', 'verify', '--db', url], { stdout: out.stream, stderr: err.stream, cwd: process.cwd() });
  return { code, out: out.text() + err.text() };
}

describeEachDialect('audit chain', (ctx) => {
  const t = useTestApp(ctx);

  it('verifies an intact chain (API and CLI)', async () => {
    const admin = await t().login('admin');
    const res = await admin.get('/api/audit/verify');
    expect(res.statusCode).toBe(200);
    const n = Number(
      (
        await t()
          .db.selectFrom('audit_events')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    expect(n).toBeGreaterThanOrEqual(10);
    expect(res.json()).toEqual({ ok: true, checked: n, firstBrokenId: null, reason: null });
    const cli = await cliVerify(ctx.url());
    expect(cli.code).toBe(0);
    expect(cli.out).toContain(`OK: audit chain intact, ${n} events verified`);
  });

  it('audits inside the writer’s transaction: a rolled-back write leaves no event', async () => {
    const before = await t().db.selectFrom('audit_head').select('last_seq').executeTakeFirstOrThrow();
    await expect(
      writeTx(t().db, async (trx) => {
        await appendAudit(trx, { actorId: null, action: 'test.rollback', entityType: 'test', entityId: 'x' });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const after = await t().db.selectFrom('audit_head').select('last_seq').executeTakeFirstOrThrow();
    expect(Number(after.last_seq)).toBe(Number(before.last_seq));
    expect(await t().db.selectFrom('audit_events').select('seq').where('action', '=', 'test.rollback').executeTakeFirst()).toBeUndefined();
    await expect(appendAudit(t().db, { actorId: null, action: 'x', entityType: 'x', entityId: 'x' })).rejects.toThrow(/transaction/);
  });

  it('keeps the chain linear under concurrent writers', async () => {
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        createOrganisation(t().db, null, {
          name: `并发单位${i}`,
          kind: 'office',
          aliases: [],
          adminCode: null,
          parentId: null,
          memberIds: [],
        }),
      ),
    );
    const result = await verifyAuditChain(t().db);
    expect(result.ok).toBe(true);
    const seqs = (await t().db.selectFrom('audit_events').select('seq').orderBy('seq').execute()).map((r) => Number(r.seq));
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  });

  it('detects an edited event and reports its seq', async () => {
    const row = await t().db.selectFrom('audit_events').select(['seq', 'after_json']).where('seq', '=', 3).executeTakeFirstOrThrow();
    await sql`update audit_events set after_json = ${'{"name":"篡改"}'} where seq = 3`.execute(t().db);
    const broken = await verifyAuditChain(t().db);
    expect(broken).toMatchObject({ ok: false, firstBrokenId: 3 });
    expect(broken.reason).toMatch(/hash mismatch/);
    const admin = await t().login('admin');
    expect((await admin.get('/api/audit/verify')).json()).toMatchObject({ ok: false, firstBrokenId: 3 });
    const cli = await cliVerify(ctx.url());
    expect(cli.code).toBe(1);
    expect(cli.out).toContain('BROKEN: 1 breaks');
    expect(cli.out).toContain('#3 [edited]');
    await sql`update audit_events set after_json = ${row.after_json} where seq = 3`.execute(t().db);
    expect((await verifyAuditChain(t().db)).ok).toBe(true);
  });

  it('detects an edit re-hashed without the key at the edited event itself', async () => {
    const { hashAuditRow } = await import('../src/server/core/audit-log.ts');
    const row = await t().db.selectFrom('audit_events').selectAll().where('seq', '=', 4).executeTakeFirstOrThrow();
    const forged = { ...row, action: 'forged' };
    await t()
      .db.updateTable('audit_events')
      .set({ action: 'forged', hash: hashAuditRow(forged) })
      .where('seq', '=', 4)
      .execute();
    const result = await verifyAuditChain(t().db);
    // The legacy sha256 anyone can compute no longer verifies a keyed event.
    expect(result).toMatchObject({ ok: false, firstBrokenId: 4 });
    expect(result.reason).toMatch(/hash mismatch/);
    await t().db.updateTable('audit_events').set({ action: row.action, hash: row.hash }).where('seq', '=', 4).execute();
    expect((await verifyAuditChain(t().db)).ok).toBe(true);
  });

  it('detects a deleted event (seq gap) and a deleted tail', async () => {
    const last = Number((await t().db.selectFrom('audit_head').select('last_seq').executeTakeFirstOrThrow()).last_seq);
    await sql`delete from audit_events where seq = 6`.execute(t().db);
    const gap = await verifyAuditChain(t().db);
    expect(gap).toMatchObject({ ok: false, firstBrokenId: 6, checked: last - 1 });
    expect(gap.reason).toMatch(/missing/);
    await sql`delete from audit_events where seq > 6`.execute(t().db);
    await sql`delete from audit_events where seq = ${last}`.execute(t().db);
    // Now the log ends at 5 while the head says `last`: the tail was cut.
    const tail = await verifyAuditChain(t().db);
    expect(tail).toMatchObject({ ok: false, firstBrokenId: 6 });
    expect(tail.reason).toMatch(/head/);
  });
});
