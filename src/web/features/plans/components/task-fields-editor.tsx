import { Button, App as AntApp, Drawer, Input, InputNumber, Select, Space, Tag, Typography } from 'antd';
import { useEffect, useId, useState } from 'react';
import { ASSIGNMENT_ROLES, type AssignmentRole } from '../../../../shared/enums.ts';
import type { Task, TaskTarget } from '../../../../shared/schemas/plan.schema.ts';
import { describeError } from '../../../lib/errors.ts';
import { useI18n } from '../../../lib/i18n.ts';
import {
  useAddAssignment,
  useAddDeadline,
  useAddTarget,
  useDeleteTarget,
  useRemoveAssignment,
  useRemoveDeadline,
  useUpdateTarget,
  useUpdateTaskText,
} from '../api/plan-structure.api.ts';
import { CALENDAR_DATE_PATTERN } from '../../../../shared/schemas/common.schema.ts';

/** A real calendar day (the server's CalendarDate rule: no 02-30). */
const CALENDAR_DATE = new RegExp(CALENDAR_DATE_PATTERN);

export interface OrgChoice {
  value: string;
  label: string;
  search: string;
}

/** Runs an edit and shows its refusal (in the UI language) instead of throwing. */
function useRun() {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  return async (fn: () => Promise<unknown>): Promise<boolean> => {
    try {
      await fn();
      return true;
    } catch (error) {
      message.error(describeError(error, t));
      return false;
    }
  };
}

function TargetRow({ target }: { target: TaskTarget }) {
  const { t } = useI18n();
  const run = useRun();
  const update = useUpdateTarget();
  const remove = useDeleteTarget();
  const [metric, setMetric] = useState(target.metric);
  const [value, setValue] = useState<number | null>(target.value);
  const [unit, setUnit] = useState(target.unit);
  useEffect(() => {
    setMetric(target.metric);
    setValue(target.value);
    setUnit(target.unit);
  }, [target]);
  const where = target.jurisdictionName ?? target.jurisdictionLabel;
  return (
    <li className="tfe-target">
      <Space wrap size="small">
        {where && <Tag>{where}</Tag>}
        <Input
          size="small"
          aria-label={t('planEdit.targetMetric')}
          value={metric}
          onChange={(e) => setMetric(e.target.value)}
          style={{ width: 200 }}
        />
        <InputNumber
          size="small"
          aria-label={t('planEdit.targetValue')}
          value={value}
          onChange={(v) => setValue(v)}
          style={{ width: 110 }}
        />
        <Input
          size="small"
          aria-label={t('planEdit.targetUnit')}
          value={unit}
          onChange={(e) => setUnit(e.target.value)}
          style={{ width: 80 }}
        />
        <Button
          size="small"
          loading={update.isPending}
          disabled={!metric.trim() || !unit.trim() || value === null}
          onClick={() =>
            run(() =>
              update.mutateAsync({ id: target.id, version: target.version, metric: metric.trim(), value: value ?? 0, unit: unit.trim() }),
            )
          }
        >
          {t('planEdit.saveTarget')}
        </Button>
        <Button
          size="small"
          danger
          type="link"
          aria-label={t('planEdit.removeTarget', { metric: target.metric })}
          onClick={() => run(() => remove.mutateAsync({ id: target.id, version: target.version }))}
        >
          {t('common.delete')}
        </Button>
      </Space>
    </li>
  );
}

/**
 * Every field the parser extracted for one task, editable by the office: the text, the units per
 * role, the deadlines and the targets. Each change is its own audited write (the task routes).
 */
export function TaskFieldsEditor({ task, orgOptions, onClose }: { task: Task | null; orgOptions: OrgChoice[]; onClose: () => void }) {
  const { t } = useI18n();
  const run = useRun();
  const id = useId();
  const saveText = useUpdateTaskText();
  const addAssignment = useAddAssignment();
  const removeAssignment = useRemoveAssignment();
  const addDeadline = useAddDeadline();
  const removeDeadline = useRemoveDeadline();
  const addTarget = useAddTarget();
  const [text, setText] = useState('');
  const [orgId, setOrgId] = useState<string | null>(null);
  const [role, setRole] = useState<AssignmentRole>('responsible');
  const [date, setDate] = useState('');
  const [dateText, setDateText] = useState('');
  const [metric, setMetric] = useState('');
  const [value, setValue] = useState<number | null>(null);
  const [unit, setUnit] = useState('');
  // A new task, or the same task's text saved or changed elsewhere, resets the text box.
  const taskText = task?.text;
  useEffect(() => setText(taskText ?? ''), [taskText]);

  return (
    <Drawer
      open={task !== null}
      onClose={onClose}
      size="large"
      title={task ? `${t('planEdit.editTask')} · ${t('planEdit.taskNo', { seq: task.seq })}` : ''}
    >
      {task && (
        <div className="task-fields-editor">
          <label htmlFor={`${id}-text`} className="tfe-label">
            {t('planEdit.taskText')}
          </label>
          <Input.TextArea id={`${id}-text`} value={text} onChange={(e) => setText(e.target.value)} autoSize={{ minRows: 3, maxRows: 10 }} />
          <Button
            size="small"
            type="primary"
            className="tfe-save"
            disabled={!text.trim() || text === task.text}
            loading={saveText.isPending}
            onClick={() => run(() => saveText.mutateAsync({ id: task.id, version: task.version, text }))}
          >
            {t('planEdit.saveText')}
          </Button>

          <Typography.Title level={3} className="tfe-heading">
            {t('planEdit.assignments')}
          </Typography.Title>
          <ul className="tfe-list">
            {task.assignments.length === 0 && <li>{t('planEdit.none')}</li>}
            {task.assignments.map((a) => (
              <li key={a.id}>
                <Tag
                  closable
                  closeIcon
                  onClose={(e) => {
                    e.preventDefault();
                    void run(() => removeAssignment.mutateAsync(a.id));
                  }}
                  aria-label={t('planEdit.removeAssignment', { name: a.orgName, role: t(`assignmentRole.${a.role}`) })}
                >
                  {t(`assignmentRole.${a.role}`)}：{a.orgName}
                </Tag>
              </li>
            ))}
          </ul>
          <Space wrap size="small">
            <Select
              size="small"
              aria-label={t('planEdit.assignmentOrg')}
              placeholder={t('planEdit.assignmentOrg')}
              showSearch={{ optionFilterProp: 'search' }}
              options={orgOptions}
              value={orgId}
              onChange={setOrgId}
              style={{ width: 240 }}
            />
            <Select
              size="small"
              aria-label={t('planEdit.assignmentRole')}
              options={ASSIGNMENT_ROLES.map((r) => ({ value: r, label: t(`assignmentRole.${r}`) }))}
              value={role}
              onChange={setRole}
              style={{ width: 120 }}
            />
            <Button
              size="small"
              disabled={!orgId}
              loading={addAssignment.isPending}
              onClick={async () => {
                if (orgId && (await run(() => addAssignment.mutateAsync({ taskId: task.id, orgId, role })))) setOrgId(null);
              }}
            >
              {t('planEdit.addAssignment')}
            </Button>
          </Space>

          <Typography.Title level={3} className="tfe-heading">
            {t('planEdit.deadlines')}
          </Typography.Title>
          <ul className="tfe-list">
            {task.deadlines.length === 0 && <li>{t('planEdit.none')}</li>}
            {task.deadlines.map((d) => (
              <li key={d.id}>
                <Tag
                  closable
                  onClose={(e) => {
                    e.preventDefault();
                    void run(() => removeDeadline.mutateAsync(d.id));
                  }}
                  aria-label={t('planEdit.removeDeadline', { date: d.date })}
                >
                  {d.date}
                  {d.text ? `（${d.text}）` : ''}
                </Tag>
              </li>
            ))}
          </ul>
          <Space wrap size="small">
            <Input
              size="small"
              aria-label={t('planEdit.deadlineDate')}
              placeholder="2019-06-30"
              value={date}
              onChange={(e) => setDate(e.target.value)}
              style={{ width: 130 }}
            />
            <Input
              size="small"
              aria-label={t('planEdit.deadlineText')}
              placeholder={t('planEdit.deadlineText')}
              value={dateText}
              onChange={(e) => setDateText(e.target.value)}
              style={{ width: 200 }}
            />
            <Button
              size="small"
              disabled={!CALENDAR_DATE.test(date.trim())}
              loading={addDeadline.isPending}
              onClick={async () => {
                if (await run(() => addDeadline.mutateAsync({ taskId: task.id, date: date.trim(), text: dateText.trim() }))) {
                  setDate('');
                  setDateText('');
                }
              }}
            >
              {t('planEdit.addDeadline')}
            </Button>
          </Space>

          <Typography.Title level={3} className="tfe-heading">
            {t('planEdit.targets')}
          </Typography.Title>
          <ul className="tfe-list">
            {task.targets.length === 0 && <li>{t('planEdit.none')}</li>}
            {task.targets.map((target) => (
              <TargetRow key={target.id} target={target} />
            ))}
          </ul>
          <Space wrap size="small">
            <Input
              size="small"
              aria-label={t('planEdit.targetMetric')}
              placeholder={t('planEdit.targetMetric')}
              value={metric}
              onChange={(e) => setMetric(e.target.value)}
              style={{ width: 200 }}
            />
            <InputNumber
              size="small"
              aria-label={t('planEdit.targetValue')}
              placeholder={t('planEdit.targetValue')}
              value={value}
              onChange={(v) => setValue(v)}
              style={{ width: 110 }}
            />
            <Input
              size="small"
              aria-label={t('planEdit.targetUnit')}
              placeholder={t('planEdit.targetUnit')}
              value={unit}
              onChange={(e) => setUnit(e.target.value)}
              style={{ width: 80 }}
            />
            <Button
              size="small"
              disabled={!metric.trim() || !unit.trim() || value === null}
              loading={addTarget.isPending}
              onClick={async () => {
                const ok = await run(() =>
                  addTarget.mutateAsync({ taskId: task.id, metric: metric.trim(), value: value ?? 0, unit: unit.trim(), comparator: '>=' }),
                );
                if (ok) {
                  setMetric('');
                  setValue(null);
                  setUnit('');
                }
              }}
            >
              {t('planEdit.addTarget')}
            </Button>
          </Space>
        </div>
      )}
    </Drawer>
  );
}
