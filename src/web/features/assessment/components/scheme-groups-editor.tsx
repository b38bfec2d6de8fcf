import { Button, Input, InputNumber, Select, Space, Table, Typography } from 'antd';
import type { SchemeFieldIssue } from '../../../../shared/schemas/assessment.schema.ts';
import type { Organisation } from '../../../../shared/schemas/organisation.schema.ts';
import { useI18n } from '../../../lib/i18n.ts';
import type { SchemeBody } from '../api/assessment.api.ts';
import { fieldStatus, SchemeIssueList } from './scheme-issue-list.tsx';
import { removeColumn } from './scheme-remove-column.tsx';

type Group = SchemeBody['groups'][number];
type Multiplier = SchemeBody['multipliers'][number];

/** A registry group (kind `group`, e.g. 各县区) is picked as its members; the select value marks it. */
const REGISTRY = 'registry:';

const nextId = (prefix: string, ids: string[]) => {
  let n = ids.length + 1;
  while (ids.includes(`${prefix}${n}`)) n++;
  return `${prefix}${n}`;
};

/**
 * 分组 (peer groups): each group's name and its units, picked from the organisation registry one
 * by one or as a registry group (its members). A unit already in another group is offered disabled,
 * and the shared schema names any overlap that arrives another way (the JSON view).
 */
export function SchemeGroupsEditor({
  value,
  organisations,
  errors,
  onChange,
}: {
  value: Group[];
  organisations: Organisation[];
  errors: SchemeFieldIssue[];
  onChange: (next: Group[]) => void;
}) {
  const { t } = useI18n();
  const set = (i: number, patch: Partial<Group>) => onChange(value.map((g, j) => (j === i ? { ...g, ...patch } : g)));
  const units = organisations.filter((o) => o.kind !== 'group');
  const registryGroups = organisations.filter((o) => o.kind === 'group' && o.memberIds.length > 0);
  const groupOf = new Map(value.flatMap((g, i) => g.orgIds.map((id) => [id, i] as const)));
  const known = new Set(units.map((o) => o.id));
  return (
    <section aria-label={t('assessment.scheme.groups')}>
      <h2>{t('assessment.scheme.groups')}</h2>
      <Table<Group & { index: number }>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={value.map((g, index) => ({ ...g, index }))}
        columns={[
          {
            title: t('assessment.scheme.form.label'),
            width: 180,
            render: (_, g) => (
              <Input
                aria-label={t('assessment.scheme.groups.labelOf', { n: g.index + 1 })}
                value={g.label}
                status={fieldStatus(errors, `groups.${g.index}.label`)}
                onChange={(e) => set(g.index, { label: e.target.value })}
              />
            ),
          },
          {
            title: t('assessment.scheme.groups.members'),
            render: (_, g) => (
              <Select<string[]>
                mode="multiple"
                aria-label={t('assessment.scheme.groups.membersOf', { n: g.index + 1 })}
                className="scheme-members"
                value={g.orgIds}
                status={fieldStatus(errors, `groups.${g.index}.orgIds`)}
                optionFilterProp="label"
                placeholder={t('assessment.scheme.groups.pick')}
                onChange={(picked) => {
                  // A registry group's value stands for its members (those not in another group).
                  const ids = picked.flatMap((v) =>
                    v.startsWith(REGISTRY)
                      ? (registryGroups.find((o) => o.id === v.slice(REGISTRY.length))?.memberIds ?? []).filter(
                          (id) => (groupOf.get(id) ?? g.index) === g.index,
                        )
                      : [v],
                  );
                  set(g.index, { orgIds: [...new Set(ids)] });
                }}
                options={[
                  {
                    label: t('assessment.scheme.groups.registryGroups'),
                    options: registryGroups.map((o) => ({
                      value: `${REGISTRY}${o.id}`,
                      label: t('assessment.scheme.groups.registryGroup', { name: o.name, n: o.memberIds.length }),
                    })),
                  },
                  {
                    label: t('assessment.scheme.groups.units'),
                    options: [
                      ...units.map((o) => {
                        const other = groupOf.get(o.id);
                        const elsewhere = other !== undefined && other !== g.index;
                        return {
                          value: o.id,
                          label: elsewhere ? t('assessment.scheme.groups.inOther', { name: o.name, group: value[other]!.label }) : o.name,
                          disabled: elsewhere,
                        };
                      }),
                      // Ids the registry does not list (another tenant's, or deleted) still show, as ids.
                      ...g.orgIds.filter((id) => !known.has(id)).map((id) => ({ value: id, label: id })),
                    ],
                  },
                ]}
              />
            ),
          },
          removeColumn(t, (i) => onChange(value.filter((_, j) => j !== i)), {
            aria: 'assessment.scheme.groups.removeOf',
            disabled: value.length <= 1,
          }),
        ]}
        footer={() => (
          <Button
            size="small"
            disabled={value.length >= 20 || undefined}
            onClick={() =>
              onChange([
                ...value,
                {
                  id: nextId(
                    'g',
                    value.map((g) => g.id),
                  ),
                  label: t('assessment.scheme.groups.newGroup'),
                  orgIds: [],
                },
              ])
            }
          >
            {t('assessment.scheme.groups.add')}
          </Button>
        )}
      />
      <SchemeIssueList errors={errors} prefix="groups" />
    </section>
  );
}

/**
 * 难度系数 (multipliers): a factor on the total of some units or of one peer group, with the
 * reason the office gives (its label). Only assessed units (in a group) are offered.
 */
export function SchemeMultipliersEditor({
  value,
  groups,
  organisations,
  errors,
  onChange,
}: {
  value: Multiplier[];
  groups: Group[];
  organisations: Organisation[];
  errors: SchemeFieldIssue[];
  onChange: (next: Multiplier[]) => void;
}) {
  const { t } = useI18n();
  const set = (i: number, m: Multiplier) => onChange(value.map((x, j) => (j === i ? m : x)));
  const names = new Map(organisations.map((o) => [o.id, o.name]));
  const assessed = [...new Set(groups.flatMap((g) => g.orgIds))];
  return (
    <section aria-label={t('assessment.scheme.multipliers')}>
      <h2>{t('assessment.scheme.multipliers')}</h2>
      <Table<Multiplier & { index: number }>
        rowKey="id"
        size="small"
        pagination={false}
        locale={{ emptyText: <Typography.Text type="secondary">{t('assessment.scheme.multipliers.none')}</Typography.Text> }}
        dataSource={value.map((m, index) => ({ ...m, index }))}
        columns={[
          {
            title: t('assessment.scheme.multipliers.reason'),
            width: 200,
            render: (_, m) => (
              <Input
                aria-label={t('assessment.scheme.multipliers.reasonOf', { n: m.index + 1 })}
                value={m.label}
                status={fieldStatus(errors, `multipliers.${m.index}.label`)}
                onChange={(e) => set(m.index, { ...value[m.index]!, label: e.target.value })}
              />
            ),
          },
          {
            title: t('assessment.scheme.multipliers.target'),
            render: (_, m) => {
              const { groupId, orgIds, ...rest } = value[m.index]!;
              const byGroup = groupId !== undefined;
              return (
                <Space.Compact className="scheme-target">
                  <Select
                    aria-label={t('assessment.scheme.multipliers.targetKindOf', { n: m.index + 1 })}
                    className="scheme-target-kind"
                    value={byGroup ? 'group' : 'units'}
                    onChange={(k: 'group' | 'units') =>
                      set(m.index, k === 'group' ? { ...rest, groupId: groups[0]?.id ?? '' } : { ...rest, orgIds: [] })
                    }
                    options={[
                      { value: 'units', label: t('assessment.scheme.multipliers.units') },
                      { value: 'group', label: t('assessment.scheme.multipliers.group') },
                    ]}
                  />
                  {byGroup ? (
                    <Select
                      aria-label={t('assessment.scheme.multipliers.groupOf', { n: m.index + 1 })}
                      className="scheme-members"
                      value={groupId}
                      status={fieldStatus(errors, `multipliers.${m.index}.groupId`)}
                      onChange={(id: string) => set(m.index, { ...rest, groupId: id })}
                      options={groups.map((g) => ({ value: g.id, label: g.label }))}
                    />
                  ) : (
                    <Select<string[]>
                      mode="multiple"
                      aria-label={t('assessment.scheme.multipliers.unitsOf', { n: m.index + 1 })}
                      className="scheme-members"
                      value={orgIds ?? []}
                      status={fieldStatus(errors, `multipliers.${m.index}.orgIds`)}
                      optionFilterProp="label"
                      onChange={(ids) => set(m.index, { ...rest, orgIds: ids })}
                      options={[...new Set([...assessed, ...(orgIds ?? [])])].map((id) => ({ value: id, label: names.get(id) ?? id }))}
                    />
                  )}
                </Space.Compact>
              );
            },
          },
          {
            title: t('assessment.scheme.multipliers.factor'),
            width: 120,
            render: (_, m) => (
              <InputNumber
                aria-label={t('assessment.scheme.multipliers.factorOf', { n: m.index + 1 })}
                min={0.1}
                max={10}
                step={0.01}
                value={m.factor}
                status={fieldStatus(errors, `multipliers.${m.index}.factor`)}
                onChange={(v) => set(m.index, { ...value[m.index]!, factor: v ?? 1 })}
              />
            ),
          },
          removeColumn(t, (i) => onChange(value.filter((_, j) => j !== i)), { aria: 'assessment.scheme.multipliers.removeOf' }),
        ]}
        footer={() => (
          <Button
            size="small"
            disabled={value.length >= 50 || undefined}
            onClick={() =>
              onChange([
                ...value,
                {
                  id: nextId(
                    'm',
                    value.map((m) => m.id),
                  ),
                  label: t('assessment.scheme.multipliers.newMultiplier'),
                  factor: 1,
                  orgIds: [],
                },
              ])
            }
          >
            {t('assessment.scheme.multipliers.add')}
          </Button>
        )}
      />
      <SchemeIssueList errors={errors} prefix="multipliers" />
    </section>
  );
}
