import { CameraOutlined, DeleteOutlined, InboxOutlined, PaperClipOutlined } from '@ant-design/icons';
import { Alert, App as AntApp, Button, Popconfirm, Spin, Typography, Upload } from 'antd';
import { useRef, useState } from 'react';
import type { EvidenceFile } from '../../../../shared/schemas/reporting-files.schema.ts';
import { describeError } from '../../../lib/errors.ts';
import { formatDateTime, useI18n } from '../../../lib/i18n.ts';
import { useIsPhone } from '../../../lib/use-is-phone.ts';
import { evidenceHref, useAttachEvidence, useEvidence, useRemoveEvidence } from '../api/reporting-files.api.ts';

const ACCEPT = '.jpg,.jpeg,.png,.webp,.pdf,.docx,.xlsx,.doc,.xls';

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Download links of a report's evidence, as reviewers see them (read-only, compact). */
export function EvidenceLinks({ reportId }: { reportId: string }) {
  const { t } = useI18n();
  const evidence = useEvidence(reportId);
  const items = evidence.data?.items ?? [];
  if (evidence.isPending) return <Spin size="small" />;
  if (evidence.isError)
    return (
      <Typography.Text type="danger" className="reporting-item-sub">
        {t('reportingFiles.evidence.loadFailed', { error: describeError(evidence.error, t) })}
      </Typography.Text>
    );
  if (items.length === 0) return null;
  return (
    <ul className="reporting-evidence-links" aria-label={t('reportingFiles.review.evidence')}>
      {items.map((file) => (
        <li key={file.id}>
          <PaperClipOutlined aria-hidden />{' '}
          <a
            href={evidenceHref(file.id)}
            download={file.filename}
            aria-label={t('reportingFiles.evidence.download', { name: file.filename })}
          >
            {file.filename}
          </a>
        </li>
      ))}
    </ul>
  );
}

/**
 * The evidence of a report inside the report form: drag or click to attach, a list with download
 * links, remove while editable. A report must exist before a file can hang on it: `ensureReport`
 * saves the draft first when needed and returns its id (null when saving failed).
 */
export function EvidenceSection({
  reportId,
  editable,
  ensureReport,
}: {
  reportId: string | undefined;
  editable: boolean;
  ensureReport: () => Promise<string | null>;
}) {
  const { t, locale } = useI18n();
  const { message } = AntApp.useApp();
  const evidence = useEvidence(reportId);
  const attach = useAttachEvidence();
  const remove = useRemoveEvidence();
  const [error, setError] = useState<string | null>(null);
  const [uploading, setUploading] = useState<string | null>(null);
  const items = evidence.data?.items ?? [];
  const phone = useIsPhone();

  // Several files dropped at once go up one after another (the first may have to create the report).
  const queue = useRef<Promise<void>>(Promise.resolve());
  const onFile = (file: File) => {
    const run = async () => {
      setError(null);
      setUploading(file.name);
      try {
        const id = await ensureReport();
        if (!id) return;
        await attach.mutateAsync({ reportId: id, file });
        message.success(t('reportingFiles.evidence.uploaded', { name: file.name }));
      } catch (e) {
        setError(describeError(e, t));
      } finally {
        setUploading(null);
      }
    };
    queue.current = queue.current.then(run, run);
  };

  const onRemove = (file: EvidenceFile) => {
    setError(null);
    remove.mutate(file, {
      onSuccess: () => message.success(t('reportingFiles.evidence.removed', { name: file.filename })),
      onError: (e) => setError(describeError(e, t)),
    });
  };

  return (
    <section
      className="reporting-evidence"
      aria-labelledby={reportId ? `evidence-${reportId}` : undefined}
      aria-label={reportId ? undefined : t('reportingFiles.evidence.title')}
    >
      <Typography.Text strong id={reportId ? `evidence-${reportId}` : undefined} className="reporting-evidence-title">
        {t('reportingFiles.evidence.title')}
      </Typography.Text>
      {error && (
        <Alert type="error" showIcon title={error} role="alert" style={{ margin: '8px 0' }} closable={{ onClose: () => setError(null) }} />
      )}
      {evidence.isError && (
        <Alert
          type="warning"
          showIcon
          title={t('reportingFiles.evidence.loadFailed', { error: describeError(evidence.error, t) })}
          style={{ margin: '8px 0' }}
        />
      )}
      {items.length > 0 ? (
        <ul className="reporting-evidence-list">
          {items.map((file) => (
            <li key={file.id}>
              <PaperClipOutlined aria-hidden />
              <a
                href={evidenceHref(file.id)}
                download={file.filename}
                aria-label={t('reportingFiles.evidence.download', { name: file.filename })}
              >
                {file.filename}
              </a>
              <Typography.Text type="secondary" className="reporting-item-sub">
                {formatBytes(file.sizeBytes)} · {formatDateTime(file.createdAt, locale)}
              </Typography.Text>
              {editable && (
                <Popconfirm
                  title={t('reportingFiles.evidence.removeConfirm', { name: file.filename })}
                  okText={t('reportingFiles.evidence.remove')}
                  okButtonProps={{ danger: true }}
                  cancelText={t('common.cancel')}
                  onConfirm={() => onRemove(file)}
                >
                  <Button
                    size="small"
                    type="text"
                    danger
                    icon={<DeleteOutlined aria-hidden />}
                    aria-label={t('reportingFiles.evidence.removeLabel', { name: file.filename })}
                    loading={remove.isPending && remove.variables?.id === file.id}
                  />
                </Popconfirm>
              )}
            </li>
          ))}
        </ul>
      ) : (
        !editable && (
          <Typography.Paragraph type="secondary" className="reporting-item-sub">
            {t('reportingFiles.evidence.empty')}
          </Typography.Paragraph>
        )
      )}
      {editable && phone && (
        // On a phone the photo is taken on site: this input opens the camera (capture), the
        // dragger below still picks any file.
        <Upload
          accept="image/*"
          capture="environment"
          showUploadList={false}
          fileList={[]}
          beforeUpload={(file) => {
            onFile(file);
            return false;
          }}
          className="reporting-evidence-camera"
        >
          <Button icon={<CameraOutlined aria-hidden />} size="large" block>
            {t('phone.camera')}
          </Button>
        </Upload>
      )}
      {editable && (
        <Upload.Dragger
          accept={ACCEPT}
          multiple
          showUploadList={false}
          fileList={[]}
          beforeUpload={(file) => {
            onFile(file);
            return false;
          }}
          className="reporting-evidence-drop"
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined aria-hidden />
          </p>
          <p className="ant-upload-text">
            {uploading ? t('reportingFiles.evidence.uploading', { name: uploading }) : t('reportingFiles.evidence.drop')}
          </p>
          <p className="ant-upload-hint">{t('reportingFiles.evidence.hint')}</p>
        </Upload.Dragger>
      )}
    </section>
  );
}
