/**
 * Audit append throughput (`npm run bench:audit`), per database (SQLite, and PostgreSQL when
 * reachable), for docs/benchmarks.md:
 *
 * 1. Concurrent writers (1, 2, 4), each running transactions that read one row and append one
 *    event, all in the installation chain (single chain) or each writer in its own plan's chain
 *    (scoped), in two shapes: `writeTx` (events flushed at commit: the head is locked only then)
 *    and "head held" (the head locked for the whole transaction, as writeTx did before chains were
 *    scoped, with a 1 ms stand-in for the service's work).
 * 2. One transaction appending N events: one at a time (lock the head, insert, update the head,
 *    per event: the old path) against appendAuditBatch (multi-row INSERTs, one head update).
 *
 * Options: --tx N (transactions per configuration, default 400), --events N (default 5000).
 */
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { appendAudit, appendAuditBatch, appendAuditNow, type AuditInput, GLOBAL_CHAIN, planChain } from '../src/server/core/audit-log.ts';
import { writeTx } from '../src/server/core/transaction.ts';
import { type Db, type DbHandle, migrateToLatest } from '../src/server/db/database.ts';
import { verifyAuditChainReport } from '../src/server/modules/audit/audit.service.ts';
import { onEachBenchDatabase } from './city-dataset.ts';

const { values } = parseArgs({ options: { tx: { type: 'string', default: '400' }, events: { type: 'string', default: '5000' } } });
const TX = Math.max(8, Number(values.tx) || 400);
const EVENTS = Math.max(10, Number(values.events) || 5000);

const rate = (n: number, ms: number) => Math.round(n / (ms / 1000));
const event = (chain: string, i: number): AuditInput => ({
  chain,
  actorId: null,
  action: 'bench.append',
  entityType: 'bench',
  entityId: `e${i}`,
  after: { i, note: '基准测试事件' },
});
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function writers(db: Db, count: number, scoped: boolean, headHeld: boolean): Promise<number> {
  const per = Math.ceil(TX / count);
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: count }, async (_, w) => {
      const chain = scoped ? planChain(`bench-${w}`) : GLOBAL_CHAIN;
      for (let i = 0; i < per; i++) {
        if (headHeld) {
          await db.transaction().execute(async (trx) => {
            await appendAuditNow(trx, [event(chain, i)]);
            await sql`select count(*) from organisations`.execute(trx);
            await pause(1);
          });
        } else {
          await writeTx(db, async (trx) => {
            await sql`select count(*) from organisations`.execute(trx);
            await appendAudit(trx, event(chain, i));
          });
        }
      }
    }),
  );
  return rate(per * count, performance.now() - t0);
}

async function bench(label: string, _url: string, handle: DbHandle): Promise<string[]> {
  const db = handle.db;
  await migrateToLatest(db);
  const rows: string[] = [];
  for (const headHeld of [false, true]) {
    for (const n of [1, 2, 4]) {
      const single = await writers(db, n, false, headHeld);
      const scoped = await writers(db, n, true, headHeld);
      rows.push(
        `| ${label} | ${headHeld ? 'head held for the transaction (+1 ms work)' : 'writeTx (flush at commit)'} | ${n} | ${single} | ${scoped} | ${(scoped / single).toFixed(2)}× |`,
      );
      console.error(rows.at(-1));
    }
  }
  let t0 = performance.now();
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < EVENTS; i++) await appendAuditNow(trx, [event(planChain('bench-loop'), i)]);
  });
  const loopMs = performance.now() - t0;
  t0 = performance.now();
  await writeTx(db, (trx) =>
    appendAuditBatch(
      trx,
      Array.from({ length: EVENTS }, (_, i) => event(planChain('bench-batch'), i)),
    ),
  );
  const batchMs = performance.now() - t0;
  rows.push(
    `| ${label} | ${EVENTS} events in one transaction | per-event loop ${loopMs.toFixed(0)} ms (${rate(EVENTS, loopMs)}/s) | appendAuditBatch ${batchMs.toFixed(0)} ms (${rate(EVENTS, batchMs)}/s) | | ${(loopMs / batchMs).toFixed(1)}× |`,
  );
  console.error(rows.at(-1));
  const v = await verifyAuditChainReport(db);
  if (!v.ok) throw new Error(`audit chain broken after the bench: ${v.breaks[0]?.message}`);
  return rows;
}

const results = await onEachBenchDatabase(bench);
console.log('| database | shape | writers | single chain (tx/s) | scoped chains (tx/s) | scoped ÷ single |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const r of results.flat()) console.log(r);
