import { InboxOutlined } from '@ant-design/icons';
import { Alert, Button, Modal, Space, Table, type TableColumnsType, Typography, Upload } from 'antd';
import { useMemo, useState } from 'react';
import type { ReportUploadResult } from '../../../../shared/schemas/reporting-files.schema.ts';
import { describeError } from '../../../lib/errors.ts';
import { useI18n } from '../../../lib/i18n.ts';
import { useUploadMyReports } from '../api/reporting-files.api.ts';
import type { MyReportRowData } from '../api/reporting.api.ts';
import { reportRowName } from '../report-row-name.ts';

interface ErrorLine {
  key: string;
  row: number;
  column: string;
  item: string;
  message: string;
}

/**
 * 上传填报表: pick the filled template → dry run (every row checked, nothing saved) → the counts and
 * a table of errors (行, 列, 问题) → 保存为草稿 only when no row has an error → the number saved.
 */
export function ReportUploadDialog({
  open,
  onClose,
  periodId,
  items,
}: {
  open: boolean;
  onClose: () => void;
  periodId: string;
  items: MyReportRowData[];
}) {
  const { t } = useI18n();
  const upload = useUploadMyReports(periodId);
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<ReportUploadResult | null>(null);
  const [saved, setSaved] = useState<ReportUploadResult | null>(null);
  const [error, setError] = useState<string | null>(null);

  const itemOf = useMemo(() => {
    const map = new Map<string, string>();
    for (const row of items) {
      const name = reportRowName(row) ?? t('reporting.taskLevel');
      map.set(`${row.taskId}/${row.targetId ?? ''}`, `${t('reporting.taskSeq', { seq: row.taskSeq })} · ${name}`);
    }
    return map;
  }, [items, t]);

  const reset = () => {
    setFile(null);
    setPreview(null);
    setSaved(null);
    setError(null);
    upload.reset();
  };

  const check = (picked: File) => {
    setFile(picked);
    setPreview(null);
    setSaved(null);
    setError(null);
    upload.mutate(
      { file: picked, dryRun: true },
      { onSuccess: (result) => setPreview(result), onError: (e) => setError(describeError(e, t)) },
    );
  };

  const save = () => {
    if (!file || !preview || preview.invalid > 0) return;
    upload.mutate(
      { file, dryRun: false },
      {
        onSuccess: (result) => {
          if (result.invalid > 0) setPreview(result);
          else setSaved(result);
        },
        onError: (e) => setError(describeError(e, t)),
      },
    );
  };

  const errorLines: ErrorLine[] = (preview?.rows ?? []).flatMap((r) =>
    r.errors.map((e, i) => ({ key: `${r.row}:${i}`, row: r.row, column: e.column, item: itemOf.get(r.key) ?? '', message: e.message })),
  );
  const okRows = (preview?.rows ?? []).filter((r) => r.ok).map((r) => r.row);
  const canSave = Boolean(preview && !saved && preview.invalid === 0 && preview.valid > 0);

  const columns: TableColumnsType<ErrorLine> = [
    { key: 'row', title: t('reportingFiles.upload.col.row'), dataIndex: 'row', width: 64 },
    { key: 'column', title: t('reportingFiles.upload.col.column'), dataIndex: 'column', width: 56 },
    {
      key: 'item',
      title: t('reportingFiles.upload.col.item'),
      dataIndex: 'item',
      width: 240,
      // Wrapped, never cut: two rows of one task differ only at the end (…（甲县） / …（另一县区）).
      render: (text: string) => <span className="reporting-upload-item">{text || t('common.none')}</span>,
    },
    { key: 'message', title: t('reportingFiles.upload.col.problem'), dataIndex: 'message' },
  ];

  return (
    <Modal
      open={open}
      title={t('reportingFiles.upload.title')}
      width={820}
      onCancel={onClose}
      afterClose={reset}
      destroyOnHidden
      footer={
        <Space>
          {(preview || error) && !upload.isPending && <Button onClick={reset}>{t('reportingFiles.upload.another')}</Button>}
          <Button onClick={onClose}>{t('reportingFiles.upload.close')}</Button>
          {!saved && (
            <Button type="primary" disabled={!canSave} loading={upload.isPending && upload.variables?.dryRun === false} onClick={save}>
              {t('reportingFiles.upload.save')}
            </Button>
          )}
        </Space>
      }
    >
      {!preview && !saved && (
        <>
          <Typography.Paragraph type="secondary">{t('reportingFiles.upload.hint')}</Typography.Paragraph>
          <Upload.Dragger
            accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            multiple={false}
            showUploadList={false}
            fileList={[]}
            disabled={upload.isPending}
            beforeUpload={(picked) => {
              check(picked);
              return false;
            }}
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined aria-hidden />
            </p>
            <p className="ant-upload-text">
              {upload.isPending && file ? t('reportingFiles.upload.checking', { name: file.name }) : t('reportingFiles.upload.drop')}
            </p>
          </Upload.Dragger>
        </>
      )}
      {error && <Alert type="error" showIcon role="alert" title={error} style={{ marginTop: 12 }} />}
      {preview && !saved && (
        <div aria-live="polite">
          {file && <Typography.Text type="secondary">{t('reportingFiles.upload.file', { name: file.name })}</Typography.Text>}
          <div className="reporting-upload-counts">
            <Typography.Text strong>
              {t('reportingFiles.upload.summary', { total: preview.rows.length, valid: preview.valid, invalid: preview.invalid })}
            </Typography.Text>
          </div>
          {preview.rows.length === 0 ? (
            <Alert type="warning" showIcon title={t('reportingFiles.upload.noRows')} />
          ) : preview.invalid > 0 ? (
            <Alert type="error" showIcon title={t('reportingFiles.upload.fixErrors')} />
          ) : (
            <Alert type="success" showIcon title={t('reportingFiles.upload.allOk')} />
          )}
          {errorLines.length > 0 && (
            <Table<ErrorLine>
              className="reporting-upload-errors"
              size="small"
              rowKey="key"
              columns={columns}
              dataSource={errorLines}
              pagination={errorLines.length > 50 ? { pageSize: 50 } : false}
              scroll={{ y: 320 }}
              style={{ marginTop: 12 }}
              title={() => <Typography.Text strong>{t('reportingFiles.upload.errorsCaption')}</Typography.Text>}
            />
          )}
          {okRows.length > 0 && (
            <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
              {t('reportingFiles.upload.okRows', { rows: okRows.join('、') })}
            </Typography.Paragraph>
          )}
        </div>
      )}
      {saved && <Alert type="success" showIcon role="status" title={t('reportingFiles.upload.saved', { saved: saved.saved })} />}
    </Modal>
  );
}
