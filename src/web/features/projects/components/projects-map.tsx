import { ScatterChart } from 'echarts/charts';
import { AriaComponent, GeoComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import ReactECharts from 'echarts-for-react/esm/core';
import { Skeleton } from 'antd';
import { useMemo, useRef } from 'react';
import { useI18n } from '../../../lib/i18n.ts';
import { useBoundary } from '../api/projects.api.ts';

echarts.use([ScatterChart, GeoComponent, TooltipComponent, AriaComponent, SVGRenderer]);

const MAP_NAME = 'luoshi-districts';

export interface MapPoint {
  id: string;
  name: string;
  lng: number;
  lat: number;
  colour: string;
}

export interface ProjectsMapProps {
  points: MapPoint[];
  /** Click on a point (the list map opens the project). */
  onPointClick?: (id: string) => void;
  /** Click anywhere on the map (the form's picker): the GCJ-02 coordinates clicked. */
  onPick?: (lng: number, lat: number) => void;
  height?: number;
}

/**
 * The installation's district outlines (served by the API, drawn as they are: GCJ-02, no tile
 * server) with projects as points. The form uses it as the location picker.
 */
export function ProjectsMap({ points, onPointClick, onPick, height = 480 }: ProjectsMapProps) {
  const { t } = useI18n();
  const boundary = useBoundary();
  const chartRef = useRef<ReactECharts | null>(null);
  const ready = Boolean(boundary.data);
  if (boundary.data && !echarts.getMap(MAP_NAME)) echarts.registerMap(MAP_NAME, boundary.data as never);

  const option = useMemo(
    () => ({
      aria: { enabled: true, label: { description: t('projects.map.aria', { count: points.length }) } },
      animation: false,
      tooltip: { trigger: 'item', formatter: (p: { data?: { name?: string } }) => escapeHtml(p.data?.name ?? '') },
      geo: {
        map: MAP_NAME,
        roam: true,
        label: { show: true, color: '#595959', fontSize: 12 },
        itemStyle: { areaColor: '#f5f7fa', borderColor: '#8c8c8c' },
        emphasis: { itemStyle: { areaColor: '#e6f4ff' }, label: { show: true } },
        select: { disabled: true },
      },
      series: [
        {
          type: 'scatter',
          coordinateSystem: 'geo',
          symbolSize: 10,
          data: points.map((p) => ({
            name: p.name,
            id: p.id,
            value: [p.lng, p.lat],
            itemStyle: { color: p.colour, borderColor: '#fff', borderWidth: 1 },
          })),
        },
      ],
    }),
    [points, t],
  );

  if (!ready) return <Skeleton active />;
  const onEvents = {
    click: (e: { componentType?: string; data?: { id?: string } }) => {
      if (e.componentType === 'series' && e.data?.id && onPointClick) onPointClick(e.data.id);
    },
  };
  return (
    <div data-testid="projects-map">
      <ReactECharts
        ref={chartRef}
        echarts={echarts}
        option={option}
        notMerge
        style={{ height, width: '100%' }}
        onEvents={onEvents}
        onChartReady={(chart) => {
          if (!onPick) return;
          chart.getZr().on('click', (e: { offsetX: number; offsetY: number }) => {
            const at = chart.convertFromPixel({ geoIndex: 0 }, [e.offsetX, e.offsetY]) as number[] | undefined;
            if (at && Number.isFinite(at[0]) && Number.isFinite(at[1]))
              onPick(Math.round(at[0]! * 1e6) / 1e6, Math.round(at[1]! * 1e6) / 1e6);
          });
        }}
      />
    </div>
  );
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
