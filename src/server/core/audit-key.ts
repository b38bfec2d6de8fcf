/**
 * The audit keyring: the HMAC keys the audit chain is hashed with. They live outside the database
 * (AUDIT_KEY, or the key file AUDIT_KEY_FILE), so someone who can only write the database cannot
 * re-hash an edited chain. See docs/decisions/0002-audit-anchoring.md.
 *
 * Key file format: one key per line (hex, 64+ digits, or base64 of 32+ bytes); `#` starts a
 * comment. The LAST key is the active one (new events); earlier keys stay valid for the events
 * they signed. `luoshi audit rotate-key` appends a line. A key's id (`kid`, stored on each event)
 * is derived from the key itself, so the same key has the same id wherever it is configured.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { appendFileSync, chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Config, loadConfig } from '../config.ts';

export interface AuditKey {
  kid: string;
  key: Buffer;
}

export interface AuditKeyring {
  /** The key new events and checkpoints are signed with; undefined when no key is available. */
  active: AuditKey | undefined;
  byKid: Map<string, AuditKey>;
  /** Where the keys came from, for messages: `AUDIT_KEY` or the key file's path. */
  source: string;
}

const MIN_KEY_BYTES = 32;

/** The key id: the first 16 hex digits of sha256 over a label and the key (reveals nothing usable). */
export function keyId(key: Buffer): string {
  return createHash('sha256').update('luoshi-audit-kid\n').update(key).digest('hex').slice(0, 16);
}

/** HMAC-SHA256 in hex. */
export function hmacHex(key: Buffer, data: string): string {
  return createHmac('sha256', key).update(data).digest('hex');
}

function decodeKey(text: string, where: string): Buffer {
  const t = text.trim();
  // 64+ hex digits is hex (an odd count is a typo, not base64); anything else must be base64.
  const isHex = /^[0-9a-fA-F]{64,}$/.test(t);
  const buf = isHex ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if ((isHex && t.length % 2 !== 0) || buf.length < MIN_KEY_BYTES || (!isHex && !/^[A-Za-z0-9+/_-]+={0,2}$/.test(t))) {
    throw new Error(`审计密钥无效（${where}）：需要至少 ${MIN_KEY_BYTES} 字节的 hex 或 base64 (invalid audit key in ${where})`);
  }
  return buf;
}

function ringOf(keys: Buffer[], source: string): AuditKeyring {
  const byKid = new Map<string, AuditKey>();
  let active: AuditKey | undefined;
  for (const key of keys) {
    const k = { kid: keyId(key), key };
    byKid.set(k.kid, k);
    active = k;
  }
  return { active, byKid, source };
}

/** Parses a key file's text (one key per line, `#` comments, last key active). */
export function parseKeyFile(text: string, where: string): Buffer[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.replace(/#.*/, '').trim())
    .filter((l) => l !== '')
    .map((l, i) => decodeKey(l, `${where}:${i + 1}`));
}

function newKeyLine(): string {
  return `# added ${new Date().toISOString()}\n${randomBytes(32).toString('hex')}\n`;
}

/**
 * Loads the keyring from the configuration: AUDIT_KEY (comma-separated keys, last active) wins;
 * otherwise the key file. With `create`, a missing key file is generated (0600, directory 0700):
 * only writers do that, so `audit verify` from a wrong directory says "no key" instead of
 * silently inventing one.
 */
export function loadAuditKeyring(config: Pick<Config, 'auditKey' | 'auditKeyFile'>, opts: { create?: boolean } = {}): AuditKeyring {
  if (config.auditKey !== undefined) {
    const keys = config.auditKey
      .split(',')
      .filter((s) => s.trim() !== '')
      .map((s, i) => decodeKey(s, `AUDIT_KEY[${i}]`));
    return ringOf(keys, 'AUDIT_KEY');
  }
  const file = path.resolve(config.auditKeyFile);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    if (!opts.create) return ringOf([], file);
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const header = '# Luoshi audit keys: keep this file, back it up apart from the database. Last key is active.\n';
    try {
      // wx: two processes starting at once must not each write a different key.
      writeFileSync(file, header + newKeyLine(), { flag: 'wx', mode: 0o600 });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    text = readFileSync(file, 'utf8');
  }
  return ringOf(parseKeyFile(text, file), file);
}

/**
 * Appends a fresh key to the key file: it becomes the active key; the old ones stay for the events
 * they signed. Returns the new kid. Refuses with AUDIT_KEY (the operator edits that value).
 */
export function rotateAuditKey(config: Pick<Config, 'auditKey' | 'auditKeyFile'>): { kid: string; file: string } {
  if (config.auditKey !== undefined) {
    throw new Error(
      'AUDIT_KEY 已设置：请在其末尾追加 ",<新密钥>"（保留旧密钥）后重启 (AUDIT_KEY is set: append ",<new key>" to it, keep the old ones)',
    );
  }
  const file = path.resolve(config.auditKeyFile);
  loadAuditKeyring(config, { create: true });
  appendFileSync(file, newKeyLine(), { mode: 0o600 });
  chmodSync(file, 0o600);
  const ring = loadAuditKeyring(config);
  return { kid: ring.active!.kid, file };
}

let cached: AuditKeyring | undefined;

/**
 * The process's keyring for writing, loaded once from the environment (creating the key file if
 * absent). The server loads it at start-up, so a bad key stops it there.
 */
export function writerKeyring(): AuditKeyring {
  if (cached === undefined) cached = loadAuditKeyring(loadConfig(), { create: true });
  return cached;
}

/** Installs a keyring for this process (server start-up with its config; tests). */
export function setWriterKeyring(ring: AuditKeyring | undefined): void {
  cached = ring;
}

/** The keyring for verifying: read fresh each time, so a key added by rotate-key is seen without a restart. */
export function verifierKeyring(): AuditKeyring {
  const fresh = loadAuditKeyring(loadConfig());
  // A writer in this process may hold a key that is not (or no longer) in the file: keep it valid.
  if (cached) for (const [kid, k] of cached.byKid) if (!fresh.byKid.has(kid)) fresh.byKid.set(kid, k);
  return fresh;
}
