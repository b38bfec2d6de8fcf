import { CustomChart, LinesChart, ScatterChart } from 'echarts/charts';
import { AriaComponent, GeoComponent, LegendComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import ReactECharts from 'echarts-for-react/esm/core';
import { useMemo } from 'react';
import { useI18n } from '../../../lib/i18n.ts';
import type { AnalysisMap, SuggestionResult } from '../api/coverage.api.ts';

echarts.use([
  ScatterChart,
  LinesChart,
  CustomChart,
  GeoComponent,
  TooltipComponent,
  LegendComponent,
  VisualMapComponent,
  AriaComponent,
  SVGRenderer,
]);

/** The heat layer's classes of uncovered residents per hexagon (upper bounds; the last is open). */
export const HEAT_BREAKS = [0, 200, 1_000, 3_000] as const;
const HEAT_COLOURS = ['#eef3e8', '#fde0c5', '#f9a66c', '#e5484d'] as const;

interface CustomApi {
  value: (dim: number) => number;
  coord: (p: number[]) => number[];
  visual: (key: string) => string;
}

const MAP_NAME = 'coverage-districts';
export const MAP_COLOURS = { covered: '#9aa5b5', uncovered: '#e5484d', facility: '#1677ff', greedy: '#faad14', exact: '#722ed1' } as const;

// Districts are registered once per outline set (the same shipped boundaries for every analysis).
let registered = '';
function registerDistricts(districts: AnalysisMap['districts']): void {
  const key = districts.map((d) => d.name).join('|');
  if (registered === key) return;
  echarts.registerMap(MAP_NAME, {
    type: 'FeatureCollection',
    features: districts.map((d) => ({ type: 'Feature', properties: { name: d.name }, geometry: d.geometry })),
  } as unknown as Parameters<typeof echarts.registerMap>[1]);
  registered = key;
}

type Bbox = [number, number, number, number];

function bboxOf(geometries: AnalysisMap['districts'][number]['geometry'][]): Bbox {
  const box: Bbox = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY];
  const visit = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      box[0] = Math.min(box[0], c[0] as number);
      box[1] = Math.min(box[1], c[1] as number);
      box[2] = Math.max(box[2], c[0] as number);
      box[3] = Math.max(box[3], c[1] as number);
    } else if (Array.isArray(c)) for (const x of c) visit(x);
  };
  for (const g of geometries) visit(g.coordinates);
  return box;
}

/** The geo view that frames `focus` (centre and zoom relative to the whole map), or the whole map. */
function viewFor(districts: AnalysisMap['districts'], focus: string | null | undefined): { center?: [number, number]; zoom: number } {
  const target = districts.find((d) => d.name === focus);
  if (!target) return { zoom: 1 };
  const all = bboxOf(districts.map((d) => d.geometry));
  const one = bboxOf([target.geometry]);
  const zoom = Math.min((all[2] - all[0]) / (one[2] - one[0]), (all[3] - all[1]) / (one[3] - one[1])) * 0.9;
  return { center: [(one[0] + one[2]) / 2, (one[1] + one[3]) / 2], zoom: Math.max(1, zoom) };
}

/** A service circle as a closed polyline of 24 points (metres → degrees locally; drawing only, not measuring). */
function circle(lng: number, lat: number, radius: number): number[][] {
  const dLat = radius / 110_950;
  const dLng = radius / (111_320 * Math.cos((lat * Math.PI) / 180));
  return Array.from({ length: 25 }, (_, k) => {
    const a = (k / 24) * 2 * Math.PI;
    return [lng + dLng * Math.cos(a), lat + dLat * Math.sin(a)];
  });
}

export interface GapMapProps {
  map: AnalysisMap;
  suggestion?: SuggestionResult | null;
  focusDistrict?: string | null;
}

/**
 * The gap map: district outlines from the shipped boundaries, demand points grey when covered and
 * red (sized by residents) when not, facilities in blue, and suggested sites (greedy ★, exact ◆).
 * Under the points, the heat layer: uncovered residents per H3 hexagon (server-computed).
 * WGS-84 on a plain lng/lat plane: no tile server, so nothing needs converting to GCJ-02.
 */
export function GapMap({ map, suggestion, focusDistrict }: GapMapProps) {
  const { t } = useI18n();
  registerDistricts(map.districts);
  const option = useMemo(() => {
    const covered = map.demand.filter((d) => d[3] === 1).map((d) => [d[0], d[1], d[2]]);
    const uncovered = map.demand.filter((d) => d[3] === 0).map((d) => [d[0], d[1], d[2]]);
    const names = {
      covered: t('coverage.map.covered'),
      uncovered: t('coverage.map.uncovered'),
      facility: t('coverage.map.facilities'),
      radius: t('coverage.map.circles'),
      greedy: t('coverage.map.greedy'),
      exact: t('coverage.map.exact'),
      heat: t('coverage.map.heat'),
    };
    const point = (name: string, data: number[][], colour: string, extra: Record<string, unknown>) => ({
      name,
      type: 'scatter',
      coordinateSystem: 'geo',
      data,
      itemStyle: { color: colour },
      ...extra,
    });
    return {
      aria: { enabled: true, label: { description: t('coverage.map.aria') } },
      animation: false,
      tooltip: {
        trigger: 'item',
        formatter: (p: { seriesName: string; value: number[] }) =>
          p.seriesName === names.heat
            ? `${p.seriesName}<br/>${t('coverage.map.heatCell', { uncovered: Math.round(p.value[0]), population: Math.round(p.value[1]) })}`
            : p.value.length >= 3 && p.seriesName !== names.facility
              ? `${p.seriesName}<br/>${t('coverage.map.residents', { count: Math.round(p.value[2]) })}`
              : p.seriesName === names.facility
                ? `${p.seriesName}<br/>${t('coverage.map.radius', { radius: p.value[2] })}`
                : p.seriesName,
      },
      legend: { top: 8, right: 8, orient: 'vertical', backgroundColor: 'rgba(255,255,255,0.85)' },
      geo: {
        map: MAP_NAME,
        roam: true,
        ...viewFor(map.districts, focusDistrict),
        aspectScale: Math.cos((35.8 * Math.PI) / 180),
        label: { show: true, fontSize: 12, color: '#434343' },
        itemStyle: { areaColor: '#f4f6fa', borderColor: '#7d8aa0', borderWidth: 1 },
        emphasis: { label: { show: true }, itemStyle: { areaColor: '#e8edf6' } },
        regions: focusDistrict
          ? [{ name: focusDistrict, itemStyle: { areaColor: '#fff7e6', borderColor: '#d48806', borderWidth: 2 } }]
          : [],
        select: { disabled: true },
      },
      // The heat layer's legend: classes of uncovered residents per hexagon (H3), drawn under the points.
      visualMap: {
        type: 'piecewise',
        seriesIndex: 0,
        dimension: 0,
        left: 8,
        bottom: 8,
        text: [t('coverage.map.heatLegend', { resolution: map.heatResolution })],
        // With a title text echarts hides the class labels unless told to show them.
        showLabel: true,
        textGap: 6,
        backgroundColor: 'rgba(255,255,255,0.85)',
        pieces: [
          { value: 0, label: t('coverage.map.heatNone'), color: HEAT_COLOURS[0] },
          ...HEAT_BREAKS.slice(1).map((to, k) => ({
            gt: HEAT_BREAKS[k],
            lte: to,
            label: t('coverage.map.heatRange', { from: HEAT_BREAKS[k], to }),
            color: HEAT_COLOURS[k + 1],
          })),
          {
            gt: HEAT_BREAKS[HEAT_BREAKS.length - 1],
            label: t('coverage.map.heatAbove', { from: HEAT_BREAKS[HEAT_BREAKS.length - 1] }),
            color: '#a8071a',
          },
        ],
      },
      series: [
        {
          name: names.heat,
          type: 'custom',
          coordinateSystem: 'geo',
          z: 1,
          data: map.heat.map((c, k) => [c.uncoveredPopulation, c.population, k]),
          // The legend's swatch: the strongest class (the cells take their colour from the visualMap).
          itemStyle: { color: HEAT_COLOURS[3] },
          renderItem: (_params: unknown, api: CustomApi) => ({
            type: 'polygon',
            shape: { points: map.heat[api.value(2)].boundary.map((p) => api.coord(p)) },
            style: { fill: api.visual('color'), stroke: '#ffffff', lineWidth: 0.4, opacity: 0.85 },
          }),
        },
        {
          name: names.radius,
          type: 'lines',
          coordinateSystem: 'geo',
          polyline: true,
          silent: true,
          data: map.facilities.map((f) => ({ coords: circle(f[0], f[1], f[2]) })),
          lineStyle: { color: MAP_COLOURS.facility, width: 0.6, opacity: 0.45 },
          itemStyle: { color: MAP_COLOURS.facility },
        },
        point(names.covered, covered, MAP_COLOURS.covered, { symbolSize: 3, silent: true }),
        point(names.uncovered, uncovered, MAP_COLOURS.uncovered, { symbolSize: (v: number[]) => Math.min(10, 2.5 + Math.sqrt(v[2]) / 7) }),
        point(
          names.facility,
          map.facilities.map((f) => [f[0], f[1], f[2]]),
          MAP_COLOURS.facility,
          { symbolSize: 5, symbol: 'rect' },
        ),
        point(
          names.greedy,
          (suggestion?.greedy.sites ?? []).map((s) => [s.lng, s.lat]),
          MAP_COLOURS.greedy,
          {
            symbolSize: 22,
            symbol: 'path://M50,0 L61,35 L98,35 L68,57 L79,91 L50,70 L21,91 L32,57 L2,35 L39,35 Z',
            z: 5,
            itemStyle: { color: MAP_COLOURS.greedy, borderColor: '#613400', borderWidth: 1 },
          },
        ),
        point(
          names.exact,
          (suggestion?.exact.sites ?? []).map((s) => [s.lng, s.lat]),
          MAP_COLOURS.exact,
          { symbolSize: 12, symbol: 'diamond', z: 6, itemStyle: { color: MAP_COLOURS.exact, borderColor: '#ffffff', borderWidth: 1 } },
        ),
      ],
    };
  }, [map, suggestion, focusDistrict, t]);
  return (
    <div data-testid="coverage-gap-map">
      <ReactECharts
        echarts={echarts}
        option={option}
        notMerge
        className="coverage-map"
        style={{ height: 560 }}
        opts={{ renderer: 'svg' }}
      />
    </div>
  );
}
