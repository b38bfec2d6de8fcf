import { Table, type TableColumnsType } from 'antd';
import { Link } from 'react-router';
import type { AssignmentRole } from '../../../../shared/enums.ts';
import type { Task } from '../../../../shared/schemas/plan.schema.ts';
import { ExpandableText } from '../../../components/expandable-text.tsx';
import { formatDate, useI18n } from '../../../lib/i18n.ts';
import { assignmentsByRole, orderTargets, targetAmount, targetPlace } from '../../../lib/task-format.ts';
import './task-table.css';

export interface TaskTableProps {
  tasks: Task[];
  total: number;
  page: number;
  pageSize: number;
  loading?: boolean;
  onPageChange?: (page: number, pageSize: number) => void;
}

function UnitList({ task, assignmentRole }: { task: Task; assignmentRole: AssignmentRole }) {
  const units = assignmentsByRole(task, assignmentRole);
  if (units.length === 0) return <span className="cell-empty">—</span>;
  return (
    <ul className="cell-list" data-role={assignmentRole}>
      {units.map((a) => (
        <li key={a.id} title={a.mention && a.mention !== a.orgName ? a.mention : undefined}>
          {a.orgName}
        </li>
      ))}
    </ul>
  );
}

/** The ledger rows of a plan: who leads, who delivers, by when, how much where. */
export function TaskTable({ tasks, total, page, pageSize, loading, onPageChange }: TaskTableProps) {
  const { t, locale } = useI18n();

  const columns: TableColumnsType<Task> = [
    {
      title: t('task.seq'),
      dataIndex: 'seq',
      key: 'seq',
      width: 48,
      align: 'center',
      render: (_: unknown, task) => (
        <Link to={`/tasks/${task.id}`} aria-label={t('ledger.openTask', { seq: task.seq })}>
          {task.seq}
        </Link>
      ),
    },
    {
      title: t('task.text'),
      dataIndex: 'text',
      key: 'text',
      render: (_: unknown, task) => (
        <div>
          {task.sectionTitle && (
            <span className="task-section" title={`${task.sectionPath.join(' ')} ${task.sectionTitle}`}>
              {task.sectionPath.join(' ')} {task.sectionTitle}
            </span>
          )}
          <ExpandableText text={task.text} limit={64} />
        </div>
      ),
    },
    { title: t('task.lead'), key: 'lead', width: 112, render: (_: unknown, task) => <UnitList task={task} assignmentRole="lead" /> },
    {
      title: t('task.responsible'),
      key: 'responsible',
      width: 112,
      render: (_: unknown, task) => <UnitList task={task} assignmentRole="responsible" />,
    },
    {
      title: t('task.cooperating'),
      key: 'cooperating',
      width: 100,
      render: (_: unknown, task) => <UnitList task={task} assignmentRole="cooperating" />,
    },
    {
      title: t('task.deadline'),
      key: 'deadline',
      width: 124,
      render: (_: unknown, task) =>
        task.deadlines.length === 0 ? (
          <span className="cell-empty">—</span>
        ) : (
          <ul className="cell-list">
            {task.deadlines.map((d) => (
              <li key={d.id}>
                <time dateTime={d.date}>{formatDate(d.date, locale)}</time>
                {d.text && <div className="cell-note">{d.text}</div>}
              </li>
            ))}
          </ul>
        ),
    },
    {
      title: t('task.targets'),
      key: 'targets',
      width: 190,
      render: (_: unknown, task) =>
        task.targets.length === 0 ? (
          <span className="cell-empty">—</span>
        ) : (
          <ul className="cell-list target-list">
            {orderTargets(task.targets).map((target) => (
              <li key={target.id} className={target.parentTargetId ? 'target-share' : undefined} title={target.text || undefined}>
                <span className="target-place">{targetPlace(target, t)}</span>
                <span className="target-sep">{locale === 'en' ? ': ' : '：'}</span>
                {target.metric && <span className="target-metric">{target.metric} </span>}
                <span className="target-amount">{targetAmount(target, t, locale)}</span>
              </li>
            ))}
          </ul>
        ),
    },
  ];

  return (
    <Table<Task>
      className="task-table"
      rowKey="id"
      size="small"
      columns={columns}
      dataSource={tasks}
      loading={loading}
      tableLayout="fixed"
      scroll={{ x: 860 }}
      aria-label={t('task.tableLabel')}
      locale={{ emptyText: t('plan.noTasks') }}
      pagination={{
        current: page,
        pageSize,
        total,
        showSizeChanger: true,
        pageSizeOptions: [10, 20, 50, 100],
        showTotal: (n) => t('common.total', { total: n }),
        onChange: onPageChange,
      }}
    />
  );
}
