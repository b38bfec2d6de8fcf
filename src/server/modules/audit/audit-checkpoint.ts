/**
 * Signed checkpoints of the audit chains' heads, exported to a file the operator keeps away from
 * the server. `audit verify --checkpoint FILE` checks each recorded head is still in its chain
 * with the same hash: a chain rewritten after the checkpoint (even by someone holding the HMAC key)
 * no longer contains it. See docs/decisions/0002-audit-anchoring.md for what this stops.
 */
import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { DbOrTrx } from '../../db/database.ts';
import { type AuditKeyring, hmacHex } from '../../core/audit-key.ts';
import { listAuditHeads } from './audit.repository.ts';
import { canonicalJson } from '../../core/audit-log.ts';
import type { AuditBreak, CheckpointHead } from './audit.service.ts';

export const CHECKPOINT_FORMAT = 'luoshi-audit-checkpoint/1';

const Checkpoint = z.object({
  format: z.literal(CHECKPOINT_FORMAT),
  at: z.string(),
  /** Every chain's head at `at`: `global` and one per plan (ADR 0005). */
  chains: z.array(z.object({ chain: z.string().min(1), seq: z.number().int().min(0), hash: z.string().regex(/^[0-9a-f]{64}$/) })),
  kid: z.string().min(1),
  sig: z.string().regex(/^[0-9a-f]{64}$/),
});
export type AuditCheckpoint = z.infer<typeof Checkpoint>;

function signingInput(cp: Omit<AuditCheckpoint, 'sig'>): string {
  return `${CHECKPOINT_FORMAT}\n${canonicalJson({ at: cp.at, chains: cp.chains, kid: cp.kid })}`;
}

/** Reads every chain's head now and signs them with the active key. */
export async function createAuditCheckpoint(db: DbOrTrx, ring: AuditKeyring): Promise<AuditCheckpoint> {
  const key = ring.active;
  if (key === undefined) throw new Error(`未找到审计密钥（${ring.source}），无法签署检查点 (no audit key to sign the checkpoint)`);
  const heads = await listAuditHeads(db);
  const body = {
    format: CHECKPOINT_FORMAT,
    at: new Date().toISOString(),
    chains: heads.map((h) => ({ chain: h.chain, seq: h.lastSeq, hash: h.lastHash })),
    kid: key.kid,
  } as const;
  return { ...body, sig: hmacHex(key.key, signingInput(body)) };
}

/**
 * Parses and checks one checkpoint file's text. Returns the heads to look for in the chain, or
 * the break that says why the file cannot be trusted (bad format, unknown key, bad signature).
 */
export function readAuditCheckpoint(
  text: string,
  source: string,
  ring: AuditKeyring,
): { heads: CheckpointHead[] } | { broken: AuditBreak } {
  const fail = (message: string) => ({ broken: { kind: 'checkpoint' as const, chain: '*', seq: null, message } });
  let parsed: AuditCheckpoint;
  try {
    const r = Checkpoint.safeParse(JSON.parse(text));
    if (!r.success) return fail(`检查点 ${source} 格式无效 (not a checkpoint file: ${r.error.issues[0]?.message})`);
    parsed = r.data;
  } catch {
    return fail(`检查点 ${source} 不是 JSON (checkpoint is not JSON)`);
  }
  const key = ring.byKid.get(parsed.kid);
  if (key === undefined) return fail(`检查点 ${source} 的签名密钥 ${parsed.kid} 不在密钥环中 (signing key not in the keyring)`);
  const expected = Buffer.from(hmacHex(key.key, signingInput(parsed)), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(parsed.sig, 'hex'))) {
    return fail(`检查点 ${source} 签名无效（文件被改动）(bad checkpoint signature: the file was altered)`);
  }
  return { heads: parsed.chains.filter((c) => c.seq > 0).map((c) => ({ source, chain: c.chain, seq: c.seq, hash: c.hash })) };
}
