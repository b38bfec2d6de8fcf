/**
 * Public surface of the plan parser: pure functions from plan text to a PlanExtract, and the
 * resolution of its unit mentions against an organisation registry.
 */
export { parsePlan } from './parse-plan.ts';
export * from './plan-extract.types.ts';
export { foldName, resolveUnits } from './resolve-units.ts';
