import { Table, type TableColumnsType } from 'antd';
import { type KeyboardEvent, useEffect, useMemo, useRef } from 'react';
import type { z } from 'zod';
import type { UnresolvedMention } from '../../../../shared/schemas/plan-import.schema.ts';
import { useI18n } from '../../../lib/i18n.ts';
import {
  addDeadline,
  addTarget,
  addUnit,
  clauseSummary,
  type PlanExtract,
  ROLES,
  removeDeadline,
  removeTarget,
  removeUnit,
  sectionLabel,
  setDeadlineDate,
  setTarget,
  type Task,
} from '../extract-model.ts';
import { DeadlineCell } from './deadline-cell.tsx';
import { flash } from './document-view.tsx';
import { TargetEditor, targetLine } from './target-editor.tsx';
import { type OrgOption, UnitCell } from './unit-cell.tsx';

export interface ExtractTableProps {
  extract: PlanExtract;
  unresolved: z.infer<typeof UnresolvedMention>[];
  orgOptions: OrgOption[];
  orgNames: Map<string, string>;
  jurisdictionOptions: { value: string; label: string }[];
  readOnly?: boolean;
  activeTask: number | null;
  /** Bumped when the row of `activeTask` should be scrolled to (selection made in the document). */
  scrollRequest: number;
  focusRequest: boolean;
  expanded: number[];
  onToggleExpanded: (taskIndex: number) => void;
  onSelectTask: (taskIndex: number, viaKeyboard: boolean) => void;
  onEditTask: (taskIndex: number, change: (task: Task) => Task) => void;
}

interface Row {
  key: number;
  task: Task;
  isOpen: boolean;
  /** Everything else a cell reads: cells re-render only when their row, or this, changes. */
  context: unknown;
}

// Selecting a task re-renders the table for the row highlight; the heavy cells (tags, pickers)
// are skipped unless their task, its open state or the shared lookups changed.
const shouldCellUpdate = (row: Row, previous: Row) =>
  row.task !== previous.task || row.isOpen !== previous.isOpen || row.context !== previous.context;

/** The parser's tasks as an editable ledger: units, dates and targets can be corrected before import. */
export function ExtractTable({
  extract,
  unresolved,
  orgOptions,
  orgNames,
  jurisdictionOptions,
  readOnly,
  activeTask,
  scrollRequest,
  focusRequest,
  expanded,
  onToggleExpanded,
  onSelectTask,
  onEditTask,
}: ExtractTableProps) {
  const { t, locale } = useI18n();
  const wrapperRef = useRef<HTMLDivElement>(null);
  const unresolvedByName = useMemo(() => new Map(unresolved.map((u) => [u.name, u])), [unresolved]);
  const context = useMemo(
    () => ({ unresolvedByName, orgOptions, orgNames, jurisdictionOptions, readOnly, onEditTask, onToggleExpanded, t, locale }),
    [unresolvedByName, orgOptions, orgNames, jurisdictionOptions, readOnly, onEditTask, onToggleExpanded, t, locale],
  );
  const rows = useMemo<Row[]>(
    () => extract.tasks.map((task, key) => ({ key, task, isOpen: expanded.includes(key), context })),
    [extract.tasks, expanded, context],
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: scrollRequest is the trigger, not read.
  useEffect(() => {
    if (activeTask === null || scrollRequest === 0) return;
    const row = wrapperRef.current?.querySelector<HTMLElement>(`tr[data-row-key="${activeTask}"]`);
    if (!row) return;
    row.scrollIntoView?.({ block: 'center', behavior: 'smooth' });
    flash(row, 'is-flashing');
    if (focusRequest) row.focus({ preventScroll: true });
  }, [scrollRequest]);

  const onRowKeyDown = (event: KeyboardEvent<HTMLElement>, index: number) => {
    // Enter inside a picker or input belongs to that control.
    if (event.target !== event.currentTarget) return;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onSelectTask(index, true);
    }
  };

  const columns: TableColumnsType<Row> = [
    { title: t('task.seq'), key: 'seq', width: 46, align: 'center', render: (_: unknown, row) => row.key + 1 },
    {
      title: t('imports.review.section'),
      key: 'section',
      shouldCellUpdate,
      width: 52,
      render: (_: unknown, row) => <span className="cell-section">{sectionLabel(row.task)}</span>,
    },
    {
      title: t('task.text'),
      key: 'text',
      shouldCellUpdate,
      width: 150,
      render: (_: unknown, row) => (
        <span className="cell-clause" title={row.task.text}>
          {clauseSummary(row.task)}
        </span>
      ),
    },
    {
      title: t('imports.review.units'),
      key: 'units',
      shouldCellUpdate,
      width: 216,
      render: (_: unknown, row: Row) => (
        <div className="unit-cell">
          {ROLES.map((role) => (
            <UnitCell
              key={role}
              units={row.task.assignment[role]}
              role={role}
              taskNo={row.key + 1}
              orgOptions={orgOptions}
              orgNames={orgNames}
              unresolved={unresolvedByName}
              readOnly={readOnly}
              onAdd={(ref) => onEditTask(row.key, (task) => addUnit(task, role, ref))}
              onRemove={(index) => onEditTask(row.key, (task) => removeUnit(task, role, index))}
            />
          ))}
        </div>
      ),
    },
    {
      title: t('task.deadline'),
      key: 'deadline',
      shouldCellUpdate,
      width: 116,
      render: (_: unknown, row) => (
        <DeadlineCell
          deadlines={row.task.deadlines}
          taskNo={row.key + 1}
          readOnly={readOnly}
          year={extract.year}
          onChange={(index, date) => onEditTask(row.key, (task) => setDeadlineDate(task, index, date))}
          onAdd={(date) => onEditTask(row.key, (task) => addDeadline(task, date))}
          onRemove={(index) => onEditTask(row.key, (task) => removeDeadline(task, index))}
        />
      ),
    },
    {
      title: t('task.targets'),
      key: 'targets',
      shouldCellUpdate,
      width: 172,
      render: (_: unknown, row) => {
        const isOpen = row.isOpen;
        return (
          <div className="target-cell">
            {row.task.targets.length === 0 ? (
              <span className="cell-empty">—</span>
            ) : (
              <ul className="cell-list target-lines">
                {row.task.targets.map((target, i) => {
                  const line = targetLine(target, t, locale);
                  return (
                    // biome-ignore lint/suspicious/noArrayIndexKey: extract items have no ids; edits address them by position.
                    <li key={`${i}-${target.span[0]}`} className={target.jurisdictions.length > 0 ? 'target-share' : undefined}>
                      <span className="target-place">{line.place}</span>
                      {line.metric && <span className="target-metric"> {line.metric}</span>}{' '}
                      <span className="target-amount">{line.amount}</span>
                    </li>
                  );
                })}
              </ul>
            )}
            <button
              type="button"
              className="unit-add target-toggle"
              aria-expanded={isOpen}
              aria-label={t(readOnly ? 'imports.review.showTargetsLabel' : 'imports.review.editTargetsLabel', { n: row.key + 1 })}
              onClick={(event) => {
                event.stopPropagation();
                onToggleExpanded(row.key);
              }}
            >
              {isOpen ? t('common.collapse') : readOnly ? t('common.expand') : t('imports.review.editTargets')}
            </button>
          </div>
        );
      },
    },
  ];

  return (
    <div ref={wrapperRef}>
      <Table<Row>
        className="extract-table"
        rowKey="key"
        size="small"
        columns={columns}
        dataSource={rows}
        pagination={false}
        tableLayout="fixed"
        scroll={{ x: 752 }}
        aria-label={t('imports.review.tableLabel')}
        locale={{ emptyText: t('imports.review.noTasks') }}
        rowClassName={(row) => (row.key === activeTask ? 'is-active' : '')}
        onRow={(row) => ({
          tabIndex: 0,
          'aria-selected': row.key === activeTask,
          onClick: () => onSelectTask(row.key, false),
          onKeyDown: (event: KeyboardEvent<HTMLElement>) => onRowKeyDown(event, row.key),
        })}
        sticky={{ offsetHeader: 56 }}
        expandable={{
          showExpandColumn: false,
          expandedRowKeys: expanded,
          expandedRowRender: (row) => (
            <div className="task-editor">
              <p className="task-editor-text">
                <span className="task-editor-label">{t('imports.review.fullText')}</span>
                {row.task.text}
              </p>
              <TargetEditor
                targets={row.task.targets}
                taskNo={row.key + 1}
                jurisdictionOptions={jurisdictionOptions}
                readOnly={readOnly}
                onChange={(index, change) => onEditTask(row.key, (task) => setTarget(task, index, change))}
                onAdd={() => onEditTask(row.key, addTarget)}
                onRemove={(index) => onEditTask(row.key, (task) => removeTarget(task, index))}
              />
            </div>
          ),
        }}
      />
    </div>
  );
}
