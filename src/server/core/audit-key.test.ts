import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { keyId, loadAuditKeyring, rotateAuditKey } from './audit-key.ts';

const dirs: string[] = [];
function tmpFile(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'luoshi-key-'));
  dirs.push(d);
  return path.join(d, 'sub', 'audit.key');
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('audit keyring', () => {
  it('reads AUDIT_KEY as hex or base64, comma-separated, last active, with kids derived from the keys', () => {
    const a = randomBytes(32);
    const b = randomBytes(48);
    const ring = loadAuditKeyring({ auditKey: `${a.toString('hex')}, ${b.toString('base64')}`, auditKeyFile: '/nonexistent/never-read' });
    expect(ring.active?.kid).toBe(keyId(b));
    expect([...ring.byKid.keys()]).toEqual([keyId(a), keyId(b)]);
    expect(ring.byKid.get(keyId(a))?.key.equals(a)).toBe(true);
    expect(keyId(a)).toMatch(/^[0-9a-f]{16}$/);
  });

  it('rejects short or malformed keys with a Chinese-first message', () => {
    const cfg = (auditKey: string) => ({ auditKey, auditKeyFile: '/nonexistent' });
    expect(() => loadAuditKeyring(cfg(randomBytes(16).toString('hex')))).toThrow(/审计密钥无效.*AUDIT_KEY\[0\]/);
    expect(() => loadAuditKeyring(cfg(`${randomBytes(32).toString('hex')}a`))).toThrow(/审计密钥无效/);
    expect(() => loadAuditKeyring(cfg('不是密钥'.repeat(20)))).toThrow(/审计密钥无效/);
  });

  it('creates a missing key file (0600) only when asked, and keeps it on the next load', () => {
    const file = tmpFile();
    expect(loadAuditKeyring({ auditKey: undefined, auditKeyFile: file }).byKid.size).toBe(0);
    const created = loadAuditKeyring({ auditKey: undefined, auditKeyFile: file }, { create: true });
    expect(created.active).toBeDefined();
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    const again = loadAuditKeyring({ auditKey: undefined, auditKeyFile: file }, { create: true });
    expect(again.active?.kid).toBe(created.active?.kid);
  });

  it('rotates by appending a key: the new one is active, the old one still known', () => {
    const file = tmpFile();
    const first = loadAuditKeyring({ auditKey: undefined, auditKeyFile: file }, { create: true }).active!.kid;
    const { kid } = rotateAuditKey({ auditKey: undefined, auditKeyFile: file });
    const ring = loadAuditKeyring({ auditKey: undefined, auditKeyFile: file });
    expect(ring.active?.kid).toBe(kid);
    expect(ring.byKid.has(first)).toBe(true);
    expect(readFileSync(file, 'utf8').match(/^[0-9a-f]{64}$/gm)).toHaveLength(2);
    expect(() => rotateAuditKey({ auditKey: randomBytes(32).toString('hex'), auditKeyFile: file })).toThrow(/AUDIT_KEY/);
    writeFileSync(file, '# only a comment\n');
    expect(loadAuditKeyring({ auditKey: undefined, auditKeyFile: file }).active).toBeUndefined();
  });
});
