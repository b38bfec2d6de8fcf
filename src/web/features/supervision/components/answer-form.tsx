import { InboxOutlined } from '@ant-design/icons';
import { Alert, App as AntApp, Button, Form, Input, Upload, type UploadFile } from 'antd';
import { useId, useState } from 'react';
import { isApiError } from '../../../lib/api-client.ts';
import { describeError } from '../../../lib/errors.ts';
import { useI18n } from '../../../lib/i18n.ts';
import { type NoticeEvidenceFile, type SupervisionNotice, uploadNoticeEvidence, useAnswerNotice } from '../api/supervision.api.ts';
import { LIMITS } from '../../../../shared/limits.ts';

/** The evidence types the server accepts (it sniffs the bytes; this only narrows the file picker). */
const ACCEPT = ['.jpg', '.jpeg', '.png', '.webp', '.pdf', '.doc', '.docx', '.xls', '.xlsx'];
/** The server's per-file limit for evidence. */
/** The server's limit per evidence file, in MB as the hint says it. */
export const EVIDENCE_MB = LIMITS.evidenceBytes / 1024 / 1024;

/**
 * 回复督办 (receiving unit): what was done, with evidence files uploaded one by one as they are
 * picked (the server sniffs their type and says why it refuses one), then sent by id.
 */
export function AnswerForm({ notice, onConflict }: { notice: SupervisionNotice; onConflict: (error: unknown) => void }) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const answer = useAnswerNotice();
  const [text, setText] = useState('');
  const [textError, setTextError] = useState(false);
  const [files, setFiles] = useState<UploadFile<NoticeEvidenceFile>[]>([]);
  const [rejected, setRejected] = useState<string[]>([]);
  const textId = useId();

  // The server's problem+json says what is wrong with the file; its status picks the words here.
  const describeUploadError = (error: unknown) => {
    if (isApiError(error) && error.status === 415) return t('supervision.answer.wrongType');
    if (isApiError(error) && error.status === 413) return t('supervision.answer.tooBig', { size: EVIDENCE_MB });
    return describeError(error, t);
  };

  const uploadErrors = [...rejected, ...files.filter((f) => f.status === 'error').map((f) => `${f.name}：${describeUploadError(f.error)}`)];

  const submit = () => {
    if (!text.trim()) {
      setTextError(true);
      return;
    }
    if (files.some((f) => f.status === 'uploading')) {
      message.warning(t('supervision.answer.uploading'));
      return;
    }
    const evidenceIds = files.flatMap((f) => (f.status === 'done' && f.response ? [f.response.id] : []));
    answer.mutate(
      { notice, text: text.trim(), evidenceIds },
      {
        onSuccess: () => {
          message.success(t('supervision.answer.sent'));
          setText('');
          setFiles([]);
          setRejected([]);
        },
        onError: (error) => {
          if (isApiError(error) && error.status === 409) onConflict(error);
        },
      },
    );
  };

  return (
    <div className="notice-form">
      <Form layout="vertical" component={false}>
        <Form.Item
          label={t('supervision.answer.text')}
          htmlFor={textId}
          required
          validateStatus={textError ? 'error' : undefined}
          help={textError ? t('supervision.answer.textRequired') : undefined}
        >
          <Input.TextArea
            id={textId}
            autoSize={{ minRows: 3, maxRows: 8 }}
            maxLength={5000}
            placeholder={t('supervision.answer.textPlaceholder')}
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              if (e.target.value.trim()) setTextError(false);
            }}
            onKeyDown={(e) => {
              if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') submit();
            }}
          />
        </Form.Item>
        <Form.Item label={t('supervision.answer.evidence')} extra={t('supervision.answer.evidenceHint', { size: EVIDENCE_MB })}>
          <Upload.Dragger
            className="notice-upload"
            accept={ACCEPT.join(',')}
            multiple
            fileList={files}
            aria-label={t('supervision.answer.upload')}
            beforeUpload={(file) => {
              if (file.size > EVIDENCE_MB * 1024 * 1024) {
                setRejected((prev) => [...prev, t('supervision.answer.tooLarge', { name: file.name, size: EVIDENCE_MB })]);
                return Upload.LIST_IGNORE;
              }
              return true;
            }}
            customRequest={({ file, onSuccess, onError }) => {
              uploadNoticeEvidence(notice.id, file as File).then(
                (stored) => onSuccess?.(stored),
                (error: unknown) => onError?.(error as Error),
              );
            }}
            onChange={(info) => setFiles(info.fileList)}
            onRemove={() => setRejected([])}
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined aria-hidden />
            </p>
            <p className="ant-upload-text">{t('supervision.answer.upload')}</p>
          </Upload.Dragger>
        </Form.Item>
        {uploadErrors.length > 0 && (
          <Alert
            type="error"
            showIcon
            className="notice-form-error"
            title={
              <ul className="notice-upload-errors">
                {uploadErrors.map((e) => (
                  <li key={e}>{e}</li>
                ))}
              </ul>
            }
          />
        )}
        {answer.isError && !(isApiError(answer.error) && answer.error.status === 409) && (
          <Alert type="error" showIcon title={describeError(answer.error, t)} className="notice-form-error" />
        )}
        <div className="notice-form-footer">
          <Button type="primary" onClick={submit} loading={answer.isPending}>
            {t('supervision.answer.submit')}
          </Button>
        </div>
      </Form>
    </div>
  );
}
