/**
 * The district boundaries an analysis is computed within: the shipped boundary file of the
 * installation (samples/geo/, GCJ-02), converted once to WGS-84 and kept in memory. Read through
 * the coverage library's Node reader; a later geo module may own the boundaries instead.
 */
import type { PolygonLayer } from '../../../coverage/coverage.types.ts';
import { readHebiDistricts } from '../../../coverage/hebi-geo.node.ts';

let cached: PolygonLayer | undefined;

/** The districts (property `name`) in WGS-84. */
export function districtBoundaries(): PolygonLayer {
  cached ??= readHebiDistricts();
  return cached;
}
