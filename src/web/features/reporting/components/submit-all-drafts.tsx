import { Alert, Button, Modal, Progress, Typography } from 'antd';
import { useState } from 'react';
import type { ProgressReport } from '../../../../shared/schemas/reporting.schema.ts';
import { isApiError } from '../../../lib/api-client.ts';
import { describeError } from '../../../lib/errors.ts';
import { useI18n } from '../../../lib/i18n.ts';
import { type MyReportRowData, useReportAction } from '../api/reporting.api.ts';
import { reportRowName } from '../report-row-name.ts';

/** A draft, or a returned report edited since it came back. */
export function isPendingDraft(report: ProgressReport | null): report is ProgressReport {
  if (!report) return false;
  if (report.status === 'draft') return true;
  return report.status === 'returned' && (!report.reviewedAt || report.updatedAt > report.reviewedAt);
}

/** Complete enough for the server to accept: the value on a target row, and the progress text. */
export function isCompleteEnough(row: MyReportRowData): boolean {
  const r = row.report;
  if (!r) return false;
  if (row.targetId !== null && r.value === null) return false;
  return r.narrative.trim().length > 0;
}

interface Failure {
  item: string;
  error: string;
}

/** 提交全部草稿: confirm with the count, submit one after another with progress, list failures per row. */
export function SubmitAllDrafts({ items, disabled }: { items: MyReportRowData[]; disabled?: boolean }) {
  const { t } = useI18n();
  const action = useReportAction();
  const [confirming, setConfirming] = useState(false);
  const [running, setRunning] = useState<{ done: number; total: number } | null>(null);
  const [result, setResult] = useState<{ ok: number; failures: Failure[] } | null>(null);

  const drafts = items.filter((row) => isPendingDraft(row.report));
  const ready = drafts.filter(isCompleteEnough);
  const skipped = drafts.length - ready.length;
  const label = (row: MyReportRowData) =>
    `${t('reporting.taskSeq', { seq: row.taskSeq })} · ${reportRowName(row) ?? t('reporting.taskLevel')}`;

  const describeSubmitError = (e: unknown): string => {
    if (isApiError(e) && e.isVersionConflict) return t('reportingFiles.submitAll.stale');
    if (isApiError(e) && e.status === 409) return t('reportingFiles.submitAll.wrongState');
    if (isApiError(e) && e.code === 'report_value_missing') return t('error.report_value_missing');
    return describeError(e, t);
  };

  const run = async () => {
    const batch = ready;
    setRunning({ done: 0, total: batch.length });
    setResult(null);
    let ok = 0;
    const failures: Failure[] = [];
    for (const [i, row] of batch.entries()) {
      try {
        // The rows carry the version last read (the cache is patched after each save).
        await action.mutateAsync({ report: row.report as ProgressReport, action: 'submit' });
        ok += 1;
      } catch (e) {
        failures.push({ item: label(row), error: describeSubmitError(e) });
      }
      setRunning({ done: i + 1, total: batch.length });
    }
    setRunning(null);
    setResult({ ok, failures });
  };

  const close = () => {
    if (running) return;
    setConfirming(false);
    setResult(null);
  };

  return (
    <>
      <Button onClick={() => setConfirming(true)} disabled={disabled || drafts.length === 0}>
        {t('reportingFiles.submitAll.button')}
      </Button>
      <Modal
        open={confirming}
        title={t('reportingFiles.submitAll.title')}
        onCancel={close}
        closable={!running}
        mask={{ closable: !running }}
        destroyOnHidden
        okText={result ? t('reportingFiles.upload.close') : t('reportingFiles.submitAll.ok')}
        okButtonProps={{ disabled: !result && ready.length === 0, loading: Boolean(running) }}
        cancelButtonProps={{ style: result ? { display: 'none' } : undefined, disabled: Boolean(running) }}
        cancelText={t('common.cancel')}
        onOk={() => (result ? close() : void run())}
      >
        {!running && !result && (
          <>
            <Typography.Paragraph>
              {ready.length > 0 ? t('reportingFiles.submitAll.body', { count: ready.length }) : t('reportingFiles.submitAll.none')}
            </Typography.Paragraph>
            {skipped > 0 && (
              <Typography.Paragraph type="secondary">{t('reportingFiles.submitAll.skipped', { count: skipped })}</Typography.Paragraph>
            )}
          </>
        )}
        {running && (
          <div aria-live="polite">
            <Typography.Text>{t('reportingFiles.submitAll.progress', running)}</Typography.Text>
            <Progress percent={Math.round((running.done / Math.max(1, running.total)) * 100)} />
          </div>
        )}
        {result &&
          (result.failures.length === 0 ? (
            <Alert type="success" showIcon role="status" title={t('reportingFiles.submitAll.done', { ok: result.ok })} />
          ) : (
            <Alert
              type="warning"
              showIcon
              role="alert"
              title={t('reportingFiles.submitAll.partial', { ok: result.ok, failed: result.failures.length })}
              description={
                <ul className="reporting-submit-failures">
                  {result.failures.map((f) => (
                    <li key={f.item}>{t('reportingFiles.submitAll.failure', { item: f.item, error: f.error })}</li>
                  ))}
                </ul>
              }
            />
          ))}
      </Modal>
    </>
  );
}
