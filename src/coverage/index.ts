/**
 * The coverage library (服务半径覆盖率): PURE — imports nothing of server or web, and nothing of
 * node: the browser may use it as it is. Layers are stored in WGS-84 (docs/decisions/0004-coverage-datum.md).
 * `hebi-geo.node.ts` (reading the shipped boundary files) is Node-only and not exported here.
 */
export * from './area-locator.ts';
export * from './coverage.compute.ts';
export * from './coverage.types.ts';
export * from './datum.convert.ts';
export * from './geo-distance.ts';
export * from './h3-aggregate.ts';
export * from './indicator.compute.ts';
export * from './indicator.types.ts';
export * from './site-suggestion.solver.ts';
export * from './spatial-index.ts';
export * from './synthetic-layers.ts';
