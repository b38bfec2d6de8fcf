import { CameraOutlined, DeleteOutlined, PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, App as AntApp, Button, Card, Popconfirm, Space, Typography, Upload } from 'antd';
import { useState } from 'react';
import { describeError } from '../../../lib/errors.ts';
import { formatDateTime, useI18n } from '../../../lib/i18n.ts';
import { type ProjectFile, projectFileHref, useProjectFiles, useRemoveProjectFile, useUploadProjectFile } from '../api/projects.api.ts';

const ACCEPT = '.jpg,.jpeg,.png,.webp,.pdf,.docx,.xlsx,.doc,.xls';

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function FileLink({ file }: { file: ProjectFile }) {
  const { t } = useI18n();
  return (
    <a href={projectFileHref(file.id)} download={file.filename} aria-label={t('projects.files.download', { name: file.filename })}>
      {file.filename}
    </a>
  );
}

function RemoveButton({ projectId, file, onError }: { projectId: string; file: ProjectFile; onError: (e: string) => void }) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const remove = useRemoveProjectFile(projectId);
  if (!file.canDelete) return null;
  return (
    <Popconfirm
      title={t('projects.files.removeConfirm', { name: file.filename })}
      okText={t('projects.files.remove')}
      okButtonProps={{ danger: true }}
      cancelText={t('common.cancel')}
      onConfirm={() =>
        remove.mutate(file, {
          onSuccess: () => message.success(t('projects.files.removed', { name: file.filename })),
          onError: (e) => onError(describeError(e, t)),
        })
      }
    >
      <Button
        size="small"
        type="text"
        danger
        icon={<DeleteOutlined aria-hidden />}
        aria-label={t('projects.files.removeLabel', { name: file.filename })}
        loading={remove.isPending}
      />
    </Popconfirm>
  );
}

/** An upload button: one file at a time, the server checks type and size from the bytes. */
function UploadButton({ projectId, reportId, photo }: { projectId: string; reportId?: string; photo?: boolean }) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const upload = useUploadProjectFile(projectId);
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <Upload
        accept={photo ? 'image/*' : ACCEPT}
        showUploadList={false}
        fileList={[]}
        beforeUpload={(file) => {
          setError(null);
          upload.mutate(
            { file, reportId },
            {
              onSuccess: () => message.success(t('projects.files.uploaded', { name: file.name })),
              onError: (e) => setError(describeError(e, t)),
            },
          );
          return false;
        }}
      >
        <Button size="small" icon={photo ? <CameraOutlined aria-hidden /> : <UploadOutlined aria-hidden />} loading={upload.isPending}>
          {photo ? t('projects.files.uploadPhoto') : t('projects.files.upload')}
        </Button>
      </Upload>
      {error && (
        <Alert type="error" showIcon title={error} role="alert" style={{ marginTop: 8 }} closable={{ onClose: () => setError(null) }} />
      )}
    </>
  );
}

/** 附件: the project's documents (photos of monthly reports are shown with their report). */
export function ProjectFilesCard({ projectId, canUpload }: { projectId: string; canUpload: boolean }) {
  const { t, locale } = useI18n();
  const files = useProjectFiles(projectId);
  const [error, setError] = useState<string | null>(null);
  const items = (files.data?.items ?? []).filter((f) => f.reportId === null);
  return (
    <Card
      size="small"
      title={t('projects.files.title')}
      style={{ marginTop: 16 }}
      extra={canUpload && <UploadButton projectId={projectId} />}
    >
      {files.isError && <Alert type="warning" showIcon title={t('projects.files.loadFailed', { error: describeError(files.error, t) })} />}
      {error && <Alert type="error" showIcon title={error} role="alert" closable={{ onClose: () => setError(null) }} />}
      {items.length === 0 ? (
        <Typography.Text type="secondary">{t('projects.files.empty')}</Typography.Text>
      ) : (
        <ul className="reporting-evidence-list" aria-label={t('projects.files.title')}>
          {items.map((file) => (
            <li key={file.id}>
              <PaperClipOutlined aria-hidden /> <FileLink file={file} />{' '}
              <Typography.Text type="secondary" className="reporting-item-sub">
                {formatBytes(file.sizeBytes)} · {formatDateTime(file.createdAt, locale)}
              </Typography.Text>
              <RemoveButton projectId={projectId} file={file} onError={setError} />
            </li>
          ))}
        </ul>
      )}
      {canUpload && (
        <Typography.Paragraph type="secondary" className="reporting-item-sub" style={{ marginTop: 8, marginBottom: 0 }}>
          {t('projects.files.hint')}
        </Typography.Paragraph>
      )}
    </Card>
  );
}

/** 现场照片 of one monthly report, in the report list: links, delete where allowed, and an upload while the report is editable. */
export function ReportPhotos({ projectId, reportId, canUpload }: { projectId: string; reportId: string; canUpload: boolean }) {
  const { t } = useI18n();
  const files = useProjectFiles(projectId);
  const [error, setError] = useState<string | null>(null);
  const photos = (files.data?.items ?? []).filter((f) => f.reportId === reportId);
  return (
    <Space direction="vertical" size={2} aria-label={t('projects.files.photos')}>
      {photos.map((file) => (
        <span key={file.id}>
          <CameraOutlined aria-hidden /> <FileLink file={file} />
          <RemoveButton projectId={projectId} file={file} onError={setError} />
        </span>
      ))}
      {canUpload && <UploadButton projectId={projectId} reportId={reportId} photo />}
      {error && <Typography.Text type="danger">{error}</Typography.Text>}
    </Space>
  );
}
