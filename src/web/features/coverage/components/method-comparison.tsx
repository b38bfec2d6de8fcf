import { BarChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import ReactECharts from 'echarts-for-react/esm/core';
import { Table, type TableColumnsType, Tag, Tooltip, Typography } from 'antd';
import { useMemo } from 'react';
import { COVERAGE_METHODS, type CoverageMethod, type DistrictResult } from '../../../../shared/schemas/coverage.schema.ts';
import { formatNumber, useI18n } from '../../../lib/i18n.ts';
import type { CoverageAnalysis } from '../api/coverage.api.ts';

echarts.use([BarChart, GridComponent, TooltipComponent, LegendComponent, AriaComponent, SVGRenderer]);

const METHOD_COLOURS: Record<CoverageMethod, string> = { buffer_area: '#91caff', point_count: '#95de64', population: '#1677ff' };

/** A ratio as a percentage with one decimal, or — when there is nothing to divide. */
export function percent(ratio: number | null | undefined): string {
  return ratio === null || ratio === undefined ? '—' : `${(Math.round(ratio * 1000) / 10).toFixed(1)}%`;
}

/** The three methods side by side per district: a table with the total row. */
export function MethodComparison({ analysis }: { analysis: CoverageAnalysis }) {
  const { t, locale } = useI18n();
  const rows = [...analysis.districts, { ...analysis.overall, district: t('coverage.result.all') }];
  const headline = analysis.standard.method;
  const columns: TableColumnsType<DistrictResult> = [
    { title: t('coverage.result.district'), dataIndex: 'district', fixed: 'left', onCell: () => ({ style: { whiteSpace: 'nowrap' } }) },
    ...COVERAGE_METHODS.map((m) => ({
      title: (
        <Tooltip title={t(`coverage.method.${m}.help`)}>
          <span>
            {t(`coverage.method.${m}`)}
            {m === headline ? ` ★` : ''}
          </span>
        </Tooltip>
      ),
      key: m,
      align: 'right' as const,
      render: (_: unknown, r: DistrictResult) => {
        const v = r.methods.find((x) => x.method === m);
        const shown = <span data-method={m}>{percent(v?.ratio)}</span>;
        // The raster's worst-case bound is loose (every cell a boundary crosses counted wrong): on hover, not in the figure.
        if (v?.errorBound === null || v?.errorBound === undefined) return shown;
        return <Tooltip title={t('coverage.result.errorBound', { bound: (v.errorBound * 100).toFixed(1) })}>{shown}</Tooltip>;
      },
    })),
    {
      title: t('coverage.result.uncovered'),
      dataIndex: 'uncoveredWeight',
      align: 'right',
      render: (n: number) => formatNumber(Math.round(n), locale),
    },
    {
      title: t('coverage.result.target', { target: percent(analysis.standard.targetRatio) }),
      dataIndex: 'meetsTarget',
      render: (ok: boolean, r) =>
        r.methods.find((x) => x.method === headline)?.ratio === null ? (
          '—'
        ) : (
          <Tag color={ok ? 'green' : 'red'}>{ok ? t('coverage.result.meets') : t('coverage.result.misses')}</Tag>
        ),
    },
  ];
  return (
    <div data-testid="coverage-methods">
      <Table rowKey="district" size="small" columns={columns} dataSource={rows} pagination={false} scroll={{ x: true }} />
      <Typography.Paragraph type="secondary" style={{ marginTop: 8, fontSize: 12 }}>
        {t('coverage.result.methodsNote')}
      </Typography.Paragraph>
    </div>
  );
}

/** The three methods per district as grouped bars (percent). */
export function MethodBars({ analysis }: { analysis: CoverageAnalysis }) {
  const { t } = useI18n();
  const option = useMemo(
    () => ({
      aria: { enabled: true, label: { description: t('coverage.result.chartAria') } },
      animation: false,
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${v}%` },
      xAxis: { type: 'category', data: analysis.districts.map((d) => d.district) },
      yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
      series: COVERAGE_METHODS.map((m) => ({
        name: t(`coverage.method.${m}`),
        type: 'bar',
        barMaxWidth: 28,
        itemStyle: { color: METHOD_COLOURS[m] },
        data: analysis.districts.map((d) => {
          const r = d.methods.find((x) => x.method === m)?.ratio;
          return r === null || r === undefined ? null : Math.round(r * 1000) / 10;
        }),
      })),
    }),
    [analysis, t],
  );
  return (
    <ReactECharts echarts={echarts} option={option} notMerge className="coverage-bars" style={{ height: 260 }} opts={{ renderer: 'svg' }} />
  );
}
