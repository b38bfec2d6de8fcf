import type { AssignmentRole } from '../../shared/enums.ts';
import type { Assignment, Target, Task } from '../../shared/schemas/plan.schema.ts';
import { formatNumber, type Locale, type Translate } from './i18n.ts';

/** A task's assignments in one role (牵头 / 责任 / 配合), in their stored order. */
export function assignmentsByRole(task: Pick<Task, 'assignments'>, role: AssignmentRole): Assignment[] {
  return task.assignments.filter((a) => a.role === role);
}

/** Where a target applies: the resolved organisation, else the plan's words, else city-wide. */
export function targetPlace(target: Target, t: Translate): string {
  return target.jurisdictionName ?? target.jurisdictionLabel ?? t('target.cityWide');
}

/** "不少于 9 公里", "5–10 公里", "20 公里": the amount in words people read in the plan. */
export function targetAmount(target: Pick<Target, 'comparator' | 'value' | 'maxValue' | 'unit'>, t: Translate, locale: Locale): string {
  const value =
    target.maxValue != null && target.maxValue !== target.value
      ? t('target.range', { min: formatNumber(target.value, locale), max: formatNumber(target.maxValue, locale) })
      : formatNumber(target.value, locale);
  const words = t(`comparator.${target.comparator}`);
  const unitSep = locale === 'en' || /^[A-Za-z%]/.test(target.unit) ? ' ' : '';
  const amount = target.unit === '%' ? `${value}%` : `${value}${unitSep}${target.unit}`;
  return words ? `${words} ${amount}` : amount;
}

/** City totals first, then their district shares under them, in plan order otherwise. */
export function orderTargets<T extends Target>(targets: T[]): T[] {
  const byParent = new Map<string, T[]>();
  const roots: T[] = [];
  for (const target of targets) {
    if (target.parentTargetId && targets.some((x) => x.id === target.parentTargetId)) {
      const list = byParent.get(target.parentTargetId) ?? [];
      list.push(target);
      byParent.set(target.parentTargetId, list);
    } else roots.push(target);
  }
  return roots.flatMap((root) => [root, ...(byParent.get(root.id) ?? [])]);
}
