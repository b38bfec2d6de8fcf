import { CheckCircleFilled, ExclamationCircleFilled } from '@ant-design/icons';
import { Alert, App as AntApp, Button, Form, Input, Select, Space } from 'antd';
import { useId, useState } from 'react';
import type { z } from 'zod';
import { ORG_KINDS, type OrgKind } from '../../../../shared/enums.ts';
import type { UnresolvedMention } from '../../../../shared/schemas/plan-import.schema.ts';
import { describeError } from '../../../lib/errors.ts';
import { useI18n } from '../../../lib/i18n.ts';
import type { MentionMapping } from '../api/plan-imports.api.ts';
import type { OrgOption } from './unit-cell.tsx';

type Mention = z.infer<typeof UnresolvedMention>;

export interface UnresolvedPanelProps {
  mentions: Mention[];
  orgOptions: OrgOption[];
  orgNames: Map<string, string>;
  readOnly?: boolean;
  isMapping: boolean;
  onMap: (mapping: MentionMapping) => Promise<unknown>;
  onShowTask: (taskIndex: number) => void;
}

/**
 * A guess at the kind of a new unit from its name: "各…" (各区政府, 各县区政府、管委) stands for several
 * units and is a group; 县/区/管委 are jurisdictions, 公司 enterprises.
 */
export function guessKind(name: string): OrgKind {
  if (/^各/.test(name)) return 'group';
  if (/(公司|集团)$/.test(name)) return 'enterprise';
  if (/(县|区|管委会?|政府)$/.test(name)) return 'jurisdiction';
  if (/办(公室)?$/.test(name)) return 'office';
  return 'department';
}

function MentionItem({
  mention,
  orgOptions,
  orgNames,
  readOnly,
  isMapping,
  onMap,
  onShowTask,
}: Omit<UnresolvedPanelProps, 'mentions'> & { mention: Mention }) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [isChanging, setChanging] = useState(false);
  const [isCreating, setCreating] = useState(false);
  const [newName, setNewName] = useState(mention.name);
  const [newKind, setNewKind] = useState<OrgKind>(() => guessKind(mention.name));
  const [newMembers, setNewMembers] = useState<string[]>([]);
  const isGroup = newKind === 'group';
  const canCreate = Boolean(newName.trim()) && (!isGroup || newMembers.length > 0);
  const memberOptions = orgOptions.filter((o) => o.kind !== 'group');
  const id = useId();
  const isMapped = Boolean(mention.orgId) && !isChanging;

  const submit = async (mapping: MentionMapping) => {
    try {
      await onMap(mapping);
      setChanging(false);
      setCreating(false);
    } catch (error) {
      message.error(describeError(error, t));
    }
  };

  // Several roles in one task read as one place to look.
  const places = [...new Map(mention.occurrences.map((o) => [`${o.taskIndex}-${o.role}`, o])).values()];

  return (
    <li className={`mention-item${isMapped ? ' is-mapped' : ''}`} aria-labelledby={`${id}-name`}>
      <div className="mention-head">
        {isMapped ? (
          <CheckCircleFilled className="mention-icon-ok" aria-hidden />
        ) : (
          <ExclamationCircleFilled className="mention-icon-todo" aria-hidden />
        )}
        <strong id={`${id}-name`} className="mention-name">
          {mention.name}
        </strong>
        {mention.mention !== mention.name && (
          <span className="mention-note">{t('imports.review.writtenAs', { mention: mention.mention })}</span>
        )}
        <span className="mention-places">
          {places.map((o) => (
            <Button
              key={`${o.taskIndex}-${o.role}`}
              type="link"
              size="small"
              className="mention-place"
              onClick={() => onShowTask(o.taskIndex)}
            >
              {t('imports.unresolved.occurrence', { n: o.taskIndex + 1, role: t(`assignmentRole.${o.role}`) })}
            </Button>
          ))}
        </span>
      </div>
      {isMapped ? (
        <div className="mention-body">
          <span>
            {t('imports.unresolved.mappedTo')} <strong>{orgNames.get(mention.orgId!) ?? mention.orgId}</strong>
          </span>
          {!readOnly && (
            <Button size="small" type="link" onClick={() => setChanging(true)}>
              {t('imports.unresolved.change')}
            </Button>
          )}
        </div>
      ) : readOnly ? null : isCreating ? (
        <Form
          layout="inline"
          className="mention-body"
          onFinish={() =>
            canCreate &&
            submit({
              name: mention.name,
              create: { name: newName.trim(), kind: newKind, ...(isGroup ? { memberIds: newMembers } : {}) },
            })
          }
        >
          <Form.Item label={t('imports.unresolved.createName')} htmlFor={`${id}-new-name`}>
            <Input
              id={`${id}-new-name`}
              size="small"
              value={newName}
              maxLength={200}
              onChange={(e) => setNewName(e.target.value)}
              style={{ width: 200 }}
            />
          </Form.Item>
          <Form.Item label={t('imports.unresolved.createKind')} htmlFor={`${id}-new-kind`}>
            <Select
              id={`${id}-new-kind`}
              size="small"
              value={newKind}
              onChange={setNewKind}
              options={ORG_KINDS.map((k) => ({ value: k, label: t(`orgKind.${k}`) }))}
              style={{ width: 120 }}
            />
          </Form.Item>
          {isGroup && (
            <Form.Item label={t('imports.unresolved.createMembers')} htmlFor={`${id}-new-members`} className="mention-members">
              <Select
                id={`${id}-new-members`}
                size="small"
                mode="multiple"
                aria-label={t('imports.unresolved.createMembersLabel', { name: newName.trim() || mention.name })}
                placeholder={t('imports.unresolved.createMembersPlaceholder')}
                showSearch={{ optionFilterProp: 'search' }}
                options={memberOptions}
                value={newMembers}
                onChange={setNewMembers}
                style={{ minWidth: 260 }}
              />
            </Form.Item>
          )}
          <Space size="small">
            <Button size="small" type="primary" htmlType="submit" loading={isMapping} disabled={!canCreate}>
              {t('imports.unresolved.createSubmit')}
            </Button>
            <Button size="small" onClick={() => setCreating(false)}>
              {t('common.cancel')}
            </Button>
          </Space>
        </Form>
      ) : (
        <div className="mention-body">
          <Select
            size="small"
            className="mention-picker"
            aria-label={t('imports.unresolved.chooseLabel', { name: mention.name })}
            placeholder={t('imports.unresolved.choose')}
            showSearch={{ optionFilterProp: 'search' }}
            options={orgOptions}
            value={null}
            disabled={isMapping}
            onChange={(orgId: string | null) => orgId && submit({ name: mention.name, orgId })}
            popupMatchSelectWidth={280}
          />
          <span className="mention-or">{t('imports.unresolved.or')}</span>
          <Button size="small" onClick={() => setCreating(true)}>
            {t('imports.unresolved.create')}
          </Button>
          {isChanging && (
            <Button size="small" type="link" onClick={() => setChanging(false)}>
              {t('common.cancel')}
            </Button>
          )}
        </div>
      )}
    </li>
  );
}

/** Unit names the registry does not know, listed before the table: each needs an organisation. */
export function UnresolvedPanel(props: UnresolvedPanelProps) {
  const { t } = useI18n();
  const { mentions } = props;
  if (mentions.length === 0) return null;
  const unmapped = mentions.filter((m) => !m.orgId);
  // Still-to-do first, in the order the plan names them.
  const ordered = [...unmapped, ...mentions.filter((m) => m.orgId)];
  return (
    <section className="unresolved-panel" aria-labelledby="unresolved-heading">
      <Alert
        type={unmapped.length > 0 ? 'warning' : 'success'}
        showIcon
        title={
          <h2 id="unresolved-heading" className="review-heading">
            {unmapped.length > 0
              ? t('imports.unresolved.title', { count: unmapped.length, total: mentions.length })
              : t('imports.unresolved.allMapped', { total: mentions.length })}
          </h2>
        }
        description={
          <>
            {unmapped.length > 0 && <p className="unresolved-intro">{t('imports.unresolved.intro')}</p>}
            <ul className="mention-list">
              {ordered.map((m) => (
                <MentionItem key={m.name} mention={m} {...props} />
              ))}
            </ul>
          </>
        }
      />
    </section>
  );
}
