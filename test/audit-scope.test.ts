/**
 * Scoped audit chains (docs/decisions/0005-scoped-audit-chains.md): installation events in the
 * `global` chain, each plan's in its own; writers of different chains never wait on each other's
 * head lock (PostgreSQL); verify names the chain and seq of an edited, deleted or reordered event;
 * checkpoints cover every chain; bulk appends are set-based; the migration keeps old events valid.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileMigrationProvider, Migrator, sql } from 'kysely';
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { writerKeyring } from '../src/server/core/audit-key.ts';
import { appendAudit, appendAuditBatch, GENESIS_HASH, GLOBAL_CHAIN, hashAuditRowKeyed, planChain } from '../src/server/core/audit-log.ts';
import { writeTx } from '../src/server/core/transaction.ts';
import { type Db, migrateToLatest, openDatabase } from '../src/server/db/database.ts';
import { createAuditCheckpoint, readAuditCheckpoint } from '../src/server/modules/audit/audit-checkpoint.ts';
import { verifyAuditChain, verifyAuditChainReport } from '../src/server/modules/audit/audit.service.ts';
import { runLuoshi } from '../src/cli/luoshi.ts';
import { describeEachDialect, PG_ADMIN_URL } from './helpers/dialects.ts';
import { sink } from './helpers/output-sink.ts';
import { makeNotice, makePlan } from './helpers/factories.ts';
import { useTestApp } from './helpers/test-app.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'luoshi-audit-scope-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function seqsOf(db: Db, chain: string): Promise<number[]> {
  return (await db.selectFrom('audit_events').select('seq').where('chain', '=', chain).orderBy('seq').execute()).map((r) => Number(r.seq));
}

function kinds(r: Awaited<ReturnType<typeof verifyAuditChainReport>>): string[] {
  return r.breaks.map((b) => `${b.kind}@${b.chain}#${b.seq}`);
}

/** Resolves after `ms`, with a marker, to race a write that should (not) have finished. */
const after = (ms: number) => new Promise<'pending'>((r) => setTimeout(() => r('pending'), ms));

describeEachDialect('scoped audit chains', (ctx) => {
  const t = useTestApp(ctx);

  it('puts each plan’s events in its own chain and installation events in the global one', async () => {
    const a = await makePlan(t(), { tasks: [{ text: '甲方案任务', assignments: [{ orgId: t().orgs.county.id, role: 'responsible' }] }] });
    const b = await makePlan(t(), { tasks: [{ text: '乙方案任务' }, { text: '乙方案任务二' }] });
    // A write that names only the task lands in the task's plan chain.
    await writeTx(t().db, (trx) =>
      appendAudit(trx, { actorId: null, action: 'test.task', entityType: 'target', entityId: 'x', taskId: b.tasks[1]!.id }),
    );
    expect(await seqsOf(t().db, planChain(a.planId))).toEqual([1, 2]);
    expect(await seqsOf(t().db, planChain(b.planId))).toEqual([1, 2, 3, 4]);
    const { count } = await t()
      .db.selectFrom('audit_events')
      .select((eb) => eb.fn.countAll().as('count'))
      .where('chain', '=', planChain(a.planId))
      .executeTakeFirstOrThrow();
    expect(Number(count)).toBe(2);
    const global = await seqsOf(t().db, GLOBAL_CHAIN);
    expect(global).toEqual(global.map((_, i) => i + 1));
    // A 督办 notice on a row of plan A goes to plan A's chain.
    await makeNotice(await t().login('admin'), { rows: [{ taskId: a.tasks[0]!.id, orgId: t().orgs.county.id }] });
    expect(await seqsOf(t().db, planChain(a.planId))).toEqual([1, 2, 3]);
    const orgEvents = await t().db.selectFrom('audit_events').select('chain').where('entity_type', '=', 'organisation').execute();
    expect(new Set(orgEvents.map((e) => e.chain))).toEqual(new Set([GLOBAL_CHAIN]));
    expect((await verifyAuditChainReport(t().db)).ok).toBe(true);
    // The checkpoint lists every chain's head, and verifies.
    const cp = await createAuditCheckpoint(t().db, writerKeyring());
    expect(cp.chains.map((c) => c.chain)).toEqual(expect.arrayContaining([GLOBAL_CHAIN, planChain(a.planId), planChain(b.planId)]));
    expect(cp.chains.find((c) => c.chain === planChain(b.planId))).toMatchObject({ seq: 4 });
    const read = readAuditCheckpoint(JSON.stringify(cp), 'cp.json', writerKeyring());
    if (!('heads' in read)) throw new Error('checkpoint refused');
    expect((await verifyAuditChainReport(t().db, { checkpoints: read.heads })).ok).toBe(true);
  });

  it('names the chain and seq of an edited, a deleted and a reordered event', async () => {
    const p = await makePlan(t(), { tasks: [{ text: '任务一' }, { text: '任务二' }, { text: '任务三' }, { text: '任务四' }] });
    const chain = planChain(p.planId);
    const where = (seq: number) => sql`chain = ${chain} and seq = ${seq}`;
    const rows = await t().db.selectFrom('audit_events').selectAll().where('chain', '=', chain).orderBy('seq').execute();
    expect(rows).toHaveLength(5);
    const cp = await createAuditCheckpoint(t().db, writerKeyring());

    await sql`update audit_events set after_json = ${'{"text":"篡改"}'} where ${where(2)}`.execute(t().db);
    const edited = await verifyAuditChainReport(t().db);
    expect(kinds(edited)).toEqual([`edited@${chain}#2`]);
    expect(edited.breaks[0]!.message).toContain(`链 ${chain} 的事件 #2`);
    expect(await verifyAuditChain(t().db)).toMatchObject({ ok: false, firstBrokenId: 2 });
    const out = sink();
    const code = await runLuoshi(['audit', 'verify', '--db', ctx.url()], { stdout: out.stream, stderr: sink().stream, cwd: process.cwd() });
    expect(code).toBe(1);
    expect(out.text()).toContain(`${chain}#2 [edited] 链 ${chain} 的事件 #2 的哈希与内容不符`);
    await sql`update audit_events set after_json = ${rows[1]!.after_json} where ${where(2)}`.execute(t().db);

    // Swapping two events' places (seq) keeps every hash valid but breaks the links.
    await sql`update audit_events set seq = -3 where ${where(3)}`.execute(t().db);
    await sql`update audit_events set seq = 3 where ${where(4)}`.execute(t().db);
    await sql`update audit_events set seq = 4 where ${where(-3)}`.execute(t().db);
    const swapped = await verifyAuditChainReport(t().db);
    expect(swapped.ok).toBe(false);
    // At #3 now sits an event linked to #3's hash (relinked), and the swapped rows' hashes cover
    // their seq, so both places show as edited too.
    expect(kinds(swapped)).toEqual([`relinked@${chain}#3`, `edited@${chain}#3`, `edited@${chain}#4`]);
    await sql`update audit_events set seq = -3 where ${where(3)}`.execute(t().db);
    await sql`update audit_events set seq = 3 where ${where(4)}`.execute(t().db);
    await sql`update audit_events set seq = 4 where ${where(-3)}`.execute(t().db);
    expect((await verifyAuditChainReport(t().db)).ok).toBe(true);

    // A key holder moving an event into another plan's chain is caught: its link does not fit.
    const moved = { ...rows[4]!, chain: planChain('other-plan'), seq: 1, prev_hash: GENESIS_HASH };
    await t().db.deleteFrom('audit_events').where('chain', '=', chain).where('seq', '=', 3).execute();
    const deleted = await verifyAuditChainReport(t().db);
    expect(kinds(deleted)).toEqual([`deleted@${chain}#3`]);
    const read = readAuditCheckpoint(JSON.stringify(cp), 'cp.json', writerKeyring());
    if (!('heads' in read)) throw new Error('checkpoint refused');
    await t()
      .db.insertInto('audit_events')
      .values({ ...rows[2]!, seq: 3 })
      .execute();
    expect((await verifyAuditChainReport(t().db, { checkpoints: read.heads })).ok).toBe(true);
    // An event whose hash was made for another chain does not verify in this one.
    await t()
      .db.insertInto('audit_events')
      .values({ ...moved, hash: hashAuditRowKeyed({ ...moved, chain }, writerKeyring().active!.key) })
      .execute();
    const foreign = await verifyAuditChainReport(t().db);
    expect(kinds(foreign)).toEqual([`edited@${planChain('other-plan')}#1`, `head@${planChain('other-plan')}#1`]);
    await t().db.deleteFrom('audit_events').where('chain', '=', planChain('other-plan')).execute();
    expect((await verifyAuditChainReport(t().db)).ok).toBe(true);
  });

  it('appends a batch set-based: one chain advanced once, in order, verifying', async () => {
    const p = await makePlan(t(), { tasks: [{ text: '批量任务' }] });
    const chain = planChain(p.planId);
    const events = Array.from({ length: 1200 }, (_, i) => ({
      actorId: null,
      action: 'test.batch',
      entityType: 'target',
      entityId: `b-${i}`,
      planId: p.planId,
      after: { i },
    }));
    await writeTx(t().db, (trx) => appendAuditBatch(trx, events));
    const rows = await t()
      .db.selectFrom('audit_events')
      .select(['seq', 'after_json'])
      .where('chain', '=', chain)
      .where('action', '=', 'test.batch')
      .orderBy('seq')
      .execute();
    expect(rows).toHaveLength(1200);
    expect(rows.map((r) => JSON.parse(r.after_json!).i)).toEqual(events.map((_, i) => i));
    expect(Number(rows.at(-1)!.seq)).toBe(1202);
    const head = await t().db.selectFrom('audit_head').select('last_seq').where('chain', '=', chain).executeTakeFirstOrThrow();
    expect(Number(head.last_seq)).toBe(1202);
    // Outside any transaction it refuses, like appendAudit.
    await expect(appendAuditBatch(t().db, events.slice(0, 1))).rejects.toThrow(/transaction/);
    expect((await verifyAuditChainReport(t().db)).ok).toBe(true);
  });

  it('keeps every chain linear under concurrent writers of two plans', async () => {
    const a = await makePlan(t(), { tasks: [{ text: '并发甲' }] });
    const b = await makePlan(t(), { tasks: [{ text: '并发乙' }] });
    await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        writeTx(t().db, (trx) =>
          appendAudit(trx, {
            actorId: null,
            action: 'test.concurrent',
            entityType: 'target',
            entityId: `c-${i}`,
            taskId: (i % 2 ? a : b).tasks[0]!.id,
          }),
        ),
      ),
    );
    expect(await seqsOf(t().db, planChain(a.planId))).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    expect(await seqsOf(t().db, planChain(b.planId))).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    expect((await verifyAuditChainReport(t().db)).ok).toBe(true);
  });

  it.skipIf(ctx.dialect === 'sqlite')(
    'a writer in chain B completes while chain A’s head is locked by an open transaction (PostgreSQL)',
    async () => {
      // SQLite has one writer for the whole file (any second write transaction waits for the
      // first), so this property is PostgreSQL's; ADR 0005 says so.
      const a = await makePlan(t(), { tasks: [{ text: '锁甲' }] });
      const b = await makePlan(t(), { tasks: [{ text: '锁乙' }] });
      let release!: () => void;
      const released = new Promise<void>((r) => {
        release = r;
      });
      let locked!: () => void;
      const isLocked = new Promise<void>((r) => {
        locked = r;
      });
      // A raw transaction writes its event at once, so it holds chain A's head row lock until commit.
      const holder = t()
        .db.transaction()
        .execute(async (trx) => {
          await appendAuditBatch(trx, [{ actorId: null, action: 'test.hold', entityType: 'target', entityId: 'hold', planId: a.planId }]);
          locked();
          await released;
        });
      await isLocked;
      try {
        const writeIn = (planId: string, id: string) =>
          writeTx(t().db, (trx) =>
            appendAudit(trx, { actorId: null, action: 'test.other', entityType: 'target', entityId: id, planId }),
          ).then(() => 'done' as const);
        // Chain B: done while A is still held.
        expect(await Promise.race([writeIn(b.planId, 'b'), after(5000)])).toBe('done');
        // Chain A (the control): waits for the holder.
        const inA = writeIn(a.planId, 'a');
        expect(await Promise.race([inA, after(500)])).toBe('pending');
        release();
        await holder;
        expect(await inA).toBe('done');
      } finally {
        release();
        await holder;
      }
      expect(await seqsOf(t().db, planChain(a.planId))).toEqual([1, 2, 3, 4]);
      expect((await verifyAuditChainReport(t().db)).ok).toBe(true);
    },
  );

  it('migrates a single-chain log into the global chain without breaking verification', async () => {
    let url: string;
    let drop = async () => {};
    if (ctx.dialect === 'sqlite') url = path.join(tmp, `migrate-${randomBytes(4).toString('hex')}.db`);
    else {
      const name = `luoshi_t_mig_${process.pid}_${randomBytes(4).toString('hex')}`;
      const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
      await admin.connect();
      await admin.query(`create database ${name}`);
      await admin.end();
      const u = new URL(PG_ADMIN_URL);
      u.pathname = `/${name}`;
      url = u.toString();
      drop = async () => {
        const c = new pg.Client({ connectionString: PG_ADMIN_URL });
        await c.connect();
        await c.query(`drop database if exists ${name} with (force)`);
        await c.end();
      };
    }
    const handle = openDatabase(url);
    try {
      const migrator = new Migrator({
        db: handle.db,
        provider: new FileMigrationProvider({ fs, path, migrationFolder: path.resolve('src/server/db/migrations') }),
      });
      const to = await migrator.migrateTo('2026_12_02_0200_add_section_version');
      expect(to.error).toBeUndefined();
      // Events as the single-chain code wrote them: keyed format /1, one head row with id 1.
      const key = writerKeyring().active!;
      const old = handle.db as unknown as import('kysely').Kysely<any>;
      let prev = GENESIS_HASH;
      for (let seq = 1; seq <= 5; seq++) {
        const row = {
          seq,
          at: new Date().toISOString(),
          actor_id: null,
          action: 'test.old',
          entity_type: 'test',
          entity_id: `o${seq}`,
          task_id: null,
          before_json: null,
          after_json: null,
          prev_hash: prev,
          kid: key.kid,
        };
        const hash = hashAuditRowKeyed(row, key.key);
        await old
          .insertInto('audit_events')
          .values({ ...row, hash })
          .execute();
        prev = hash;
      }
      await old.updateTable('audit_head').set({ last_seq: 5, last_hash: prev }).where('id', '=', 1).execute();
      await migrateToLatest(handle.db);
      expect(await seqsOf(handle.db, GLOBAL_CHAIN)).toEqual([1, 2, 3, 4, 5]);
      expect(await handle.db.selectFrom('audit_head').selectAll().execute()).toEqual([
        { chain: GLOBAL_CHAIN, id: 1, last_seq: 5, last_hash: prev },
      ]);
      expect(await verifyAuditChainReport(handle.db)).toMatchObject({ ok: true, checked: 5, keyed: 5 });
      // And new writes continue the chain.
      await writeTx(handle.db, (trx) => appendAudit(trx, { actorId: null, action: 'test.new', entityType: 'test', entityId: 'n' }));
      expect(await seqsOf(handle.db, GLOBAL_CHAIN)).toEqual([1, 2, 3, 4, 5, 6]);
      expect((await verifyAuditChainReport(handle.db)).ok).toBe(true);
    } finally {
      await handle.close();
      await drop();
    }
  });
});
