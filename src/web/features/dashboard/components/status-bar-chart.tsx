import { BarChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import ReactECharts from 'echarts-for-react/esm/core';
import { useMemo } from 'react';
import { useNavigate } from 'react-router';
import { DELIVERY_STATUSES, type DeliveryStatus } from '../../../../shared/enums.ts';
import type { OrgRef } from '../../../../shared/schemas/ledger.schema.ts';
import { useI18n } from '../../../lib/i18n.ts';
import { STATUS_COLOURS } from '../../../components/status-tag.tsx';

// Tree-shaken: only the bar chart and the pieces it needs (about a third of full echarts).
echarts.use([BarChart, GridComponent, TooltipComponent, LegendComponent, AriaComponent, SVGRenderer]);

export interface StatusBarChartProps {
  items: { org: OrgRef; counts: Partial<Record<DeliveryStatus, number>> }[];
  /** The ledger link for one segment (an organisation, and a status unless the whole bar). */
  hrefFor: (orgId: string, status?: DeliveryStatus) => string;
  label: string;
}

/** Horizontal stacked bars, one per organisation, a segment per status; a click opens those rows. */
export function StatusBarChart({ items, hrefFor, label }: StatusBarChartProps) {
  const { t } = useI18n();
  const navigate = useNavigate();
  // echarts draws categories bottom-up: reverse so the list reads top-down like the data table.
  const ordered = useMemo(() => [...items].reverse(), [items]);

  const option = useMemo(
    () => ({
      aria: { enabled: true, label: { description: label } },
      animation: false,
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      legend: { top: 0, left: 0, itemWidth: 12, itemHeight: 10, textStyle: { fontSize: 12 } },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, confine: true },
      xAxis: { type: 'value', minInterval: 1, axisLabel: { fontSize: 11 } },
      yAxis: {
        type: 'category',
        data: ordered.map((item) => item.org.name),
        axisLabel: { fontSize: 12, width: 120, overflow: 'truncate' },
        axisTick: { show: false },
      },
      series: DELIVERY_STATUSES.map((status) => ({
        name: t(`status.${status}`),
        type: 'bar',
        stack: 'total',
        barMaxWidth: 18,
        cursor: 'pointer',
        itemStyle: { color: STATUS_COLOURS[status] },
        emphasis: { focus: 'series' },
        data: ordered.map((item) => item.counts[status] ?? 0),
      })),
    }),
    [ordered, t, label],
  );

  const onEvents = useMemo(
    () => ({
      click: (params: { dataIndex: number; seriesIndex: number }) => {
        const item = ordered[params.dataIndex];
        const status = DELIVERY_STATUSES[params.seriesIndex];
        if (item && status) navigate(hrefFor(item.org.id, status));
      },
    }),
    [ordered, hrefFor, navigate],
  );

  const height = Math.max(200, ordered.length * 30 + 56);
  return (
    <ReactECharts
      echarts={echarts}
      option={option}
      onEvents={onEvents}
      notMerge
      style={{ height, width: '100%' }}
      opts={{ renderer: 'svg' }}
    />
  );
}
