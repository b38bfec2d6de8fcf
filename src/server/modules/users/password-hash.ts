import { hash, verify } from '@node-rs/argon2';

// @node-rs/argon2 defaults to argon2id (m=19456 KiB, t=2, p=1): the OWASP baseline. Its
// Algorithm enum is a `const enum`, which isolated-module builds cannot inline, so we rely on it.

/** Hashes a password with argon2id; the PHC string carries its own salt and parameters. */
export async function hashPassword(password: string): Promise<string> {
  return hash(password);
}

/** Verifies a password against a stored PHC string; false (never throws) on a malformed hash. */
export async function verifyPassword(phc: string, password: string): Promise<boolean> {
  try {
    return await verify(phc, password);
  } catch {
    return false;
  }
}

// Compared against when the username does not exist, so both paths cost one argon2 verify and a
// timing difference does not reveal which usernames exist.
let dummyHash: Promise<string> | undefined;
export function getDummyHash(): Promise<string> {
  dummyHash ??= hash('luoshi-dummy-password-for-timing');
  return dummyHash;
}
