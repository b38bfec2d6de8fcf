#!/usr/bin/env node
/**
 * The import-boundary check (`npm run lint:boundaries`, part of `npm test`): dependency-cruiser with
 * the house rules in .dependency-cruiser.cjs, tolerating only the violations recorded in
 * .dependency-cruiser-known-violations.json (the server's, removed in phase 2 of issue 10; see
 * docs/decisions/0003-module-boundaries.md). Any other violation fails with exit code 1.
 *
 * Why a wrapper and not `depcruise --ignore-known` alone: dependency-cruiser softens known
 * violations of module-scope rules only, not of folder-scope ones, and the module-cycle rule is a
 * folder-scope rule (server modules are flat folders, so a folder cycle is a module cycle). This
 * script applies the baseline to those the same way dependency-cruiser does for file cycles: the
 * same rule and the same set of folders in the cycle.
 *
 * `node scripts/check-boundaries.mjs --update-baseline` rewrites the baseline from the current tree
 * (do it only when a violation has been removed, so the list shrinks).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BASELINE = join(ROOT, '.dependency-cruiser-known-violations.json');
const DEPCRUISE = join(ROOT, 'node_modules', '.bin', 'depcruise');
const args = ['src', '--config', '.dependency-cruiser.cjs'];

const run = (extra) => execFileSync(DEPCRUISE, [...args, ...extra], { cwd: ROOT, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });

if (process.argv.includes('--update-baseline')) {
  writeFileSync(BASELINE, run(['--output-type', 'baseline']));
  console.log(`wrote ${BASELINE}`);
  process.exit(0);
}

// depcruise exits non-zero when it finds errors; the JSON is on stdout either way.
let json;
try {
  json = run(['--ignore-known', BASELINE, '--output-type', 'json']);
} catch (error) {
  if (!error.stdout) throw error;
  json = error.stdout;
}
const known = JSON.parse(readFileSync(BASELINE, 'utf8'));
const names = (cycle) =>
  (cycle ?? [])
    .map((step) => step.name)
    .sort()
    .join('\n');
const isKnown = (violation) =>
  known.some(
    (k) =>
      k.rule.name === violation.rule.name &&
      (violation.cycle && k.cycle ? names(k.cycle) === names(violation.cycle) : k.from === violation.from && k.to === violation.to),
  );

const { summary } = JSON.parse(json);
const fresh = summary.violations.filter((v) => v.rule.severity === 'error' && !isKnown(v));
for (const v of fresh) {
  const path = v.cycle ? [v.from, ...v.cycle.map((step) => step.name)].join(' → ') : `${v.from} → ${v.to}`;
  console.error(`  error ${v.rule.name}: ${path}`);
}
const tolerated = summary.violations.length - fresh.length;
console.log(
  `${summary.totalCruised} modules, ${summary.totalDependenciesCruised} dependencies cruised; ` +
    `${fresh.length} new boundary violation(s), ${tolerated} known (baseline) tolerated.`,
);
process.exit(fresh.length ? 1 : 0);
