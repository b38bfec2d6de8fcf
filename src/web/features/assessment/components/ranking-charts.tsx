import { BarChart, LineChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, MarkAreaComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import ReactECharts from 'echarts-for-react/esm/core';
import { useMemo } from 'react';
import type { Ranking } from '../api/assessment.api.ts';

echarts.use([BarChart, LineChart, GridComponent, TooltipComponent, AriaComponent, LegendComponent, MarkAreaComponent, SVGRenderer]);

const BAND_COLOURS = ['rgba(82,196,26,0.10)', 'rgba(24,144,255,0.08)', 'rgba(250,173,20,0.10)', 'rgba(245,34,45,0.08)'];

/** One bar per unit of a group, with the tiers' score bands behind the bars. */
export function ScoreBarChart({ group, tiers, label }: { group: Ranking['groups'][number]; tiers: Ranking['tiers']; label: string }) {
  const option = useMemo(() => {
    const rows = [...group.rows].reverse();
    const max = Math.max(100, ...rows.map((r) => r.total));
    // Bands from each threshold up to the one above (quota tiers have no thresholds: no bands).
    const bands = tiers
      .map((tier, i) => ({ tier, upper: i === 0 ? max : tiers[i - 1]!.min, colour: BAND_COLOURS[i % BAND_COLOURS.length] }))
      .filter((b) => b.tier.min !== null && b.upper !== null)
      .map((b) => [{ xAxis: b.tier.min, name: b.tier.label, itemStyle: { color: b.colour } }, { xAxis: b.upper }]);
    return {
      aria: { enabled: true, label: { description: label } },
      animation: false,
      grid: { left: 8, right: 48, top: 24, bottom: 8, containLabel: true },
      tooltip: { trigger: 'item', confine: true },
      xAxis: { type: 'value', min: 0, max: Math.ceil(max / 10) * 10 },
      yAxis: { type: 'category', data: rows.map((r) => r.name), axisTick: { show: false } },
      series: [
        {
          type: 'bar',
          data: rows.map((r) => r.total),
          label: { show: true, position: 'right', color: '#262626' },
          itemStyle: { color: '#1677ff' },
          markArea: { silent: true, label: { position: 'insideTop', color: '#595959', fontSize: 11 }, data: bands },
        },
      ],
    };
  }, [group, tiers, label]);
  return (
    <ReactECharts
      echarts={echarts}
      option={option}
      className="assessment-chart"
      style={{ height: Math.max(160, group.rows.length * 28 + 48) }}
    />
  );
}

/** Each unit's total over the plan's final assessments and this one. */
export function TrendChart({ ranking, label }: { ranking: Ranking; label: string }) {
  const option = useMemo(() => {
    const units = ranking.groups.flatMap((g) => g.rows.map((r) => ({ id: r.orgId, name: r.name })));
    return {
      aria: { enabled: true, label: { description: label } },
      animation: false,
      legend: { type: 'scroll', top: 0 },
      grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis', confine: true },
      xAxis: { type: 'category', data: ranking.trend.map((p) => p.title) },
      yAxis: { type: 'value' },
      series: units.map((u) => ({ type: 'line', name: u.name, data: ranking.trend.map((p) => p.totals[u.id] ?? null) })),
    };
  }, [ranking, label]);
  return <ReactECharts echarts={echarts} option={option} className="assessment-chart" />;
}
