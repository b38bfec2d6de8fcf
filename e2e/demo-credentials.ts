import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './harness.ts';

// The demo accounts are defined once, in the server's demo seed. Read them from its source text
// rather than importing it, so this test process loads none of the server's modules.
const SEED_FILE = join(ROOT, 'src/server/demo/demo-seed.ts');

function readDemoAccounts(): Map<string, { username: string; password: string }> {
  const source = readFileSync(SEED_FILE, 'utf8');
  const accounts = new Map<string, { username: string; password: string }>();
  const pattern = /username:\s*'([^']+)',\s*password:\s*'([^']+)'[^}]*?role:\s*'(\w+)'/g;
  for (const match of source.matchAll(pattern)) {
    accounts.set(match[3], { username: match[1], password: match[2] });
  }
  return accounts;
}

const accounts = readDemoAccounts();
function account(role: string) {
  const found = accounts.get(role);
  if (!found) throw new Error(`no demo account with role ${role} in ${SEED_FILE}`);
  return found;
}

export const DEMO_CREDENTIALS = {
  admin: account('admin'),
  lead: account('lead'),
  unit: account('unit'),
  leader: account('leader'),
};
