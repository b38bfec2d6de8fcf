import { App as AntApp, Alert, Button, Card, Form, Input, InputNumber, Modal, Radio, Skeleton, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { describeError } from '../../../lib/errors.ts';
import { useI18n } from '../../../lib/i18n.ts';
import { useCurrentSession } from '../../../lib/session.ts';
import { type ScoreSheet, useAddNote, useAdjust, useAnswerObjection, useAssessment, useObject, useSheet } from '../api/assessment.api.ts';
import '../assessment.css';
import { StageTag } from './assessments-page.tsx';

type Line = ScoreSheet['lines'][number];
type Dialog = { kind: 'note' | 'object' | 'adjust'; line: Line } | { kind: 'answer'; objectionId: string } | null;

const signed = (n: number) => (
  <span className={`assessment-num ${n < 0 ? 'assessment-minus' : n > 0 ? 'assessment-plus' : ''}`}>{n > 0 ? `+${n}` : n}</span>
);

/** /assessments/:id/units/:orgId — a unit's score sheet: lines with their events, 自评, 核查 and 异议. */
export function ScoreSheetPage() {
  const { assessmentId = '', orgId = '' } = useParams();
  // ?category=…: the drill-down from a category score in the ranking opens that category's lines.
  const [search] = useSearchParams();
  const category = search.get('category');
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const session = useCurrentSession();
  const isAdmin = session.user.role === 'admin';
  const ownUnit = (session.user.role === 'unit' || session.user.role === 'lead') && session.user.orgId === orgId;
  const sheet = useSheet(assessmentId, orgId);
  const assessment = useAssessment(assessmentId);
  const note = useAddNote(assessmentId);
  const object = useObject(assessmentId);
  const adjust = useAdjust(assessmentId);
  const answer = useAnswerObjection();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [form] = Form.useForm();
  const fail = (e: unknown) => message.error(describeError(e, t));

  if (sheet.isLoading) return <Skeleton active />;
  if (sheet.error || !sheet.data) return <Alert type="error" message={describeError(sheet.error, t)} />;
  const s = sheet.data;
  const eventsById = new Map(s.events.map((e) => [e.id, e]));
  const manualRules = new Set(s.lines.filter((l) => l.count === 0 && l.eventIds.length === 0 && l.computed >= 0).map((l) => l.ruleId));

  const submit = async () => {
    const v = await form.validateFields();
    const done = (text: string) => ({
      onSuccess: () => {
        message.success(text);
        setDialog(null);
        form.resetFields();
      },
      onError: fail,
    });
    if (!dialog) return;
    if (dialog.kind === 'note') note.mutate({ ruleId: dialog.line.ruleId, text: v.text }, done(t('assessment.sheet.noteSaved')));
    if (dialog.kind === 'object') object.mutate({ ruleId: dialog.line.ruleId, text: v.text }, done(t('assessment.sheet.objected')));
    if (dialog.kind === 'adjust') {
      adjust.mutate(
        {
          version: assessment.data?.version ?? 0,
          orgId,
          ruleId: dialog.line.ruleId,
          kind: v.manual ? 'manual' : 'adjust',
          delta: v.delta ?? 0,
          reason: v.reason,
        },
        done(t('assessment.sheet.adjusted')),
      );
    }
    if (dialog.kind === 'answer')
      answer.mutate(
        { id: dialog.objectionId, answer: v.text, outcome: v.outcome, delta: v.outcome === 'upheld' ? (v.delta ?? 0) : 0 },
        done(t('assessment.sheet.answered')),
      );
  };

  const labelOf = new Map(s.lines.map((l) => [l.ruleId, l.label]));
  return (
    <div className="assessment-page">
      <Link to={`/assessments/${assessmentId}`}>{t('assessment.sheet.back')}</Link>
      <div className="assessment-head">
        <Typography.Title level={1} className="page-title">
          {t('assessment.sheet.title', { unit: s.unit.name })}
        </Typography.Title>
        <StageTag stage={s.stage} />
        <span className="assessment-num">
          {t('assessment.col.total')}：{s.unit.total} · {t('assessment.col.rank')}：{s.unit.rank}
        </span>
      </div>
      <Card title={t('assessment.sheet.categories')} size="small">
        {s.unit.categories.map((c) => (
          <Tag key={c.categoryId}>
            {c.label} {c.score}
          </Tag>
        ))}
      </Card>
      <Table<Line>
        className="assessment-section"
        rowKey="ruleId"
        size="small"
        pagination={false}
        dataSource={s.lines}
        expandable={{
          defaultExpandedRowKeys: category
            ? s.lines.filter((l) => l.categoryId === category && l.eventIds.length > 0).map((l) => l.ruleId)
            : [],
          rowExpandable: (l) => l.eventIds.length > 0,
          expandedRowRender: (l) => (
            <ul aria-label={t('assessment.sheet.events')}>
              {l.eventIds.map((id) => {
                const e = eventsById.get(id);
                const href = e?.noticeId ? `/supervision/${e.noticeId}` : e?.taskId ? `/tasks/${e.taskId}` : null;
                return <li key={id}>{href ? <Link to={href}>{e?.text}</Link> : (e?.text ?? id)}</li>;
              })}
            </ul>
          ),
        }}
        columns={[
          { title: t('assessment.sheet.col.item'), dataIndex: 'label' },
          { title: t('assessment.sheet.col.count'), dataIndex: 'count', className: 'assessment-num' },
          { title: t('assessment.sheet.col.computed'), dataIndex: 'computed', render: signed },
          { title: t('assessment.sheet.col.adjustment'), dataIndex: 'adjustment', render: signed },
          { title: t('assessment.sheet.col.points'), dataIndex: 'points', render: signed },
          {
            key: 'actions',
            render: (_, line) => (
              <>
                {ownUnit && s.stage === 'draft' && (
                  <Button size="small" onClick={() => setDialog({ kind: 'note', line })}>
                    {t('assessment.sheet.note')}
                  </Button>
                )}
                {ownUnit && s.stage === 'published' && (
                  <Button size="small" onClick={() => setDialog({ kind: 'object', line })}>
                    {t('assessment.sheet.object')}
                  </Button>
                )}
                {isAdmin && s.stage === 'draft' && (
                  <Button size="small" onClick={() => setDialog({ kind: 'adjust', line })}>
                    {t('assessment.sheet.adjust')}
                  </Button>
                )}
              </>
            ),
          },
        ]}
      />
      {s.notes.length > 0 && (
        <Card title={t('assessment.sheet.notes')} size="small" className="assessment-section">
          <ul>
            {s.notes.map((n) => (
              <li key={n.id}>
                {labelOf.get(n.ruleId)}：{n.text}
              </li>
            ))}
          </ul>
        </Card>
      )}
      {s.adjustments.length > 0 && (
        <Card title={t('assessment.sheet.adjustments')} size="small" className="assessment-section">
          <ul>
            {s.adjustments.map((a) => (
              <li key={a.id}>
                {labelOf.get(a.ruleId) ?? a.ruleId} {signed(a.delta)}：{a.reason}
              </li>
            ))}
          </ul>
        </Card>
      )}
      {s.objections.length > 0 && (
        <Card title={t('assessment.sheet.objections')} size="small" className="assessment-section">
          <ul>
            {s.objections.map((o) => (
              <li key={o.id}>
                {labelOf.get(o.ruleId)}：{o.text}{' '}
                {o.answeredAt ? (
                  <Tag color={o.outcome === 'upheld' ? 'green' : 'default'}>
                    {t(o.outcome === 'upheld' ? 'assessment.sheet.upheld' : 'assessment.sheet.rejected')}：{o.answer}
                  </Tag>
                ) : isAdmin && s.stage === 'published' ? (
                  <Button size="small" onClick={() => setDialog({ kind: 'answer', objectionId: o.id })}>
                    {t('assessment.sheet.answer')}
                  </Button>
                ) : (
                  <Tag>{t('assessment.sheet.pending')}</Tag>
                )}
              </li>
            ))}
          </ul>
        </Card>
      )}
      <Modal
        open={dialog !== null}
        destroyOnHidden
        title={
          dialog
            ? t(
                dialog.kind === 'note'
                  ? 'assessment.sheet.note'
                  : dialog.kind === 'object'
                    ? 'assessment.sheet.object'
                    : dialog.kind === 'adjust'
                      ? 'assessment.sheet.adjust'
                      : 'assessment.sheet.answer',
              )
            : ''
        }
        okText={t('assessment.sheet.submit')}
        onCancel={() => setDialog(null)}
        onOk={submit}
        confirmLoading={note.isPending || object.isPending || adjust.isPending || answer.isPending}
      >
        <Form form={form} layout="vertical" initialValues={{ outcome: 'upheld', delta: 0, manual: false }} preserve={false}>
          {dialog?.kind === 'adjust' ? (
            <>
              {manualRules.has(dialog.line.ruleId) && (
                <Form.Item name="manual" label={t('assessment.sheet.manual')}>
                  <Radio.Group
                    options={[
                      { value: false, label: t('assessment.sheet.adjust') },
                      { value: true, label: t('assessment.sheet.manual') },
                    ]}
                  />
                </Form.Item>
              )}
              <Form.Item name="delta" label={t('assessment.sheet.delta')} rules={[{ required: true }]}>
                <InputNumber step={0.5} />
              </Form.Item>
              <Form.Item name="reason" label={t('assessment.sheet.reason')} rules={[{ required: true, whitespace: true }]}>
                <Input.TextArea rows={3} />
              </Form.Item>
            </>
          ) : (
            <>
              {dialog?.kind === 'answer' && (
                <>
                  <Form.Item name="outcome">
                    <Radio.Group
                      options={[
                        { value: 'upheld', label: t('assessment.sheet.upheld') },
                        { value: 'rejected', label: t('assessment.sheet.rejected') },
                      ]}
                    />
                  </Form.Item>
                  <Form.Item name="delta" label={t('assessment.sheet.delta')}>
                    <InputNumber step={0.5} />
                  </Form.Item>
                </>
              )}
              <Form.Item
                name="text"
                label={t(
                  dialog?.kind === 'answer'
                    ? 'assessment.sheet.answer'
                    : dialog?.kind === 'object'
                      ? 'assessment.sheet.object'
                      : 'assessment.sheet.note',
                )}
                rules={[{ required: true, whitespace: true }]}
              >
                <Input.TextArea
                  rows={4}
                  placeholder={t(
                    dialog?.kind === 'answer'
                      ? 'assessment.sheet.answerPlaceholder'
                      : dialog?.kind === 'object'
                        ? 'assessment.sheet.objectPlaceholder'
                        : 'assessment.sheet.notePlaceholder',
                  )}
                />
              </Form.Item>
            </>
          )}
        </Form>
      </Modal>
    </div>
  );
}
