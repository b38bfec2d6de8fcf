import { ArrowLeftOutlined, InboxOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Tabs, Typography, Upload, type UploadFile } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { LIMITS } from '../../../../shared/limits.ts';
import { isApiError } from '../../../lib/api-client.ts';
import { describeError } from '../../../lib/errors.ts';
import { type Translate, useI18n } from '../../../lib/i18n.ts';
import { usePlan } from '../../../lib/api/plans.api.ts';
import { useCreatePlanImport } from '../api/plan-imports.api.ts';
import './plan-imports.css';

const ACCEPT = ['.txt', '.docx'];
const UPLOAD_MB = Math.round(LIMITS.uploadBytes / (1024 * 1024));

function hasAcceptedExtension(name: string): boolean {
  const lower = name.toLowerCase();
  return ACCEPT.some((ext) => lower.endsWith(ext));
}

/** What to do about a refused document, in the UI language; the server's own words follow it. */
function failureHint(error: unknown, t: Translate): string | null {
  if (!isApiError(error)) return null;
  // An unreadable document's own sentence says what is wrong; "not a plan" would mislead.
  if (error.code.startsWith('plan_document_')) return null;
  if (error.status === 415) return t('imports.new.wrongType');
  if (error.status === 413) return t('imports.new.tooLarge', { size: UPLOAD_MB });
  if (error.status === 422) return t('imports.new.notAPlan');
  return null;
}

/** The plan being revised, named in the heading so the admin knows what the upload will replace. */
function RevisedPlanName({ planId }: { planId: string }) {
  const { t } = useI18n();
  const plan = usePlan(planId);
  if (!plan.data) return null;
  return (
    <p className="import-revises">
      {t('imports.new.revisionOf')} <Link to={`/plans/${planId}`}>{plan.data.title}</Link>
    </p>
  );
}

/** /imports/new — upload a .txt/.docx or paste the text; `?revises=<planId>` re-imports a revised version. */
export function ImportNewPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const revisesPlanId = params.get('revises') ?? undefined;
  const create = useCreatePlanImport();
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [text, setText] = useState('');
  const [filename, setFilename] = useState('');
  const [mode, setMode] = useState<'upload' | 'paste'>('upload');

  const open = (id: string) => navigate(`/imports/${id}`);

  const submitFile = () => {
    if (!file) return;
    create.mutate({ kind: 'file', file, revisesPlanId }, { onSuccess: (draft) => open(draft.id) });
  };
  const submitText = () => {
    if (!text.trim()) return;
    create.mutate({ kind: 'text', text, filename: filename.trim() || undefined, revisesPlanId }, { onSuccess: (draft) => open(draft.id) });
  };

  const fileList: UploadFile[] = file ? [{ uid: 'plan', name: file.name, size: file.size, status: 'done' }] : [];

  return (
    <div className="import-new">
      {revisesPlanId && (
        <Link to={`/plans/${revisesPlanId}`} className="plan-back">
          <ArrowLeftOutlined aria-hidden /> {t('imports.new.backToPlan')}
        </Link>
      )}
      <Typography.Title level={1} style={{ fontSize: 20, margin: '0 0 6px' }}>
        {revisesPlanId ? t('imports.new.revisionTitle') : t('imports.new.title')}
      </Typography.Title>
      {revisesPlanId && <RevisedPlanName planId={revisesPlanId} />}
      <p className="import-intro">{revisesPlanId ? t('imports.new.revisionIntro') : t('imports.new.intro')}</p>
      <Card className="import-card">
        <Tabs
          activeKey={mode}
          onChange={(key) => {
            setMode(key as 'upload' | 'paste');
            create.reset();
          }}
          items={[
            {
              key: 'upload',
              label: t('imports.new.tabUpload'),
              children: (
                <div className="import-upload">
                  <Upload.Dragger
                    accept={ACCEPT.join(',')}
                    multiple={false}
                    maxCount={1}
                    fileList={fileList}
                    beforeUpload={(picked) => {
                      create.reset();
                      if (!hasAcceptedExtension(picked.name)) {
                        setFileError(t('imports.new.wrongType'));
                        setFile(null);
                      } else if (picked.size > LIMITS.uploadBytes) {
                        setFileError(t('imports.new.tooLarge', { size: UPLOAD_MB }));
                        setFile(null);
                      } else {
                        setFileError(null);
                        setFile(picked);
                      }
                      // Sent on 识别并核对, with the CSRF header, not by the Upload's own request.
                      return false;
                    }}
                    onRemove={() => {
                      setFile(null);
                      return true;
                    }}
                    aria-label={t('imports.new.fileLabel')}
                  >
                    <p className="ant-upload-drag-icon">
                      <InboxOutlined aria-hidden />
                    </p>
                    <p className="ant-upload-text">{t('imports.new.drop')}</p>
                    <p className="ant-upload-hint">{t('imports.new.dropHint', { size: UPLOAD_MB })}</p>
                  </Upload.Dragger>
                  {fileError && <Alert type="error" showIcon title={fileError} className="import-error" />}
                  <Button type="primary" onClick={submitFile} disabled={!file} loading={create.isPending} className="import-submit">
                    {create.isPending ? t('imports.new.parsing') : t('imports.new.submit')}
                  </Button>
                </div>
              ),
            },
            {
              key: 'paste',
              label: t('imports.new.tabPaste'),
              children: (
                <Form layout="vertical" onFinish={submitText} requiredMark={false}>
                  <Form.Item
                    label={t('imports.new.textLabel')}
                    htmlFor="import-text"
                    extra={t('imports.new.chars', { count: text.length })}
                  >
                    <Input.TextArea
                      id="import-text"
                      value={text}
                      onChange={(e) => setText(e.target.value)}
                      placeholder={t('imports.new.textPlaceholder')}
                      autoSize={{ minRows: 10, maxRows: 24 }}
                      maxLength={LIMITS.planTextChars}
                    />
                  </Form.Item>
                  <Form.Item label={t('imports.new.filenameLabel')} htmlFor="import-filename">
                    <Input
                      id="import-filename"
                      value={filename}
                      onChange={(e) => setFilename(e.target.value)}
                      maxLength={200}
                      style={{ maxWidth: 420 }}
                    />
                  </Form.Item>
                  <Button type="primary" htmlType="submit" disabled={!text.trim()} loading={create.isPending}>
                    {create.isPending ? t('imports.new.parsing') : t('imports.new.submit')}
                  </Button>
                </Form>
              ),
            },
          ]}
        />
        {create.isError && (
          <Alert
            type="error"
            showIcon
            role="alert"
            className="import-error"
            title={t('imports.new.failed')}
            description={
              <>
                {failureHint(create.error, t) && <p className="import-error-hint">{failureHint(create.error, t)}</p>}
                <p className="import-error-detail">{describeError(create.error, t)}</p>
              </>
            }
          />
        )}
      </Card>
    </div>
  );
}
