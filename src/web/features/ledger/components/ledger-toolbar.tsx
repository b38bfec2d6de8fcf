import { ClearOutlined, SearchOutlined } from '@ant-design/icons';
import { Button, DatePicker, Input, Select, Switch, TreeSelect } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo, useRef, useState } from 'react';
import { DELIVERY_STATUSES, type DeliveryStatus, type JurisdictionLevel } from '../../../../shared/enums.ts';
import { addDays } from '../../../../shared/china-date.ts';
import type { LedgerFilter, OrgRef } from '../../../../shared/schemas/ledger.schema.ts';
import type { SectionNode } from '../../../../shared/schemas/plan.schema.ts';
import { useI18n } from '../../../lib/i18n.ts';
import { jurisdictionWords } from '../../../lib/jurisdiction-words.ts';
import { hasNarrowingFilter } from '../../../lib/ledger-url.ts';

export interface LedgerToolbarProps {
  filter: LedgerFilter;
  onChange: (changes: Partial<LedgerFilter>) => void;
  onReset: () => void;
  plans: { id: string; title: string; jurisdictionLevel?: JurisdictionLevel }[];
  sections: SectionNode[];
  leads: OrgRef[];
  orgs: OrgRef[];
  /** The date "30 天内" and "已逾期" count from (Asia/Shanghai). */
  asOf: string;
  showMine: boolean;
}

interface TreeOption {
  value: string;
  title: string;
  children: TreeOption[];
}

function toTree(sections: SectionNode[]): TreeOption[] {
  return sections.map((s) => ({ value: s.id, title: `${s.path.at(-1) ?? ''} ${s.title}`.trim(), children: toTree(s.children) }));
}

const SEARCH_DELAY_MS = 200;

/** Every ledger filter, as controls that wrap on narrow screens; each writes the URL through `onChange`. */
export function LedgerToolbar({ filter, onChange, onReset, plans, sections, leads, orgs, asOf, showMine }: LedgerToolbarProps) {
  const { t } = useI18n();
  const words = jurisdictionWords(plans.find((p) => p.id === filter.planId)?.jurisdictionLevel, t);
  const [q, setQ] = useState(filter.q ?? '');
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  // The URL is the truth: a reset, a back button or a dashboard link replaces what was typed.
  useEffect(() => {
    setQ(filter.q ?? '');
  }, [filter.q]);
  useEffect(() => () => clearTimeout(timer.current), []);

  const onSearch = (value: string) => {
    setQ(value);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => onChange({ q: value.trim() || undefined }), SEARCH_DELAY_MS);
  };

  const treeData = useMemo(() => toTree(sections), [sections]);
  const orgOption = (o: OrgRef) => ({ value: o.id, label: o.name });
  const in30 = { dueFrom: asOf, dueTo: addDays(asOf, 30) };
  const is30 = filter.dueFrom === in30.dueFrom && filter.dueTo === in30.dueTo;
  const isOverdue = filter.status === 'overdue';
  const range: [Dayjs, Dayjs] | null =
    filter.dueFrom || filter.dueTo ? [dayjs(filter.dueFrom ?? '2000-01-01'), dayjs(filter.dueTo ?? '2099-12-31')] : null;

  return (
    <search className="ledger-toolbar" aria-label={t('ledger.filters')}>
      {plans.length > 1 && (
        <Select
          aria-label={t('ledger.plan')}
          className="ledger-filter ledger-filter-plan"
          value={filter.planId}
          options={plans.map((p) => ({ value: p.id, label: p.title }))}
          onChange={(planId: string) => onChange({ planId, sectionId: undefined, leadOrgId: undefined, orgId: undefined })}
          popupMatchSelectWidth={false}
        />
      )}
      <TreeSelect
        aria-label={t('ledger.section')}
        className="ledger-filter ledger-filter-section"
        allowClear
        showSearch={{ treeNodeFilterProp: 'title' }}
        placeholder={t('ledger.sectionPlaceholder')}
        treeData={treeData}
        value={filter.sectionId}
        onChange={(sectionId?: string) => onChange({ sectionId: sectionId || undefined })}
        popupMatchSelectWidth={false}
        treeDefaultExpandAll={false}
      />
      <Select
        aria-label={t('ledger.lead')}
        className="ledger-filter"
        allowClear
        showSearch={{ optionFilterProp: 'label' }}
        placeholder={t('ledger.leadPlaceholder')}
        options={leads.map(orgOption)}
        value={filter.leadOrgId}
        onChange={(leadOrgId?: string) => onChange({ leadOrgId: leadOrgId || undefined })}
        popupMatchSelectWidth={false}
      />
      <Select
        aria-label={t('ledger.org', words)}
        className="ledger-filter"
        allowClear
        showSearch={{ optionFilterProp: 'label' }}
        placeholder={t('ledger.orgPlaceholder')}
        options={orgs.map(orgOption)}
        value={filter.orgId}
        onChange={(orgId?: string) => onChange({ orgId: orgId || undefined })}
        popupMatchSelectWidth={false}
      />
      <Select
        aria-label={t('ledger.status')}
        className="ledger-filter ledger-filter-status"
        allowClear
        placeholder={t('ledger.statusPlaceholder')}
        options={DELIVERY_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))}
        value={filter.status}
        onChange={(status?: DeliveryStatus) => onChange({ status })}
      />
      <DatePicker.RangePicker
        aria-label={t('ledger.due')}
        className="ledger-filter-due"
        placeholder={[t('ledger.dueFrom'), t('ledger.dueTo')]}
        value={range}
        allowEmpty={[true, true]}
        presets={[
          { label: t('ledger.preset30'), value: [dayjs(asOf), dayjs(addDays(asOf, 30))] },
          { label: t('ledger.preset90'), value: [dayjs(asOf), dayjs(addDays(asOf, 90))] },
        ]}
        onChange={(dates) =>
          onChange({ dueFrom: dates?.[0]?.format('YYYY-MM-DD') ?? undefined, dueTo: dates?.[1]?.format('YYYY-MM-DD') ?? undefined })
        }
      />
      <span className="ledger-quick">
        <Button
          size="middle"
          type={is30 ? 'primary' : 'default'}
          aria-pressed={is30}
          onClick={() => onChange(is30 ? { dueFrom: undefined, dueTo: undefined } : in30)}
        >
          {t('ledger.preset30')}
        </Button>
        <Button
          size="middle"
          type={isOverdue ? 'primary' : 'default'}
          danger={isOverdue}
          aria-pressed={isOverdue}
          onClick={() => onChange({ status: isOverdue ? undefined : 'overdue' })}
        >
          {t('ledger.presetOverdue')}
        </Button>
      </span>
      <Input
        type="search"
        aria-label={t('ledger.search')}
        className="ledger-filter-search"
        prefix={<SearchOutlined aria-hidden />}
        allowClear
        placeholder={t('ledger.searchPlaceholder')}
        value={q}
        maxLength={200}
        onChange={(e) => onSearch(e.target.value)}
      />
      {showMine && (
        <span className="ledger-mine-switch">
          <Switch
            id="ledger-filter-mine"
            size="small"
            checked={Boolean(filter.mine)}
            onChange={(mine) => onChange({ mine: mine || undefined })}
          />
          <label htmlFor="ledger-filter-mine">{t('ledger.mine')}</label>
        </span>
      )}
      {hasNarrowingFilter(filter) && (
        <Button type="link" icon={<ClearOutlined aria-hidden />} onClick={onReset}>
          {t('ledger.reset')}
        </Button>
      )}
    </search>
  );
}
