import { App as AntApp, Button, Descriptions, Empty, Form, Select, Space, Spin, Typography } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { ErrorResult } from '../../../components/error-result.tsx';
import { describeError } from '../../../lib/errors.ts';
import { formatDateTime, useI18n } from '../../../lib/i18n.ts';
import {
  type SuggestionResult,
  useAnalyses,
  useAnalysis,
  useAnalysisMap,
  useLayers,
  useRunAnalysis,
  useStandards,
  useTargetCoverage,
} from '../api/coverage.api.ts';
import { GapMap } from './gap-map.tsx';
import { MethodBars, MethodComparison, percent } from './method-comparison.tsx';
import { SuggestionPanel } from './suggestion-panel.tsx';

/** Run an analysis (office) and read one: the gap map, the three methods per district, suggested sites. */
export function AnalysisPanel({ canEdit }: { canEdit: boolean }) {
  const { t, locale } = useI18n();
  const [params, setParams] = useSearchParams();
  const analyses = useAnalyses();
  const chosen = params.get('analysis') ?? analyses.data?.items[0]?.id ?? null;
  const analysis = useAnalysis(chosen);
  const map = useAnalysisMap(chosen);
  const targets = useTargetCoverage();
  const [suggestion, setSuggestion] = useState<SuggestionResult | null>(null);
  const [focus, setFocus] = useState<string | null>(null);
  // A suggestion belongs to the analysis it was computed for.
  const [suggestionOf, setSuggestionOf] = useState<string | null>(null);
  const shownSuggestion = suggestionOf === chosen ? suggestion : null;

  const choose = (id: string) =>
    setParams(
      (p) => {
        p.set('analysis', id);
        return p;
      },
      { replace: true },
    );

  if (analyses.isError) return <ErrorResult error={analyses.error} onRetry={() => analyses.refetch()} />;
  const a = analysis.data;
  const linked = (targets.data?.items ?? []).filter((x) => a && x.standardId === a.standard.id);
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      {canEdit && <RunForm onRun={choose} />}
      <Space wrap>
        <Typography.Text strong>{t('coverage.analysis.choose')}</Typography.Text>
        <Select
          style={{ minWidth: 420 }}
          aria-label={t('coverage.analysis.choose')}
          value={chosen ?? undefined}
          onChange={choose}
          loading={analyses.isPending}
          options={(analyses.data?.items ?? []).map((x) => ({
            value: x.id,
            label: `${x.standardName} · ${x.facilityLayerName} · ${percent(x.overallRatio)} · ${formatDateTime(x.createdAt, locale)}`,
          }))}
        />
      </Space>
      {!chosen && !analyses.isPending && <Empty description={t('coverage.analysis.none')} />}
      {analysis.isError && <ErrorResult error={analysis.error} onRetry={() => analysis.refetch()} />}
      {chosen && analysis.isPending && <Spin />}
      {a && (
        <>
          <Descriptions size="small" bordered column={{ xs: 1, md: 2, xl: 3 }}>
            <Descriptions.Item label={t('coverage.standard.name')}>{a.standard.name}</Descriptions.Item>
            <Descriptions.Item
              label={t('coverage.role.facility')}
            >{`${a.facilityLayer.name}（${a.facilityLayer.featureCount}）`}</Descriptions.Item>
            <Descriptions.Item
              label={t('coverage.role.demand')}
            >{`${a.demandLayer.name}（${a.demandLayer.featureCount}）`}</Descriptions.Item>
            <Descriptions.Item label={t('coverage.standard.radius')}>
              {a.standard.radiusByRoadClass
                ? (['main_street', 'ordinary_road', 'riverside_park'] as const)
                    .map((c) => `${t(`coverage.roadClass.${c}`)} ${a.standard.radiusByRoadClass![c]} m`)
                    .join(' / ')
                : `${a.standard.radiusM} m`}
            </Descriptions.Item>
            <Descriptions.Item label={t('coverage.analysis.headline')}>
              {`${t(`coverage.method.${a.standard.method}`)}：${percent(a.overall.methods.find((m) => m.method === a.standard.method)?.ratio)}`}
            </Descriptions.Item>
            <Descriptions.Item label={t('coverage.analysis.computedAt')}>{formatDateTime(a.createdAt, locale)}</Descriptions.Item>
          </Descriptions>
          {linked.length > 0 && (
            <Typography.Paragraph>
              {t('coverage.analysis.feeds', { count: linked.length })}
              {linked.map((l) => (
                <span
                  key={l.targetId}
                >{` ${l.district ?? t('coverage.result.all')} ${percent(l.latest?.ratio)}（${t(`coverage.method.${l.method}`)}）`}</span>
              ))}
            </Typography.Paragraph>
          )}
          <div className="coverage-grid">
            <div>
              {map.data ? <GapMap map={map.data} suggestion={shownSuggestion} focusDistrict={focus} /> : <Spin />}
              <MapLegend />
            </div>
            <MethodComparison analysis={a} />
          </div>
          <MethodBars analysis={a} />
          <SuggestionPanel
            analysis={a}
            onResult={(r) => {
              setSuggestion(r);
              setSuggestionOf(a.id);
            }}
            onDistrict={setFocus}
          />
        </>
      )}
    </Space>
  );
}

function MapLegend() {
  const { t } = useI18n();
  return <Typography.Paragraph className="coverage-legend">{t('coverage.map.legend')}</Typography.Paragraph>;
}

function RunForm({ onRun }: { onRun: (id: string) => void }) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const standards = useStandards();
  const layers = useLayers();
  const run = useRunAnalysis();
  const [form] = Form.useForm<{ standardId: string; facilityLayerId: string; demandLayerId: string }>();
  const standardId = Form.useWatch('standardId', form);
  const standard = standards.data?.items.find((s) => s.id === standardId);
  const facilityLayers = (layers.data?.items ?? []).filter((l) => l.role === 'facility' && (!standard || l.kind === standard.facilityKind));
  const demandLayers = (layers.data?.items ?? []).filter((l) => l.role === 'demand');
  const onFinish = (values: { standardId: string; facilityLayerId: string; demandLayerId: string }) =>
    run.mutate(values, {
      onSuccess: (res) => {
        message.success(t('coverage.analysis.done'));
        onRun(res.id);
      },
      onError: (error) => message.error(describeError(error, t)),
    });
  return (
    <Form form={form} name="coverage-run" layout="inline" onFinish={onFinish} aria-label={t('coverage.analysis.run')}>
      <Form.Item
        name="standardId"
        label={t('coverage.standard.name')}
        rules={[{ required: true, message: t('coverage.analysis.required') }]}
      >
        <Select
          style={{ width: 240 }}
          options={(standards.data?.items ?? []).map((s) => ({ value: s.id, label: s.name }))}
          onChange={() => form.setFieldValue('facilityLayerId', undefined)}
        />
      </Form.Item>
      <Form.Item
        name="facilityLayerId"
        label={t('coverage.role.facility')}
        rules={[{ required: true, message: t('coverage.analysis.required') }]}
      >
        <Select style={{ width: 220 }} options={facilityLayers.map((l) => ({ value: l.id, label: l.name }))} />
      </Form.Item>
      <Form.Item
        name="demandLayerId"
        label={t('coverage.role.demand')}
        rules={[{ required: true, message: t('coverage.analysis.required') }]}
      >
        <Select style={{ width: 220 }} options={demandLayers.map((l) => ({ value: l.id, label: l.name }))} />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={run.isPending}>
        {t('coverage.analysis.run')}
      </Button>
    </Form>
  );
}
