import { Alert, Button, Drawer, Empty, Radio, Select, Skeleton, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { type Key, type ReactNode, useMemo, useState } from 'react';
import type { DeliveryStatus } from '../../../../shared/enums.ts';
import type { LedgerTarget } from '../../../../shared/schemas/ledger.schema.ts';
import type { PeriodSnapshot, ReportingPeriod } from '../../../../shared/schemas/reporting.schema.ts';
import { describeError } from '../../../lib/errors.ts';
import { formatDateTime, formatNumber, type Locale, type Translate, useI18n, withUnit } from '../../../lib/i18n.ts';
import { useLedger } from '../../../lib/api/ledger.api.ts';
import { StatusTag } from '../../../components/status-tag.tsx';
import { useOrganisations } from '../../../lib/api/organisations.api.ts';
import { usePeriodSnapshots } from '../api/periods.api.ts';
import { ReportStatusTag } from './report-status-tag.tsx';
import { type AmendTarget, SnapshotAmendmentDialog } from './snapshot-amendment-dialog.tsx';

type Show = 'all' | 'late' | 'missing';

/** A snapshot row with what the table shows beside it: the task, the target, the unit's name. */
export interface SnapshotRow {
  snapshot: PeriodSnapshot;
  seq: number | null;
  taskText: string;
  target: LedgerTarget | null;
  orgName: string | null;
  /** No report submitted or approved for it when the period closed (none, a draft, or returned). */
  missing: boolean;
  amended: boolean;
}

const SUBMITTED = new Set(['submitted', 'approved']);

/** 快照 of a closed period: the frozen rows with their effective values, amendments and 更正. */
export function PeriodSnapshotDrawer({ planId, period, onClose }: { planId: string; period: ReportingPeriod | null; onClose: () => void }) {
  const { t, locale } = useI18n();
  return (
    <Drawer
      open={Boolean(period)}
      onClose={onClose}
      size={1240}
      title={period ? t('periods.snapshot.title', { label: period.label }) : ''}
      extra={
        period?.closedAt ? (
          <Typography.Text type="secondary">
            {t('periods.snapshot.frozenAt', { at: formatDateTime(period.closedAt, locale) })}
          </Typography.Text>
        ) : null
      }
      destroyOnHidden
    >
      {period && <SnapshotView key={period.id} planId={planId} period={period} />}
    </Drawer>
  );
}

function SnapshotView({ planId, period }: { planId: string; period: ReportingPeriod }) {
  const { t, locale } = useI18n();
  const snapshots = usePeriodSnapshots(period.id);
  const ledger = useLedger(planId);
  const organisations = useOrganisations();
  const [orgFilter, setOrgFilter] = useState<string | undefined>();
  const [show, setShow] = useState<Show>('all');
  const [amending, setAmending] = useState<AmendTarget | null>(null);
  const [expanded, setExpanded] = useState<readonly Key[]>([]);

  const rows = useMemo<SnapshotRow[]>(() => {
    const tasks = new Map<string, { seq: number; text: string }>();
    const targets = new Map<string, LedgerTarget>();
    const orgNames = new Map<string, string>();
    for (const r of ledger.data?.rows ?? []) {
      tasks.set(r.taskId, { seq: r.seq, text: r.text });
      for (const target of r.targets) targets.set(target.id, target);
      for (const o of [r.responsible, ...r.lead, ...r.cooperating]) if (o) orgNames.set(o.id, o.name);
    }
    for (const o of organisations.data?.items ?? []) orgNames.set(o.id, o.name);
    return (snapshots.data?.items ?? [])
      .map((s) => ({
        snapshot: s,
        seq: tasks.get(s.taskId)?.seq ?? null,
        taskText: tasks.get(s.taskId)?.text ?? '',
        target: s.targetId ? (targets.get(s.targetId) ?? null) : null,
        orgName: s.orgId ? (orgNames.get(s.orgId) ?? null) : null,
        missing: !SUBMITTED.has(s.reportStatus ?? ''),
        amended: s.amendments.length > 0,
      }))
      .sort(
        (a, b) =>
          (a.seq ?? Number.MAX_SAFE_INTEGER) - (b.seq ?? Number.MAX_SAFE_INTEGER) ||
          Number(a.snapshot.targetId !== null) - Number(b.snapshot.targetId !== null) ||
          // A row has one snapshot row per reporting organisation: keep a target's counties together.
          (a.target?.metric ?? '').localeCompare(b.target?.metric ?? '', 'zh-CN') ||
          (a.snapshot.targetId ?? '').localeCompare(b.snapshot.targetId ?? '') ||
          (a.orgName ?? '').localeCompare(b.orgName ?? '', 'zh-CN') ||
          a.snapshot.id.localeCompare(b.snapshot.id),
      );
  }, [snapshots.data, ledger.data, organisations.data]);

  const orgOptions = useMemo(() => {
    const seen = new Map<string, string>();
    for (const r of rows) if (r.snapshot.orgId) seen.set(r.snapshot.orgId, r.orgName ?? r.snapshot.orgId);
    return [...seen].map(([value, label]) => ({ value, label })).sort((a, b) => a.label.localeCompare(b.label, 'zh-CN'));
  }, [rows]);

  const shown = rows.filter(
    (r) => (!orgFilter || r.snapshot.orgId === orgFilter) && (show === 'all' || (show === 'late' ? r.snapshot.isLate : r.missing)),
  );
  const counts = {
    total: rows.length,
    late: rows.filter((r) => r.snapshot.isLate).length,
    missing: rows.filter((r) => r.missing).length,
    amended: rows.filter((r) => r.amended).length,
  };

  const itemName = (r: SnapshotRow) =>
    `${r.seq === null ? '' : `${t('reporting.taskSeq', { seq: r.seq })} · `}${r.snapshot.targetId ? (r.target?.metric ?? t('periods.targetUnknown')) : t('periods.taskLevel')}`;
  const num = (n: number | null) => (n === null ? '—' : formatNumber(n, locale));

  const columns: TableColumnsType<SnapshotRow> = [
    {
      key: 'item',
      title: t('periods.col.item'),
      render: (_, r) => (
        <div style={{ minWidth: 0 }}>
          <Typography.Text strong>{itemName(r)}</Typography.Text>
          {r.amended && (
            <Tag color="purple" style={{ marginInlineStart: 8 }}>
              {t('periods.amended')}
            </Tag>
          )}
          {r.target && (
            <Typography.Text type="secondary" style={{ fontSize: 12, marginInlineStart: 6 }}>
              {t('periods.targetValue', { value: `${num(r.target.value)}${r.target.unit}` })}
            </Typography.Text>
          )}
          {r.taskText && (
            <Typography.Paragraph
              type="secondary"
              ellipsis={{ rows: 1, tooltip: r.taskText }}
              style={{ fontSize: 12, margin: 0, maxWidth: 360 }}
            >
              {r.taskText}
            </Typography.Paragraph>
          )}
        </div>
      ),
    },
    {
      key: 'org',
      title: t('periods.col.org'),
      width: 130,
      render: (_, r) => r.orgName ?? <Typography.Text type="secondary">{t('periods.noOrg')}</Typography.Text>,
    },
    {
      key: 'value',
      title: t('periods.col.value'),
      width: 120,
      render: (_, r) =>
        r.snapshot.targetId ? (
          <Changed
            now={r.snapshot.effective.reportedValue === null ? '—' : withUnit(num(r.snapshot.effective.reportedValue), r.target?.unit)}
            was={num(r.snapshot.reportedValue)}
            changed={r.snapshot.effective.reportedValue !== r.snapshot.reportedValue}
          />
        ) : (
          <Typography.Text type="secondary">—</Typography.Text>
        ),
    },
    {
      key: 'percent',
      title: t('periods.col.percent'),
      width: 90,
      render: (_, r) => (
        <Changed
          now={percent(r.snapshot.effective.completionPercent, locale)}
          was={percent(r.snapshot.completionPercent, locale)}
          changed={r.snapshot.effective.completionPercent !== r.snapshot.completionPercent}
        />
      ),
    },
    {
      key: 'reported',
      title: t('periods.col.reportedStatus'),
      width: 110,
      render: (_, r) => (
        <Changed
          now={r.snapshot.effective.reportedStatus ? <StatusTag status={r.snapshot.effective.reportedStatus} /> : '—'}
          was={r.snapshot.reportedStatus ? t(`status.${r.snapshot.reportedStatus}`) : '—'}
          changed={r.snapshot.effective.reportedStatus !== r.snapshot.reportedStatus}
        />
      ),
    },
    {
      key: 'computed',
      title: t('periods.col.computedStatus'),
      width: 220,
      render: (_, r) => (
        <>
          <Changed
            now={<StatusTag status={r.snapshot.effective.computedStatus} />}
            was={t(`status.${r.snapshot.computedStatus}`)}
            changed={r.snapshot.effective.computedStatus !== r.snapshot.computedStatus}
          />
          {r.snapshot.effective.reason && (
            <Typography.Paragraph
              type="secondary"
              ellipsis={{ rows: 2, tooltip: r.snapshot.effective.reason }}
              style={{ fontSize: 12, margin: 0 }}
            >
              {r.snapshot.effective.reason}
            </Typography.Paragraph>
          )}
        </>
      ),
    },
    {
      key: 'report',
      title: t('periods.col.report'),
      width: 150,
      render: (_, r) => <ReportStatusTag status={r.snapshot.reportStatus} late={r.snapshot.isLate} />,
    },
    {
      key: 'actions',
      title: t('common.actions'),
      width: 80,
      render: (_, r) => (
        <Button
          size="small"
          onClick={() =>
            setAmending({ snapshot: r.snapshot, item: itemName(r), orgName: r.orgName ?? t('periods.noOrg'), unit: r.target?.unit ?? null })
          }
          aria-label={t('periods.amend.actionLabel', { item: itemName(r), org: r.orgName ?? t('periods.noOrg') })}
        >
          {t('periods.amend.action')}
        </Button>
      ),
    },
  ];

  if (snapshots.isError) {
    return <Alert type="error" showIcon title={t('periods.snapshot.loadFailed', { error: describeError(snapshots.error, t) })} />;
  }
  if (snapshots.isPending || ledger.isPending) return <Skeleton active paragraph={{ rows: 8 }} />;

  return (
    <>
      <Alert type="info" showIcon title={t('periods.snapshot.notice')} style={{ marginBottom: 12 }} />
      <div style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 8, marginBottom: 12 }}>
        <Select
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          aria-label={t('periods.snapshot.filterOrg')}
          placeholder={t('periods.snapshot.allOrgs')}
          value={orgFilter}
          onChange={(v) => setOrgFilter(v)}
          options={orgOptions}
          style={{ width: 220 }}
          popupMatchSelectWidth={false}
        />
        <Radio.Group
          aria-label={t('periods.snapshot.filterShow')}
          optionType="button"
          value={show}
          onChange={(e) => setShow(e.target.value as Show)}
          options={[
            { value: 'all', label: t('periods.snapshot.showAll') },
            { value: 'late', label: t('periods.snapshot.showLate') },
            { value: 'missing', label: t('periods.snapshot.showMissing') },
          ]}
        />
        <Typography.Text type="secondary" style={{ marginInlineStart: 'auto' }}>
          {t('periods.snapshot.counts', counts)}
          {shown.length !== rows.length && ` · ${t('periods.snapshot.shown', { count: shown.length })}`}
        </Typography.Text>
      </div>
      <Table<SnapshotRow>
        className="period-snapshot-table"
        size="small"
        rowKey={(r) => r.snapshot.id}
        columns={columns}
        dataSource={shown}
        pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
        locale={{ emptyText: <Empty description={rows.length ? t('periods.snapshot.noMatch') : t('periods.snapshot.empty')} /> }}
        expandable={{
          rowExpandable: (r) => r.amended,
          columnWidth: 36,
          columnTitle: <span style={VISUALLY_HIDDEN}>{t('periods.history.title')}</span>,
          expandedRowKeys: expanded,
          onExpandedRowsChange: (keys) => setExpanded(keys),
          expandedRowRender: (r) => <AmendmentHistory row={r} />,
        }}
      />
      <SnapshotAmendmentDialog
        periodId={period.id}
        target={amending}
        onClose={() => setAmending(null)}
        onAmended={(row) => setExpanded((keys) => (keys.includes(row.id) ? keys : [...keys, row.id]))}
      />
    </>
  );
}

const VISUALLY_HIDDEN = {
  position: 'absolute',
  width: 1,
  height: 1,
  margin: -1,
  padding: 0,
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  whiteSpace: 'nowrap',
  border: 0,
} as const;

function percent(n: number | null, locale: Locale): string {
  return n === null ? '—' : `${formatNumber(n, locale)}%`;
}

/** The effective value, and when an amendment changed it the frozen one struck through beside it. */
function Changed({ now, was, changed }: { now: ReactNode; was: ReactNode; changed: boolean }) {
  const { t } = useI18n();
  if (!changed) return <span className="reporting-num">{now}</span>;
  return (
    <span>
      <Typography.Text strong className="reporting-num">
        {now}
      </Typography.Text>
      <br />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('periods.originalLabel')}
        {'：'}
        <del>{was}</del>
      </Typography.Text>
    </span>
  );
}

const FIELD_KEYS = ['reportedValue', 'completionPercent', 'reportedStatus', 'computedStatus', 'reason'] as const;
type FieldKey = (typeof FIELD_KEYS)[number];

function formatField(key: FieldKey, value: unknown, unit: string | null, t: Translate, locale: Locale): string {
  if (value === null || value === undefined || value === '') return '—';
  if (key === 'reportedStatus' || key === 'computedStatus') return t(`status.${value as DeliveryStatus}`);
  if (key === 'completionPercent' && typeof value === 'number') return percent(value, locale);
  if (key === 'reportedValue' && typeof value === 'number') return withUnit(formatNumber(value, locale), unit);
  return String(value);
}

/** Who corrected what, when and why: every amendment of a row, oldest first, before → after. */
function AmendmentHistory({ row }: { row: SnapshotRow }) {
  const { t, locale } = useI18n();
  const who = (a: { actorId: string | null; actorName: string | null }) =>
    a.actorName ?? (a.actorId === null ? t('periods.history.system') : t('periods.history.unknownUser'));
  return (
    <section aria-label={t('periods.history.title')} style={{ paddingInlineStart: 8 }}>
      <Typography.Text strong>{t('periods.history.title')}</Typography.Text>
      <ol style={{ margin: '4px 0 0', paddingInlineStart: 20 }}>
        {row.snapshot.amendments.map((a) => (
          <li key={a.id} style={{ marginBottom: 6 }}>
            <Typography.Text>{t('periods.history.entry', { at: formatDateTime(a.createdAt, locale), who: who(a) })}</Typography.Text>
            <br />
            <Typography.Text>{t('periods.history.reason', { reason: a.reason })}</Typography.Text>
            <ul style={{ margin: 0, paddingInlineStart: 18 }}>
              {FIELD_KEYS.filter((k) => k in a.after).map((k) => (
                <li key={k}>
                  <Typography.Text type="secondary">{t(`periods.field.${k}`)}：</Typography.Text>
                  <span className={k === 'reason' ? undefined : 'reporting-num'}>
                    {formatField(k, a.before[k], row.target?.unit ?? null, t, locale)} →{' '}
                    {formatField(k, a.after[k], row.target?.unit ?? null, t, locale)}
                  </span>
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ol>
    </section>
  );
}
