/**
 * Who may change coverage data. Layers, standards, analysis runs and target links are the
 * programme office's (admin): a county or department user reads coverage but never imports a
 * layer, because a layer feeds every district's indicator at once. Called by the services inside
 * their transaction (ADR 0003 §2.5), so a role change between check and write cannot slip through.
 */
import { AppError } from '../../core/app-error.ts';
import type { Actor } from '../../core/actor.ts';

/** 403 unless the caller is the office (admin). */
export function assertCanManageCoverage(actor: Actor): void {
  if (actor.role !== 'admin') throw new AppError('forbidden', '只有市级统筹办公室（管理员）可以导入图层、修改覆盖标准或运行分析');
}
