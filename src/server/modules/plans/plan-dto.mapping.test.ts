import { describe, expect, it } from 'vitest';
import type { DeliveryStatus } from '../../../shared/enums.ts';
import { toTasks } from './plan-dto.mapping.ts';
import type { TargetRowWithOrg, TaskRowWithSection } from './tasks.repository.ts';

const TASK = '00000000-0000-4000-8000-000000000001';
const task = (status: DeliveryStatus): TaskRowWithSection => ({
  id: TASK,
  plan_id: '00000000-0000-4000-8000-0000000000aa',
  section_id: null,
  seq: 1,
  text: '新建公厕70座',
  span_start: null,
  span_end: null,
  assignment_text: null,
  status,
  version: 1,
  created_at: '2018-01-01T00:00:00Z',
  updated_at: '2018-01-01T00:00:00Z',
  section_path: null,
  section_title: null,
});
const deadline = (id: number, date: string) => ({ id: `d${id}`, task_id: TASK, date, text: '', span_start: null, span_end: null });
const target = (id: number, status: DeliveryStatus, own: string | null): TargetRowWithOrg => ({
  id: `t${id}`,
  task_id: TASK,
  metric: '公厕',
  unit: '座',
  comparator: '>=',
  value: 70,
  max_value: null,
  baseline: null,
  jurisdiction_org_id: null,
  jurisdiction_label: null,
  deadline: own,
  parent_target_id: null,
  text: '',
  span_start: null,
  span_end: null,
  status,
  version: 1,
  created_at: '2018-01-01T00:00:00Z',
  updated_at: '2018-01-01T00:00:00Z',
  jurisdiction_name: null,
});

describe('toTasks statusAsOf', () => {
  const deadlines = [deadline(1, '2018-06-30'), deadline(2, '2018-12-31')];
  const targets = [target(1, 'on_track', null), target(2, 'on_track', '2019-06-30'), target(3, 'done', null)];

  it('sends the stored status and, beside it, what the ledger shows on asOf (overdue once a deadline passed)', () => {
    const [before] = toTasks([task('on_track')], [], deadlines, targets, '2018-06-30');
    expect([before.status, before.statusAsOf]).toEqual(['on_track', 'on_track']);
    const [after] = toTasks([task('on_track')], [], deadlines, targets, '2018-07-01');
    expect([after.status, after.statusAsOf]).toEqual(['on_track', 'overdue']);
    const [done] = toTasks([task('done')], [], deadlines, targets, '2019-01-01');
    expect(done.statusAsOf).toBe('done');
  });

  it('judges a target by its own deadline, or by the task’s when it has none', () => {
    const [t] = toTasks([task('on_track')], [], deadlines, targets, '2018-07-01');
    expect(t.targets.map((x) => [x.id, x.status, x.statusAsOf])).toEqual([
      ['t1', 'on_track', 'overdue'], // the task's 2018-06-30 has passed
      ['t2', 'on_track', 'on_track'], // its own 2019-06-30 has not
      ['t3', 'done', 'done'],
    ]);
  });
});
