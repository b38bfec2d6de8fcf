import { CloseOutlined, PlusOutlined, WarningOutlined } from '@ant-design/icons';
import { Select } from 'antd';
import { useMemo, useState } from 'react';
import type { UnresolvedMention } from '../../../../shared/schemas/plan-import.schema.ts';
import type { z } from 'zod';
import type { OrgKind } from '../../../../shared/enums.ts';
import { useI18n } from '../../../lib/i18n.ts';
import type { Role, UnitRef } from '../extract-model.ts';

export interface OrgOption {
  value: string;
  label: string;
  search: string;
  /** The organisation's kind, so a new group's member picker can leave groups out. */
  kind?: OrgKind;
}

export interface UnitCellProps {
  units: UnitRef[];
  role: Role;
  taskNo: number;
  orgOptions: OrgOption[];
  orgNames: Map<string, string>;
  unresolved: Map<string, z.infer<typeof UnresolvedMention>>;
  readOnly?: boolean;
  onAdd: (ref: UnitRef) => void;
  onRemove: (index: number) => void;
}

const FREE_TEXT = 'text:';

/** A unit's state for its tag: resolved to an organisation, mapped by the admin, or still to map. */
function unitState(ref: UnitRef, unresolved: UnitCellProps['unresolved'], orgNames: Map<string, string>) {
  if (ref.orgId) return { state: 'resolved' as const, orgName: orgNames.get(ref.orgId) };
  const entry = unresolved.get(ref.name);
  if (entry?.orgId) return { state: 'mapped' as const, orgName: orgNames.get(entry.orgId) };
  return { state: 'unresolved' as const, orgName: undefined };
}

/** The units of one role as tags with a remove button each, and a picker to add one. */
export function UnitCell({ units, role, taskNo, orgOptions, orgNames, unresolved, readOnly, onAdd, onRemove }: UnitCellProps) {
  const { t } = useI18n();
  const [isAdding, setAdding] = useState(false);
  const [search, setSearch] = useState('');
  const roleName = t(`assignmentRole.${role}`);

  const options = useMemo(() => {
    const typed = search.trim();
    if (!typed || orgOptions.some((o) => o.label === typed)) return orgOptions;
    return [{ value: `${FREE_TEXT}${typed}`, label: t('imports.review.useFreeText', { name: typed }), search: typed }, ...orgOptions];
  }, [orgOptions, search, t]);

  const add = (value: string) => {
    if (value.startsWith(FREE_TEXT)) {
      const name = value.slice(FREE_TEXT.length);
      onAdd({ mention: name, name });
    } else {
      const name = orgNames.get(value) ?? value;
      onAdd({ mention: name, name, orgId: value });
    }
    setAdding(false);
    setSearch('');
  };

  if (readOnly && units.length === 0) return null;
  return (
    <div className="unit-group" data-role={role}>
      <span className="unit-role" aria-hidden>
        {t(`imports.review.roleShort.${role}`)}
      </span>
      <ul className="unit-tags" aria-label={t('imports.review.unitsOf', { role: roleName, n: taskNo })}>
        {units.map((ref, index) => {
          const { state, orgName } = unitState(ref, unresolved, orgNames);
          const shown = orgName ?? ref.name;
          const note =
            state === 'unresolved'
              ? t('imports.review.unresolvedTag')
              : ref.mention !== shown
                ? t('imports.review.writtenAs', { mention: ref.mention })
                : undefined;
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: extract items have no ids; edits address them by position.
            <li key={`${ref.name}-${index}`} className={`unit-tag unit-tag-${state}`} title={note}>
              {state === 'unresolved' && <WarningOutlined aria-hidden className="unit-tag-icon" />}
              <span className="unit-tag-name">{shown}</span>
              {state === 'unresolved' && <span className="visually-hidden">（{t('imports.review.unresolvedTag')}）</span>}
              {!readOnly && (
                <button
                  type="button"
                  className="unit-tag-remove"
                  aria-label={t('imports.review.removeUnit', { name: shown, role: roleName, n: taskNo })}
                  onClick={(event) => {
                    event.stopPropagation();
                    onRemove(index);
                  }}
                >
                  <CloseOutlined aria-hidden />
                </button>
              )}
            </li>
          );
        })}
        {!readOnly && (
          <li className="unit-add-item">
            {isAdding ? (
              <Select
                size="small"
                autoFocus
                defaultOpen
                className="unit-add-select"
                aria-label={t('imports.review.addUnitLabel', { role: roleName, n: taskNo })}
                placeholder={t('imports.review.unitPlaceholder')}
                showSearch={{ optionFilterProp: 'search', onSearch: setSearch, searchValue: search }}
                options={options}
                value={null}
                onChange={(value: string | null) => value && add(value)}
                onBlur={() => {
                  setAdding(false);
                  setSearch('');
                }}
                onClick={(event) => event.stopPropagation()}
                popupMatchSelectWidth={240}
              />
            ) : (
              <button
                type="button"
                className="unit-add unit-add-icon"
                aria-label={t('imports.review.addUnitLabel', { role: roleName, n: taskNo })}
                title={t('imports.review.addUnitLabel', { role: roleName, n: taskNo })}
                onClick={(event) => {
                  event.stopPropagation();
                  setAdding(true);
                }}
              >
                <PlusOutlined aria-hidden />
              </button>
            )}
          </li>
        )}
      </ul>
    </div>
  );
}
