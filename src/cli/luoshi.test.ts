import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { type CliCommand, type CliCommandEntry, CliUsageError } from './cli-command.types.ts';
import { runLuoshi } from './luoshi.ts';

function capture() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const read = (s: PassThrough) => () => String(s.read() ?? '');
  return { io: { stdout, stderr, cwd: '/' }, out: read(stdout), err: read(stderr) };
}

function entry(summary: string, run: CliCommand['run']): CliCommandEntry {
  return { summary, load: async () => ({ usage: `usage of ${summary}\n`, run }) };
}

describe('runLuoshi', () => {
  const seen: string[][] = [];
  const registry: Record<string, CliCommandEntry> = {
    audit: entry('audit', async (args) => {
      seen.push(['audit', ...args]);
      return 0;
    }),
    'audit verify': entry('verify the chain', async (args) => {
      seen.push(['audit verify', ...args]);
      return 0;
    }),
    strict: entry('strict', async () => {
      throw new CliUsageError('missing FILE');
    }),
    broken: entry('broken', async () => {
      throw new Error('disk on fire');
    }),
  };

  it('dispatches a two-word command before its one-word prefix', async () => {
    const { io } = capture();
    expect(await runLuoshi(['audit', 'verify', '--from', '3'], io, registry)).toBe(0);
    expect(await runLuoshi(['audit', 'list'], io, registry)).toBe(0);
    expect(seen).toEqual([
      ['audit verify', '--from', '3'],
      ['audit', 'list'],
    ]);
  });

  it('prints usage and exits 2 for a usage error', async () => {
    const c = capture();
    expect(await runLuoshi(['strict'], c.io, registry)).toBe(2);
    expect(c.err()).toBe('luoshi strict: missing FILE\n\nusage of strict\n');
  });

  it('turns an unexpected error into one line and exit 1', async () => {
    const c = capture();
    expect(await runLuoshi(['broken'], c.io, registry)).toBe(1);
    expect(c.err()).toBe('luoshi broken: disk on fire\n');
  });

  it('shows a command usage for --help without running it', async () => {
    const c = capture();
    expect(await runLuoshi(['broken', '--help'], c.io, registry)).toBe(0);
    expect(c.out()).toBe('usage of broken\n');
  });

  it('lists commands sorted, and exits 2 with no command', async () => {
    const c = capture();
    expect(await runLuoshi([], c.io, registry)).toBe(2);
    expect(c.err()).toMatch(/ {2}audit {9}audit\n {2}audit verify {2}verify the chain\n/);
  });
});
