import type { z } from 'zod';
import type { AuditEvent, AuditVerifyResult } from '../../../shared/schemas/plan.schema.ts';
import { type AuditKeyring, verifierKeyring, writerKeyring } from '../../core/audit-key.ts';
import {
  type AuditRow,
  appendAuditNow,
  GENESIS_HASH,
  GLOBAL_CHAIN,
  hashAuditRow,
  hashAuditRowKeyed,
  lockAuditHead,
  readAuditHead,
} from '../../core/audit-log.ts';
import { writeTx } from '../../core/transaction.ts';
import { displayNamesOf } from '../users/users.service.ts';
import type { Actor } from '../../core/actor.ts';
import { auditChainsReadableBy } from './audit.policy.ts';
import type { DbOrTrx } from '../../db/database.ts';
import {
  type AuditRowWithActor,
  type AuditWhere,
  findAuditEventBySeq,
  listAuditChains,
  listAuditEvents,
  listAuditPage,
} from './audit.repository.ts';

export type { AuditWhere };
export type AuditEventDto = z.infer<typeof AuditEvent>;
export type AuditVerifyResultDto = z.infer<typeof AuditVerifyResult>;

/**
 * Records the switch to keyed hashing on a chain that still ends in legacy (unkeyed) events: one
 * `audit.key.enable` event, HMAC-hashed and linked to the last legacy hash, so from now on the
 * legacy prefix cannot be rewritten either. Run at server start-up; a no-op when already keyed.
 */
export async function anchorLegacyChain(db: DbOrTrx): Promise<number | null> {
  return writeTx(db, async (trx) => {
    const head = await lockAuditHead(trx);
    if (head.lastSeq === 0) return null;
    const last = await findAuditEventBySeq(trx, GLOBAL_CHAIN, head.lastSeq);
    if (last === undefined || last.kid !== null) return null;
    const [placed] = await appendAuditNow(trx, [
      {
        chain: GLOBAL_CHAIN,
        actorId: null,
        action: 'audit.key.enable',
        entityType: 'audit_chain',
        entityId: GLOBAL_CHAIN,
        after: { legacyEvents: head.lastSeq, legacyHeadHash: head.lastHash, kid: writerKeyring().active?.kid },
      },
    ]);
    return placed!.seq;
  });
}

const VERIFY_PAGE = 1000;
/** How many broken places one verification lists (the count of the rest is still given). */
export const VERIFY_BREAK_LIMIT = 100;

/**
 * What is wrong at one place of the chain:
 * - `edited`: the event's hash does not match its content (content changed, or re-hashed without the key);
 * - `deleted`: seq gap, events `seq`..`toSeq` are missing;
 * - `relinked`: prev_hash does not match the previous event (an event inserted, replaced or reordered);
 * - `unknown-key`: hashed with a key id not in the keyring (key lost, or forged);
 * - `downgraded`: an unkeyed (legacy) event after keyed ones: written with the forgeable hash;
 * - `unanchored`: a key is configured but no event is keyed: the whole log was rewritten unkeyed
 *   (or the server has not started once since the upgrade, which writes the switch event);
 * - `no-key`: no key is available, so keyed events cannot be checked;
 * - `head`: the head row does not match the last event (tail deleted, or head edited);
 * - `checkpoint`: a kept checkpoint is not in the chain any more (rewritten or truncated), or its
 *   signature is bad.
 */
export type AuditBreakKind =
  | 'edited'
  | 'deleted'
  | 'relinked'
  | 'unknown-key'
  | 'downgraded'
  | 'unanchored'
  | 'no-key'
  | 'head'
  | 'checkpoint';

export interface AuditBreak {
  kind: AuditBreakKind;
  chain: string;
  /** The event (seq = event id) where it is wrong; for `deleted` the first missing seq. */
  seq: number | null;
  /** For `deleted`: the last missing seq. */
  toSeq?: number;
  /** Chinese first, then English. */
  message: string;
}

export interface AuditVerifyReport {
  ok: boolean;
  /** Events read and checked. */
  checked: number;
  /** Events hashed with a key / with the legacy sha256. */
  keyed: number;
  legacy: number;
  breaks: AuditBreak[];
  /** Breaks found beyond the listed ones (limit). */
  moreBreaks: number;
  checkpointsChecked: number;
}

/** A checkpoint's claim about one chain head, already signature-checked by the caller. */
export interface CheckpointHead {
  /** Where the claim came from (file name), for messages. */
  source: string;
  chain: string;
  seq: number;
  hash: string;
}

export interface VerifyOptions {
  limit?: number;
  /** Heads from checkpoints the operator kept: each must still be in the chain with that hash. */
  checkpoints?: CheckpointHead[];
  /** Breaks found before the walk (e.g. a checkpoint with a bad signature). */
  preBreaks?: AuditBreak[];
  keyring?: AuditKeyring;
  /** Walk only these chains (a tenant's: audit.policy.ts); omitted: every chain. */
  chains?: readonly string[];
}

/**
 * Walks every chain and reports every broken place (up to `limit`), each with what is wrong, and
 * checks the given checkpoint heads. Legacy events (kid null) verify with the plain sha256 they
 * were written with, but only before the first keyed event, and only when some event is keyed.
 */
export async function verifyAuditChainReport(db: DbOrTrx, opts: VerifyOptions = {}): Promise<AuditVerifyReport> {
  const limit = opts.limit ?? VERIFY_BREAK_LIMIT;
  const ring = opts.keyring ?? verifierKeyring();
  const breaks: AuditBreak[] = [];
  let moreBreaks = 0;
  const add = (b: Omit<AuditBreak, 'chain'> & { chain?: string }): void => {
    if (breaks.length < limit) breaks.push({ chain: GLOBAL_CHAIN, ...b });
    else moreBreaks += 1;
  };
  for (const b of opts.preBreaks ?? []) add(b);

  let checked = 0;
  let keyed = 0;
  let legacy = 0;
  const unknownKids = new Set<string>();
  // Each chain is walked on its own (ADR 0005): seqs, links and the head are per chain.
  const only = opts.chains === undefined ? null : new Set(opts.chains);
  for (const chain of (await listAuditChains(db)).filter((c) => only === null || only.has(c))) {
    const r = await walkChain(db, chain, ring, unknownKids, (b) => add({ ...b, chain }));
    checked += r.checked;
    keyed += r.keyed;
    legacy += r.legacy;
  }

  if (checked > 0 && ring.byKid.size === 0) {
    // Without a key nothing can be told apart from a rewrite: never say "intact".
    add({
      kind: 'no-key',
      seq: null,
      message: `未找到审计密钥（${ring.source}），无法核验（设置 AUDIT_KEY 或 AUDIT_KEY_FILE）(no audit key available: the chain cannot be verified)`,
    });
  } else if (checked > 0 && keyed === 0) {
    add({
      kind: 'unanchored',
      seq: null,
      message: `已配置审计密钥，但没有任何事件用密钥散列：整条日志被不用密钥改写过（若刚升级，启动一次服务器即写入切换事件）(a key is configured but no event is keyed: the log was rewritten unkeyed, or the server has not started since the upgrade)`,
    });
  }

  for (const cp of (opts.checkpoints ?? []).filter((c) => only === null || only.has(c.chain))) {
    const row = await findAuditEventBySeq(db, cp.chain, cp.seq);
    if (row === undefined) {
      add({
        kind: 'checkpoint',
        chain: cp.chain,
        seq: cp.seq,
        message: `检查点 ${cp.source} 记录的${chainLabel(cp.chain)}事件 #${cp.seq} 已不在链中（被删除或截断）(checkpoint event ${cp.seq} is gone: deleted or truncated)`,
      });
    } else if (row.hash !== cp.hash) {
      add({
        kind: 'checkpoint',
        chain: cp.chain,
        seq: cp.seq,
        message: `${chainLabel(cp.chain)}事件 #${cp.seq} 的哈希与检查点 ${cp.source} 不符（此前的链被改写）(hash differs from the checkpoint: the chain up to it was rewritten)`,
      });
    }
  }

  return {
    ok: breaks.length === 0 && moreBreaks === 0,
    checked,
    keyed,
    legacy,
    breaks,
    moreBreaks,
    checkpointsChecked: opts.checkpoints?.length ?? 0,
  };
}

/** How a message names a chain: nothing for the installation chain (as before chains were scoped). */
function chainLabel(chain: string): string {
  return chain === GLOBAL_CHAIN ? '' : `链 ${chain} 的`;
}

/**
 * Walks one chain from its genesis: seq gaps, links, hashes (legacy only before the first keyed
 * event, and only in the installation chain, the one that existed before keyed hashing), and
 * the chain's head row.
 */
async function walkChain(
  db: DbOrTrx,
  chain: string,
  ring: AuditKeyring,
  unknownKids: Set<string>,
  add: (b: Omit<AuditBreak, 'chain'>) => void,
): Promise<{ checked: number; keyed: number; legacy: number }> {
  const c = chainLabel(chain);
  let expectedSeq = 1;
  let prevHash: string = GENESIS_HASH;
  let prevEdited = false;
  let checked = 0;
  let keyed = 0;
  let legacy = 0;
  let lastSeq = 0;
  for (;;) {
    const page = await listAuditPage(db, chain, lastSeq, VERIFY_PAGE);
    for (const row of page) {
      const seq = Number(row.seq);
      let linkExpected = true;
      if (seq !== expectedSeq) {
        add({
          kind: 'deleted',
          seq: expectedSeq,
          toSeq: seq - 1,
          message:
            seq - 1 === expectedSeq
              ? `${c}事件 #${expectedSeq} 缺失（被删除）(event ${expectedSeq} is missing: deleted)`
              : `${c}事件 #${expectedSeq}–#${seq - 1} 缺失（被删除）(events ${expectedSeq}-${seq - 1} are missing: deleted)`,
        });
        // The next event's link is expected to break at a cut; it is the same break.
        linkExpected = false;
      }
      if (linkExpected && row.prev_hash !== prevHash && !prevEdited) {
        add({
          kind: 'relinked',
          seq,
          message: `${c}事件 #${seq} 的 prev_hash 与上一事件不符（插入、替换或调换了事件）(prev_hash does not match event ${seq - 1}: inserted, replaced or reordered)`,
        });
      }
      prevEdited = false;
      if (row.kid === null) {
        legacy += 1;
        if (keyed > 0 || chain !== GLOBAL_CHAIN) {
          add({
            kind: 'downgraded',
            seq,
            message: `${c}事件 #${seq} 未用密钥散列，却在已用密钥的事件之后（用可伪造的哈希改写）(unkeyed event after keyed events: rewritten with the forgeable hash)`,
          });
          prevEdited = true;
        } else if (hashAuditRow(row) !== row.hash) {
          add({ kind: 'edited', seq, message: `${c}事件 #${seq} 的哈希与内容不符（被修改）(hash mismatch: event edited)` });
          prevEdited = true;
        }
      } else {
        keyed += 1;
        const k = ring.byKid.get(row.kid);
        if (k === undefined) {
          // One line per unknown key, not one per event: the cause is the same. Without any key
          // the single `no-key` break says it.
          if (ring.byKid.size > 0 && !unknownKids.has(row.kid)) {
            unknownKids.add(row.kid);
            add({
              kind: 'unknown-key',
              seq,
              message: `${c}事件 #${seq} 使用的密钥 ${row.kid} 不在密钥环中（密钥丢失或事件伪造）(key id ${row.kid} is not in the keyring: lost key or forged event)`,
            });
          }
        } else if (hashAuditRowKeyed(row, k.key) !== row.hash) {
          add({
            kind: 'edited',
            seq,
            message: `${c}事件 #${seq} 的哈希与内容不符（被修改或未用密钥重算）(hash mismatch: event edited or re-hashed without the key)`,
          });
          prevEdited = true;
        }
      }
      prevHash = row.hash;
      expectedSeq = seq + 1;
      lastSeq = seq;
      checked += 1;
    }
    if (page.length < VERIFY_PAGE) break;
  }

  const head = await readAuditHead(db, chain);
  if (head.lastSeq > lastSeq) {
    add({
      kind: 'head',
      seq: lastSeq + 1,
      toSeq: head.lastSeq,
      message: `${c}链头在 #${head.lastSeq}，日志却止于 #${lastSeq}（末尾事件被删除）(head is at ${head.lastSeq} but the log ends at ${lastSeq}: tail deleted)`,
    });
  } else if (head.lastSeq < lastSeq || (checked > 0 && head.lastHash !== prevHash) || (checked === 0 && head.lastHash !== GENESIS_HASH)) {
    add({
      kind: 'head',
      seq: lastSeq || null,
      message: `${c}链头（#${head.lastSeq}）与最后一个事件（#${lastSeq}）不符 (audit head does not match the last event)`,
    });
  }
  return { checked, keyed, legacy };
}

/**
 * The API's summary of {@link verifyAuditChainReport}: ok, events checked, the first broken
 * event and a reason that names every listed break. With `actor`, only the chains of their
 * jurisdictions (audit.policy.ts); omitted: every chain (CLI, internal callers).
 */
export async function verifyAuditChain(db: DbOrTrx, actor?: Actor | null): Promise<AuditVerifyResultDto> {
  const chains = await auditChainsReadableBy(db, actor);
  const r = await verifyAuditChainReport(db, chains === null ? {} : { chains });
  if (r.ok) return { ok: true, checked: r.checked, firstBrokenId: null, reason: null };
  const total = r.breaks.length + r.moreBreaks;
  const first = r.breaks[0]!;
  const reason =
    total === 1
      ? first.message
      : `${total} 处损坏 (${total} breaks): ${r.breaks
          .slice(0, 5)
          .map((b) => b.message)
          .join('; ')}${total > 5 ? '; …' : ''}`;
  return { ok: false, checked: r.checked, firstBrokenId: first.seq, reason };
}

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Names the actors of a page of events with one users' service call; null when the event has no
 * actor or the account is gone (as the left join this replaces gave).
 */
async function withActorNames(db: DbOrTrx, rows: AuditRow[]): Promise<AuditRowWithActor[]> {
  const actorIds = rows.flatMap((r) => (r.actor_id === null ? [] : [r.actor_id]));
  const names = actorIds.length === 0 ? {} : await displayNamesOf(db, actorIds);
  return rows.map((r) => ({ ...r, actor_name: r.actor_id === null ? null : Object.hasOwn(names, r.actor_id) ? names[r.actor_id]! : null }));
}

function toDto(row: AuditRowWithActor): AuditEventDto {
  return {
    id: Number(row.seq),
    at: row.at,
    actorId: row.actor_id,
    actorName: row.actor_name,
    action: row.action,
    entityType: row.entity_type,
    entityId: row.entity_id,
    before: parseJson(row.before_json),
    after: parseJson(row.after_json),
  };
}

/**
 * A task's history, newest first: events on the task and on its targets, deadlines, assignments
 * and reports. `where` keeps only the events the reader may see (filtered before the limit).
 */
export async function listAuditForTask(db: DbOrTrx, taskId: string, limit = 500, where?: AuditWhere): Promise<AuditEventDto[]> {
  const rows = await listAuditEvents(db, { taskId, where, limit, offset: 0 });
  return (await withActorNames(db, rows)).map(toDto);
}
