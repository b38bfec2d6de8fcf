import { Alert, App as AntApp, Button, Form, Input, InputNumber, Select, Space, Typography } from 'antd';
import { type KeyboardEvent, useCallback, useEffect, useId, useRef, useState } from 'react';
import { DELIVERY_STATUSES, type DeliveryStatus } from '../../../../shared/enums.ts';
import type { ProgressReport, ReportingPeriod, SaveReportBody } from '../../../../shared/schemas/reporting.schema.ts';
import { checkCompletionPercent, checkReportValue } from '../../../../shared/report-value.rule.ts';
import { isApiError } from '../../../lib/api-client.ts';
import { describeError } from '../../../lib/errors.ts';
import { useI18n } from '../../../lib/i18n.ts';
import { type MyReportRowData, useReportAction, useSaveReport } from '../api/reporting.api.ts';
import { EvidenceSection } from './evidence-section.tsx';
import { reportRowName } from '../report-row-name.ts';

interface Values {
  value: number | null;
  completionPercent: number | null;
  reportedStatus: DeliveryStatus | null;
  narrative: string;
  problems: string;
  nextSteps: string;
}

function valuesOf(report: ProgressReport | null): Values {
  return {
    value: report?.value ?? null,
    completionPercent: report?.completionPercent ?? null,
    reportedStatus: report?.reportedStatus ?? null,
    narrative: report?.narrative ?? '',
    problems: report?.problems ?? '',
    nextSteps: report?.nextSteps ?? '',
  };
}

type Errors = Partial<Record<'value' | 'narrative' | 'completionPercent', string>>;

/** Units may edit their own report while the period is open and it is a draft or was returned. */
export function isEditable(report: ProgressReport | null, period: ReportingPeriod): boolean {
  return period.status === 'open' && (!report || report.status === 'draft' || report.status === 'returned');
}

/**
 * One report, keyboard-first: fields in reading order, Ctrl+S saves the draft, Ctrl+Enter submits.
 * Edits are saved as a draft after `autosaveMs` of quiet, always with the version last read; a 409
 * (someone else saved) says 已被他人修改 and reloads the form from the server's copy.
 */
export function ReportForm({
  period,
  row,
  autosaveMs = 1500,
  onSubmitted,
}: {
  period: ReportingPeriod;
  row: MyReportRowData;
  autosaveMs?: number;
  onSubmitted?: (report: ProgressReport) => void;
}) {
  const { t } = useI18n();
  const { message, modal } = AntApp.useApp();
  // The reporter confirmed a value far outside the target's range (sent as confirmOutlier).
  const confirmedOutlier = useRef(false);
  const id = useId();
  const save = useSaveReport(period.id);
  const action = useReportAction();
  const [report, setReport] = useState<ProgressReport | null>(row.report);
  const [values, setValues] = useState<Values>(() => valuesOf(row.report));
  const [dirty, setDirty] = useState(false);
  const [conflict, setConflict] = useState(false);
  const [errors, setErrors] = useState<Errors>({});
  const [error, setError] = useState<unknown>(null);
  const reportRef = useRef(report);
  reportRef.current = report;
  const valuesRef = useRef(values);
  valuesRef.current = values;
  // Saves run one after another, each with the version the previous one returned.
  const chain = useRef<Promise<ProgressReport | null>>(Promise.resolve(report));

  const editable = isEditable(report, period);
  const isTarget = row.targetId !== null;

  const persist = useCallback((): Promise<ProgressReport | null> => {
    const run = async (): Promise<ProgressReport | null> => {
      const current = reportRef.current;
      const v = valuesRef.current;
      const body: SaveReportBody = {
        ...(current ? { version: current.version } : {}),
        taskId: row.taskId,
        targetId: row.targetId,
        value: isTarget ? v.value : null,
        completionPercent: v.completionPercent,
        reportedStatus: v.reportedStatus,
        narrative: v.narrative,
        problems: v.problems,
        nextSteps: v.nextSteps,
        ...(confirmedOutlier.current ? { confirmOutlier: true } : {}),
      };
      setDirty(false);
      try {
        const saved = await save.mutateAsync(body);
        reportRef.current = saved;
        setReport(saved);
        setError(null);
        return saved;
      } catch (e) {
        if (isApiError(e) && e.status === 409) {
          setConflict(true);
          const fresh = (e.current as ProgressReport | undefined) ?? null;
          if (fresh) {
            reportRef.current = fresh;
            setReport(fresh);
            setValues(valuesOf(fresh));
          }
        } else {
          setDirty(true);
          setError(e);
        }
        return null;
      }
    };
    const next = chain.current.then(run, run);
    chain.current = next;
    return next;
  }, [row.taskId, row.targetId, isTarget, save.mutateAsync]);

  // Closing the drawer inside the debounce window still saves what was typed.
  const flushRef = useRef<() => void>(() => {});
  flushRef.current = () => {
    if (dirty && editable) void persist();
  };
  useEffect(() => () => flushRef.current(), []);

  // Debounced autosave of drafts.
  useEffect(() => {
    if (!dirty || !editable) return;
    const timer = setTimeout(() => void persist(), autosaveMs);
    return () => clearTimeout(timer);
  }, [dirty, editable, autosaveMs, persist]);

  const change = <K extends keyof Values>(key: K, value: Values[K]) => {
    setValues((prev) => ({ ...prev, [key]: value }));
    if (key === 'value') confirmedOutlier.current = false;
    setErrors((prev) => ({ ...prev, [key]: undefined }));
    setConflict(false);
    setDirty(true);
  };

  const validate = (): boolean => {
    const v = valuesRef.current;
    const next: Errors = {};
    if (isTarget && v.value === null) next.value = t('reporting.form.needValue');
    if (!v.narrative.trim()) next.narrative = t('reporting.form.needNarrative');
    // The shared rule (also the server's and the Excel upload's): nothing is clamped, the reason is shown.
    const percent = checkCompletionPercent(v.completionPercent);
    if (!percent.ok) next.completionPercent = percent.reason;
    const value = isTarget ? checkReportValue(v.value, { unit: row.unit, value: row.targetValue }, true) : { ok: true as const };
    if (!value.ok) next.value = value.reason;
    setErrors(next);
    return Object.keys(next).length === 0;
  };

  const submit = async () => {
    if (!editable || action.isPending) return;
    if (!validate()) return;
    const outlier = isTarget
      ? checkReportValue(valuesRef.current.value, { unit: row.unit, value: row.targetValue })
      : { ok: true as const };
    let justConfirmed = false;
    if (!outlier.ok && !confirmedOutlier.current) {
      const confirmed = await modal.confirm({ title: outlier.reason, okText: '确认无误', cancelText: '返回修改' });
      if (!confirmed) return;
      confirmedOutlier.current = true;
      justConfirmed = true;
    }
    const saved = dirty || justConfirmed || !reportRef.current ? await persist() : reportRef.current;
    if (!saved) return;
    try {
      const submitted = await action.mutateAsync({ report: saved, action: 'submit' });
      setReport(submitted);
      message.success(t('reporting.form.submitted'));
      onSubmitted?.(submitted);
    } catch (e) {
      if (isApiError(e) && e.status === 409) setConflict(true);
      else setError(e);
    }
  };

  // Evidence hangs on a saved report: a new one is saved as a draft first.
  const ensureReport = async (): Promise<string | null> => {
    if (reportRef.current) return reportRef.current.id;
    const saved = await persist();
    return saved?.id ?? null;
  };

  const onKeyDown = (event: KeyboardEvent<HTMLFormElement>) => {
    if (!(event.ctrlKey || event.metaKey)) return;
    if (event.key === 'Enter') {
      event.preventDefault();
      void submit();
    } else if (event.key.toLowerCase() === 's') {
      event.preventDefault();
      if (editable) void persist();
    }
  };

  const unit = row.unit ?? '';
  const fieldId = (name: string) => `${id}-${name}`;
  const state = save.isPending
    ? t('reporting.form.saving')
    : dirty
      ? t('reporting.form.unsaved')
      : report && save.isSuccess
        ? t('reporting.form.savedAt')
        : '';

  return (
    <Form
      layout="vertical"
      className="reporting-form"
      component="form"
      onKeyDown={onKeyDown}
      onFinish={() => void submit()}
      aria-label={t('reporting.form.title', { item: reportRowName(row) ?? row.taskText })}
    >
      {conflict && <Alert type="warning" showIcon title={t('reporting.form.conflict')} style={{ marginBottom: 12 }} role="alert" />}
      {Boolean(error) && <Alert type="error" showIcon title={describeError(error, t)} style={{ marginBottom: 12 }} />}
      {report?.status === 'returned' && report.reviewComment && (
        <Alert
          type="error"
          showIcon
          title={t('reporting.returnedComment', { comment: report.reviewComment })}
          style={{ marginBottom: 12 }}
        />
      )}
      {!editable && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title={
            period.status !== 'open'
              ? t('reporting.form.periodClosed')
              : t('reporting.form.readOnly', { status: t(`reporting.reportStatus.${report?.status ?? 'draft'}`) })
          }
        />
      )}
      <div className="reporting-form-row">
        {isTarget && (
          <Form.Item
            label={unit ? t('reporting.form.value', { unit }) : t('reporting.form.valueNoUnit')}
            htmlFor={fieldId('value')}
            required
            validateStatus={errors.value ? 'error' : undefined}
            help={errors.value}
          >
            <InputNumber
              id={fieldId('value')}
              style={{ width: '100%' }}
              value={values.value}
              onChange={(v) => change('value', typeof v === 'number' ? v : null)}
              suffix={unit || undefined}
              disabled={!editable}
              autoFocus={editable}
            />
          </Form.Item>
        )}
        <Form.Item
          label={t('reporting.form.percent')}
          htmlFor={fieldId('percent')}
          validateStatus={errors.completionPercent ? 'error' : undefined}
          help={errors.completionPercent}
        >
          <InputNumber
            id={fieldId('percent')}
            style={{ width: '100%' }}
            suffix="%"
            value={values.completionPercent}
            onChange={(v) => change('completionPercent', typeof v === 'number' ? v : null)}
            disabled={!editable}
            autoFocus={editable && !isTarget}
          />
        </Form.Item>
        <Form.Item label={t('reporting.form.status')} htmlFor={fieldId('status')}>
          <Select
            id={fieldId('status')}
            allowClear
            value={values.reportedStatus ?? undefined}
            onChange={(v?: DeliveryStatus) => change('reportedStatus', v ?? null)}
            options={DELIVERY_STATUSES.filter((s) => s !== 'overdue').map((s) => ({ value: s, label: t(`status.${s}`) }))}
            disabled={!editable}
          />
        </Form.Item>
      </div>
      <Form.Item
        label={t('reporting.form.narrative')}
        htmlFor={fieldId('narrative')}
        required
        validateStatus={errors.narrative ? 'error' : undefined}
        help={errors.narrative}
      >
        <Input.TextArea
          id={fieldId('narrative')}
          autoSize={{ minRows: 3, maxRows: 6 }}
          value={values.narrative}
          onChange={(e) => change('narrative', e.target.value)}
          disabled={!editable}
        />
      </Form.Item>
      <Form.Item label={t('reporting.form.problems')} htmlFor={fieldId('problems')}>
        <Input.TextArea
          id={fieldId('problems')}
          autoSize={{ minRows: 2, maxRows: 5 }}
          value={values.problems}
          onChange={(e) => change('problems', e.target.value)}
          disabled={!editable}
        />
      </Form.Item>
      <Form.Item label={t('reporting.form.nextSteps')} htmlFor={fieldId('next')}>
        <Input.TextArea
          id={fieldId('next')}
          autoSize={{ minRows: 2, maxRows: 5 }}
          value={values.nextSteps}
          onChange={(e) => change('nextSteps', e.target.value)}
          disabled={!editable}
        />
      </Form.Item>
      <EvidenceSection reportId={report?.id} editable={editable} ensureReport={ensureReport} />
      <div className="reporting-form-footer">
        <Typography.Text type="secondary" className="reporting-form-state" aria-live="polite">
          {state || t('reporting.form.keys')}
        </Typography.Text>
        <Space>
          <Button onClick={() => void persist()} disabled={!editable} loading={save.isPending} title="Ctrl+S">
            {t('reporting.form.saveDraft')}
          </Button>
          <Button type="primary" htmlType="submit" disabled={!editable} loading={action.isPending} title="Ctrl+Enter">
            {t('reporting.form.submit')}
          </Button>
        </Space>
      </div>
    </Form>
  );
}
