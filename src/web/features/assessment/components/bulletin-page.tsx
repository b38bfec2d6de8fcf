import { App as AntApp, Alert, Button, Form, Input, Skeleton, Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { describeError } from '../../../lib/errors.ts';
import { useI18n } from '../../../lib/i18n.ts';
import { useCurrentSession } from '../../../lib/session.ts';
import { type BulletinContent, bulletinHref, useBulletin, useIssueBulletin, useUpdateBulletin } from '../api/assessment.api.ts';
import '../assessment.css';

/** The preview: the document's parts in its order, the red mark and rule, the ranking table where [TABLE] stands. */
function BulletinPreview({ c }: { c: BulletinContent }) {
  const { t } = useI18n();
  const table = (tb: { header: string[]; rows: string[][] }) => (
    <table className="bulletin-table">
      <thead>
        <tr>
          {tb.header.map((h) => (
            <th key={h}>{h}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {tb.rows.map((r, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are positional and have no id
          <tr key={i}>
            {r.map((cell, j) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: cells are positional
              <td key={j}>{cell}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
  return (
    <article className="bulletin-paper" aria-label={t('assessment.bulletin.preview')}>
      <div className="bulletin-mark">{c.issuer}</div>
      <div className="bulletin-number">{c.docNumber}</div>
      <div className="bulletin-rule" />
      <div className="bulletin-doc-title">{c.title}</div>
      <p>{c.addressee}</p>
      {c.paragraphs.map((p, i) =>
        p === '[TABLE]' ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: paragraphs are positional
          <div key={i}>
            <div className="bulletin-number">{c.table.caption}</div>
            {table(c.table)}
          </div>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: paragraphs are positional
          <p key={i} className="bulletin-para">
            {p}
          </p>
        ),
      )}
      <div className="bulletin-sign">
        <div>{c.signature}</div>
        <div>{c.date}</div>
      </div>
      {c.attachments.map((a) => (
        <section key={a.title}>
          <p>{t('assessment.bulletin.attachment')}</p>
          <div className="bulletin-doc-title">{a.title}</div>
          {table(a)}
        </section>
      ))}
    </article>
  );
}

interface FormValues {
  issuer: string;
  docNumber: string;
  title: string;
  addressee: string;
  body: string;
  signature: string;
  date: string;
  copyTo: string;
}

const toForm = (c: BulletinContent): FormValues => ({ ...c, body: c.paragraphs.join('\n\n') });
const fromForm = (base: BulletinContent, v: FormValues): BulletinContent => ({
  ...base,
  issuer: v.issuer,
  docNumber: v.docNumber,
  title: v.title,
  addressee: v.addressee,
  signature: v.signature,
  date: v.date,
  copyTo: v.copyTo,
  paragraphs: v.body
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean),
});

/** /bulletins/:id — the office edits a draft 通报 beside its preview and issues it; everyone downloads an issued one. */
export function BulletinPage() {
  const { bulletinId = '' } = useParams();
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const session = useCurrentSession();
  const bulletin = useBulletin(bulletinId);
  const update = useUpdateBulletin(bulletinId);
  const issue = useIssueBulletin(bulletinId);
  const [form] = Form.useForm<FormValues>();
  const [preview, setPreview] = useState<BulletinContent | null>(null);
  const b = bulletin.data;
  useEffect(() => {
    if (b) {
      form.setFieldsValue(toForm(b.content));
      setPreview(b.content);
    }
  }, [b, form]);
  if (bulletin.isLoading) return <Skeleton active />;
  if (bulletin.error || !b) return <Alert type="error" message={describeError(bulletin.error, t)} />;
  const editable = session.user.role === 'admin' && b.status === 'draft';
  const fail = (e: unknown) => message.error(describeError(e, t));
  const save = (then?: (version: number) => void) =>
    update.mutate(
      { version: b.version, content: fromForm(b.content, form.getFieldsValue()) },
      {
        onSuccess: (saved) => {
          message.success(t('assessment.bulletin.saved'));
          then?.(saved.version);
        },
        onError: fail,
      },
    );
  return (
    <div className="assessment-page">
      <Link to={`/assessments/${b.assessmentId}`}>{t('assessment.sheet.back')}</Link>
      <div className="assessment-head">
        <Typography.Title level={1} className="page-title">
          {b.content.docNumber} {b.content.title}
        </Typography.Title>
        <Tag>{t(`assessment.bulletin.status.${b.status}`)}</Tag>
        <Space>
          <a href={bulletinHref(b.id, 'pdf')} download>
            {t('assessment.bulletin.downloadPdf')}
          </a>
          <a href={bulletinHref(b.id, 'docx')} download>
            {t('assessment.bulletin.downloadDocx')}
          </a>
        </Space>
      </div>
      {b.missingGlyphs.length > 0 && (
        <Alert type="warning" message={t('assessment.bulletin.missingGlyphs', { chars: b.missingGlyphs.join(' ') })} />
      )}
      <div className="bulletin-layout">
        <Form
          form={form}
          layout="vertical"
          disabled={!editable}
          onValuesChange={(_, all) => setPreview(fromForm(b.content, all as FormValues))}
        >
          <Form.Item name="issuer" label={t('assessment.bulletin.issuer')}>
            <Input />
          </Form.Item>
          <Form.Item name="docNumber" label={t('assessment.bulletin.docNumber')}>
            <Input />
          </Form.Item>
          <Form.Item name="title" label={t('assessment.bulletin.docTitle')}>
            <Input />
          </Form.Item>
          <Form.Item name="addressee" label={t('assessment.bulletin.addressee')}>
            <Input />
          </Form.Item>
          <Form.Item name="body" label={t('assessment.bulletin.body')}>
            <Input.TextArea rows={16} />
          </Form.Item>
          <Form.Item name="signature" label={t('assessment.bulletin.signature')}>
            <Input />
          </Form.Item>
          <Form.Item name="date" label={t('assessment.bulletin.date')}>
            <Input />
          </Form.Item>
          <Form.Item name="copyTo" label={t('assessment.bulletin.copyTo')}>
            <Input />
          </Form.Item>
          {editable && (
            <Space>
              <Button onClick={() => save()} loading={update.isPending}>
                {t('assessment.bulletin.save')}
              </Button>
              <Button
                type="primary"
                loading={issue.isPending}
                onClick={() =>
                  save((version) =>
                    issue.mutate(version, { onSuccess: () => message.success(t('assessment.bulletin.issued')), onError: fail }),
                  )
                }
              >
                {t('assessment.bulletin.issue')}
              </Button>
            </Space>
          )}
        </Form>
        {preview && <BulletinPreview c={preview} />}
      </div>
    </div>
  );
}
