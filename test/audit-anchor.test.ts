/**
 * The audit chain anchored outside the database (docs/decisions/0002-audit-anchoring.md): keyed
 * hashing, every broken place reported, signed checkpoints, key rotation and legacy events.
 * Each case snapshots the chain first and restores it after, so the cases do not see each other's
 * damage.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, expect, it } from 'vitest';
import { runLuoshi } from '../src/cli/luoshi.ts';
import type { Db } from '../src/server/db/database.ts';
import type { AuditEventsTable } from '../src/server/db/database.types.ts';
import { setWriterKeyring, writerKeyring } from '../src/server/core/audit-key.ts';
import { appendAudit, GENESIS_HASH, hashAuditRow, hashAuditRowKeyed } from '../src/server/core/audit-log.ts';
import { writeTx } from '../src/server/core/transaction.ts';
import {
  type AuditVerifyReport,
  anchorLegacyChain,
  verifyAuditChain,
  verifyAuditChainReport,
} from '../src/server/modules/audit/audit.service.ts';
import { describeEachDialect } from './helpers/dialects.ts';
import { useTestApp } from './helpers/test-app.ts';
import { sink } from './helpers/output-sink.ts';

// This file's own key file, set before anything loads a key (the CLI reads the same variable).
const keyDir = mkdtempSync(path.join(os.tmpdir(), 'luoshi-audit-key-'));
const keyFile = path.join(keyDir, 'audit.key');
process.env.AUDIT_KEY_FILE = keyFile;
delete process.env.AUDIT_KEY;
afterAll(() => rmSync(keyDir, { recursive: true, force: true }));

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = sink();
  const err = sink();
  const code = await runLuoshi(args, { stdout: out.stream, stderr: err.stream, cwd: process.cwd() });
  return { code, out: out.text(), err: err.text() };
}

type Row = AuditEventsTable;

async function allRows(db: Db): Promise<Row[]> {
  return (await db.selectFrom('audit_events').selectAll().orderBy('seq').execute()).map((r) => ({ ...r, seq: Number(r.seq) }));
}

/**
 * What someone who can write the database does: change rows, then recompute every hash and link
 * from the genesis with `hashFn`, and move the head to the new last hash.
 */
async function rewriteChain(db: Db, hashFn: (row: Omit<Row, 'hash'>) => string, mutate: (row: Row) => Row = (r) => r): Promise<void> {
  let prev = GENESIS_HASH;
  let last = 0;
  for (const original of await allRows(db)) {
    const { hash: _old, ...rest } = mutate(original);
    const row = { ...rest, prev_hash: prev };
    const hash = hashFn(row);
    await db
      .updateTable('audit_events')
      .set({ ...row, hash })
      .where('seq', '=', row.seq)
      .execute();
    prev = hash;
    last = row.seq;
  }
  await db.updateTable('audit_head').set({ last_seq: last, last_hash: prev }).where('id', '=', 1).execute();
}

async function appendTest(db: Db, n: number, tag: string): Promise<void> {
  for (let i = 0; i < n; i++) {
    await writeTx(db, (trx) =>
      appendAudit(trx, { actorId: null, action: `test.${tag}`, entityType: 'test', entityId: `${tag}-${i}`, after: { i } }),
    );
  }
}

function kinds(r: AuditVerifyReport): string[] {
  return r.breaks.map((b) => `${b.kind}@${b.seq}`);
}

describeEachDialect('audit chain anchored outside the database', (ctx) => {
  const t = useTestApp(ctx);
  let snapshot: { rows: Row[]; head: { last_seq: number; last_hash: string }; keyText: string };

  beforeEach(async () => {
    const head = await t().db.selectFrom('audit_head').select(['last_seq', 'last_hash']).executeTakeFirstOrThrow();
    snapshot = {
      rows: await allRows(t().db),
      head: { last_seq: Number(head.last_seq), last_hash: head.last_hash },
      keyText: readFileSync(keyFile, 'utf8'),
    };
    expect((await verifyAuditChainReport(t().db)).ok).toBe(true);
  });

  afterEach(async () => {
    await t().db.deleteFrom('audit_events').execute();
    await t().db.insertInto('audit_events').values(snapshot.rows).execute();
    await t().db.updateTable('audit_head').set(snapshot.head).where('id', '=', 1).execute();
    writeFileSync(keyFile, snapshot.keyText, { mode: 0o600 });
    setWriterKeyring(undefined);
  });

  it('keeps the key in a 0600 file outside the database and marks every event with its id', async () => {
    const ring = writerKeyring();
    expect(ring.source).toBe(keyFile);
    expect(readFileSync(keyFile, 'utf8')).toMatch(/^[0-9a-f]{64}$/m);
    if (process.platform !== 'win32') {
      const { statSync } = await import('node:fs');
      expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    }
    const rows = await allRows(t().db);
    expect(rows.length).toBeGreaterThan(5);
    expect(new Set(rows.map((r) => r.kid))).toEqual(new Set([ring.active!.kid]));
    // Nothing in the database holds the key.
    const dump = JSON.stringify(rows);
    for (const k of ring.byKid.values()) {
      expect(dump).not.toContain(k.key.toString('hex'));
      expect(dump).not.toContain(k.key.toString('base64'));
    }
  });

  it('never says intact without a key, and refuses to write unkeyed', async () => {
    process.env.AUDIT_KEY_FILE = path.join(keyDir, 'missing.key');
    try {
      setWriterKeyring(undefined);
      const r = await verifyAuditChainReport(t().db);
      expect(kinds(r)).toEqual(['no-key@null']);
      const c = await cli(['audit', 'verify', '--db', ctx.url()]);
      expect(c.code).toBe(1);
      expect(c.out).toContain('未找到审计密钥');
      // Writers create the key file when it is missing; an empty one stops the write instead.
      writeFileSync(process.env.AUDIT_KEY_FILE, '# no key\n');
      await expect(appendTest(t().db, 1, 'no-key')).rejects.toThrow(/no audit key/);
    } finally {
      process.env.AUDIT_KEY_FILE = keyFile;
      setWriterKeyring(undefined);
    }
  });

  it('catches an edit re-hashed over the whole chain with the plain sha256 (a database writer without the key)', async () => {
    await rewriteChain(t().db, hashAuditRow, (r) => (r.seq === 3 ? { ...r, after_json: '{"name":"篡改"}' } : r));
    const keptKid = await verifyAuditChainReport(t().db);
    expect(keptKid.ok).toBe(false);
    expect(keptKid.breaks.every((b) => b.kind === 'edited')).toBe(true);
    expect(keptKid.breaks[0]).toMatchObject({ kind: 'edited', seq: 1 });
    const api = await verifyAuditChain(t().db);
    expect(api).toMatchObject({ ok: false, firstBrokenId: 1 });

    // Posing as a legacy (unkeyed) log does not help either.
    await rewriteChain(t().db, hashAuditRow, (r) => ({ ...r, kid: null }));
    const posed = await verifyAuditChainReport(t().db);
    expect(kinds(posed)).toEqual(['unanchored@null']);
    const c = await cli(['audit', 'verify', '--db', ctx.url()]);
    expect(c.code).toBe(1);
    expect(c.out).toContain('[unanchored]');
  });

  it('reports every broken place with its kind: one row edited and another deleted', async () => {
    const rows = await allRows(t().db);
    const edited = rows[2]!.seq;
    const deleted = rows[6]!.seq;
    await t().db.updateTable('audit_events').set({ after_json: '{"name":"篡改"}' }).where('seq', '=', edited).execute();
    await t().db.deleteFrom('audit_events').where('seq', '=', deleted).execute();

    const report = await verifyAuditChainReport(t().db);
    expect(report.ok).toBe(false);
    expect(kinds(report)).toEqual([`edited@${edited}`, `deleted@${deleted}`]);
    expect(report.breaks[1]).toMatchObject({ toSeq: deleted });

    const text = await cli(['audit', 'verify', '--db', ctx.url()]);
    expect(text.code).toBe(1);
    expect(text.out).toContain('BROKEN: 2 breaks');
    expect(text.out).toContain(`#${edited} [edited] 事件 #${edited} 的哈希与内容不符`);
    expect(text.out).toContain(`#${deleted} [deleted] 事件 #${deleted} 缺失`);

    const json = await cli(['audit', 'verify', '--db', ctx.url(), '--json']);
    expect(json.code).toBe(1);
    const parsed = JSON.parse(json.out) as AuditVerifyReport;
    expect(kinds(parsed)).toEqual([`edited@${edited}`, `deleted@${deleted}`]);

    // A checkpoint would certify the damage: refused.
    const cp = await cli(['audit', 'checkpoint', '--db', ctx.url()]);
    expect(cp.code).toBe(1);
    expect(cp.out).toBe('');

    // A limit lists fewer and counts the rest.
    const limited = await verifyAuditChainReport(t().db, { limit: 1 });
    expect(limited).toMatchObject({ ok: false, moreBreaks: 1 });
    expect(limited.breaks).toHaveLength(1);
  });

  it('reports a replaced link and a truncated tail as separate places', async () => {
    const rows = await allRows(t().db);
    const relinked = rows[4]!;
    // A valid-looking row whose link points elsewhere: inserted or reordered.
    await t()
      .db.updateTable('audit_events')
      .set({ prev_hash: 'f'.repeat(64) })
      .where('seq', '=', relinked.seq)
      .execute();
    const rehashed = { ...relinked, prev_hash: 'f'.repeat(64) };
    await t()
      .db.updateTable('audit_events')
      .set({ hash: hashAuditRowKeyed(rehashed, writerKeyring().byKid.get(relinked.kid!)!.key) })
      .where('seq', '=', relinked.seq)
      .execute();
    // Both links around the replaced row break (its own, and the next row's to it); then the tail is cut.
    const last = rows.at(-1)!.seq;
    await t()
      .db.deleteFrom('audit_events')
      .where('seq', '>=', last - 1)
      .execute();
    const report = await verifyAuditChainReport(t().db);
    expect(kinds(report)).toEqual([`relinked@${relinked.seq}`, `relinked@${relinked.seq + 1}`, `head@${last - 1}`]);
  });

  it('catches a rewrite by a key holder, and a truncation, with a kept checkpoint', async () => {
    const cpFile = path.join(keyDir, `cp-${ctx.dialect}-1.json`);
    const made = await cli(['audit', 'checkpoint', '--db', ctx.url(), '--out', cpFile]);
    expect(made.code).toBe(0);
    const again = await cli(['audit', 'checkpoint', '--db', ctx.url(), '--out', cpFile]);
    expect(again.code).toBe(1);
    expect(again.err).toContain('不覆盖');
    const cp = JSON.parse(readFileSync(cpFile, 'utf8'));
    expect(cp).toMatchObject({ format: 'luoshi-audit-checkpoint/1', kid: writerKeyring().active!.kid });
    expect(cp.chains).toEqual([{ chain: 'global', seq: snapshot.head.last_seq, hash: snapshot.head.last_hash }]);

    await appendTest(t().db, 3, 'after-checkpoint');
    const intact = await cli(['audit', 'verify', '--db', ctx.url(), '--checkpoint', cpFile]);
    expect(intact.out).toContain('1 checkpoint heads match');
    expect(intact.code).toBe(0);

    // Someone with the HMAC key edits an old event and re-hashes everything: the chain alone verifies…
    const key = writerKeyring().active!;
    await rewriteChain(
      t().db,
      (r) => hashAuditRowKeyed(r, key.key),
      (r) => (r.seq === 2 ? { ...r, action: 'forged' } : r),
    );
    expect((await verifyAuditChainReport(t().db)).ok).toBe(true);
    // …but it no longer contains the head the operator kept.
    const rewritten = await cli(['audit', 'verify', '--db', ctx.url(), '--checkpoint', cpFile]);
    expect(rewritten.code).toBe(1);
    expect(rewritten.out).toContain(`#${cp.chains[0].seq} [checkpoint]`);

    // Truncating to before the checkpoint (and moving the head back) is caught the same way.
    const keep = cp.chains[0].seq - 3;
    const kept = await t().db.selectFrom('audit_events').select('hash').where('seq', '=', keep).executeTakeFirstOrThrow();
    await t().db.deleteFrom('audit_events').where('seq', '>', keep).execute();
    await t().db.updateTable('audit_head').set({ last_seq: keep, last_hash: kept.hash }).where('id', '=', 1).execute();
    expect((await verifyAuditChainReport(t().db)).ok).toBe(true);
    const truncated = await cli(['audit', 'verify', '--db', ctx.url(), '--checkpoint', cpFile, '--json']);
    expect(truncated.code).toBe(1);
    expect(kinds(JSON.parse(truncated.out))).toEqual([`checkpoint@${cp.chains[0].seq}`]);

    // An altered checkpoint file is refused by its signature.
    const altered = path.join(keyDir, `cp-${ctx.dialect}-altered.json`);
    writeFileSync(altered, JSON.stringify({ ...cp, chains: [{ ...cp.chains[0], seq: keep, hash: kept.hash }] }));
    const bad = await cli(['audit', 'verify', '--db', ctx.url(), '--checkpoint', altered]);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('签名无效');
  });

  it('rotates the key: events before and after verify, each with its own key id', async () => {
    const oldKid = writerKeyring().active!.kid;
    const rotated = await cli(['audit', 'rotate-key']);
    expect(rotated.code).toBe(0);
    // A restarted writer picks up the new key.
    setWriterKeyring(undefined);
    const newKid = writerKeyring().active!.kid;
    expect(newKid).not.toBe(oldKid);
    expect(rotated.out).toContain(newKid);
    await appendTest(t().db, 2, 'rotated');

    const rows = await allRows(t().db);
    expect(rows.slice(0, -2).every((r) => r.kid === oldKid)).toBe(true);
    expect(rows.slice(-2).every((r) => r.kid === newKid)).toBe(true);
    setWriterKeyring(undefined);
    const report = await verifyAuditChainReport(t().db);
    expect(report).toMatchObject({ ok: true, keyed: rows.length });
    expect((await cli(['audit', 'verify', '--db', ctx.url()])).code).toBe(0);

    // Dropping the old key from the file leaves its events unverifiable, said once.
    const lines = readFileSync(keyFile, 'utf8').split('\n');
    const oldLine = lines.findIndex((l) => /^[0-9a-f]{64}$/.test(l));
    writeFileSync(keyFile, lines.filter((_, i) => i !== oldLine).join('\n'));
    const lost = await verifyAuditChainReport(t().db);
    expect(kinds(lost)).toEqual([`unknown-key@${rows[0]!.seq}`]);
  });

  it('keeps verifying a legacy (unkeyed) log, records the switch, and refuses a downgrade after it', async () => {
    // The log as an installation before keyed hashing wrote it: kid null, plain sha256.
    await rewriteChain(t().db, hashAuditRow, (r) => ({ ...r, kid: null }));
    const legacyCount = snapshot.rows.length;
    // Before the switch event: a key is configured but nothing is keyed.
    expect(kinds(await verifyAuditChainReport(t().db))).toEqual(['unanchored@null']);

    const switchSeq = await anchorLegacyChain(t().db);
    expect(switchSeq).toBe(legacyCount + 1);
    expect(await anchorLegacyChain(t().db)).toBeNull();
    const sw = await t().db.selectFrom('audit_events').selectAll().where('seq', '=', switchSeq!).executeTakeFirstOrThrow();
    expect(sw.action).toBe('audit.key.enable');
    expect(JSON.parse(sw.after_json!)).toMatchObject({ legacyEvents: legacyCount, kid: writerKeyring().active!.kid });
    await appendTest(t().db, 2, 'after-switch');
    expect(await verifyAuditChainReport(t().db)).toMatchObject({ ok: true, legacy: legacyCount, keyed: 3 });
    expect((await cli(['audit', 'verify', '--db', ctx.url()])).code).toBe(0);

    // The legacy prefix is protected from now on: re-hashing an edit in it breaks the switch event's link.
    const legacyRows = (await allRows(t().db)).filter((r) => r.kid === null);
    let prev = GENESIS_HASH;
    for (const r of legacyRows) {
      const row = { ...r, prev_hash: prev, action: r.seq === 2 ? 'forged' : r.action };
      const { hash: _h, ...rest } = row;
      prev = hashAuditRow(rest);
      await t()
        .db.updateTable('audit_events')
        .set({ action: row.action, prev_hash: row.prev_hash, hash: prev })
        .where('seq', '=', r.seq)
        .execute();
    }
    expect(kinds(await verifyAuditChainReport(t().db))).toEqual([`relinked@${switchSeq}`]);

    // An unkeyed event after keyed ones is a downgrade, even when its sha256 is right.
    await rewriteChain(t().db, hashAuditRow, (r) => (r.seq > switchSeq! ? { ...r, kid: null } : r));
    const downgraded = await verifyAuditChainReport(t().db);
    expect(downgraded.breaks.map((b) => b.kind)).toContain('downgraded');
  });
});
