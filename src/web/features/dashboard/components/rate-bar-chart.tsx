import { BarChart } from 'echarts/charts';
import { AriaComponent, GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import ReactECharts from 'echarts-for-react/esm/core';
import { useMemo } from 'react';
import { useNavigate } from 'react-router';
import type { DashboardReporting } from '../../../../shared/schemas/ledger.schema.ts';
import { useI18n } from '../../../lib/i18n.ts';
import { formatPercent, RATE_COLOURS, rateBand, ratePercent } from '../reporting-rate.ts';

// The same tree-shaken pieces the status chart registers (registering twice is a no-op): no new code in the chunk.
echarts.use([BarChart, GridComponent, TooltipComponent, AriaComponent, SVGRenderer]);

type DistrictRate = DashboardReporting['byDistrict'][number];

export interface RateBarChartProps {
  items: DistrictRate[];
  /** The review-queue link for a district, or null when the user may not open it (no click then). */
  hrefFor: (orgId: string) => string | null;
  label: string;
}

/** One horizontal bar per district: its 填报率 in percent, coloured by band, labelled "submitted/expected". */
export function RateBarChart({ items, hrefFor, label }: RateBarChartProps) {
  const { t } = useI18n();
  const navigate = useNavigate();
  // echarts draws categories bottom-up: reverse so the chart reads top-down like the table beside it.
  const ordered = useMemo(() => [...items].reverse(), [items]);
  const clickable = ordered.some((item) => hrefFor(item.org.id) !== null);

  const option = useMemo(
    () => ({
      aria: { enabled: true, label: { description: label } },
      animation: false,
      grid: { left: 8, right: 56, top: 8, bottom: 8, containLabel: true },
      tooltip: {
        trigger: 'item',
        confine: true,
        formatter: (params: { dataIndex: number }) => {
          const item = ordered[params.dataIndex];
          if (!item) return '';
          const head = t('dashboard.reporting.tooltip', {
            district: item.org.name,
            submitted: item.submitted,
            expected: item.expected,
            percent: formatPercent(item.rate),
          });
          const extra = t('dashboard.reporting.tooltipExtra', { late: item.late, returned: item.returned });
          return `${escapeHtml(head)}<br/>${escapeHtml(extra)}`;
        },
      },
      xAxis: { type: 'value', min: 0, max: 100, interval: 25, axisLabel: { fontSize: 11, formatter: '{value}%', color: '#595959' } },
      yAxis: {
        type: 'category',
        data: ordered.map((item) => item.org.name),
        axisLabel: { fontSize: 12, width: 128, overflow: 'truncate', color: '#262626' },
        axisTick: { show: false },
      },
      series: [
        {
          type: 'bar',
          barMaxWidth: 16,
          cursor: clickable ? 'pointer' : 'default',
          // Light track behind each bar so that 0% still shows a row.
          showBackground: true,
          backgroundStyle: { color: '#f3f5f9' },
          label: {
            show: true,
            position: 'right',
            fontSize: 12,
            color: '#262626',
            formatter: (params: { dataIndex: number }) => {
              const item = ordered[params.dataIndex];
              return item ? `${item.submitted}/${item.expected}` : '';
            },
          },
          data: ordered.map((item) => ({
            value: ratePercent(item.rate) ?? 0,
            itemStyle: { color: RATE_COLOURS[rateBand(item.rate)] },
          })),
        },
      ],
    }),
    [ordered, t, label, clickable],
  );

  const onEvents = useMemo(
    () => ({
      click: (params: { dataIndex: number }) => {
        const item = ordered[params.dataIndex];
        const href = item ? hrefFor(item.org.id) : null;
        if (href) navigate(href);
      },
    }),
    [ordered, hrefFor, navigate],
  );

  const height = Math.max(160, ordered.length * 28 + 40);
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

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
