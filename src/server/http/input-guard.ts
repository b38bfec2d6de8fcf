import type { FastifyInstance } from 'fastify';
import { AppError } from '../core/app-error.ts';

/**
 * How deep any params, query or JSON body may nest (the body itself is level 0). The deepest
 * legitimate body, a plan extract with sections eight levels deep, reaches about 22. Beyond this
 * the request is refused before validation: zod validates a recursive value by recursing, and a
 * body nested thousands deep (a few KB of "[[[[") overflowed the stack as a 500.
 */
export const MAX_INPUT_DEPTH = 32;

interface Node {
  value: unknown;
  depth: number;
  key: string | null;
  parent: Node | null;
}

type Finding = { kind: 'nul' | 'depth'; path: string[] };

function pathOf(node: Node, lastKey?: string): string[] {
  const path: string[] = lastKey === undefined ? [] : [lastKey];
  for (let n: Node | null = node; n && n.key !== null; n = n.parent) path.push(n.key);
  return path.reverse();
}

// One iterative walk over every level (an explicit stack, so no input can overflow the call
// stack): a container deeper than MAX_INPUT_DEPTH, or a NUL in any string or key, is a finding.
// PostgreSQL text cannot hold U+0000 (SQLite can), so a NUL anywhere would pass validation and
// fail in the database as a 500 on one dialect only. No field of this domain needs it.
function inspect(root: unknown): Finding | null {
  const stack: Node[] = [{ value: root, depth: 0, key: null, parent: null }];
  while (stack.length > 0) {
    const node = stack.pop() as Node;
    const { value } = node;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return { kind: 'nul', path: pathOf(node) };
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (node.depth >= MAX_INPUT_DEPTH) return { kind: 'depth', path: pathOf(node) };
    const depth = node.depth + 1;
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i -= 1) stack.push({ value: value[i], depth, key: String(i), parent: node });
      continue;
    }
    const keys = Object.keys(value);
    for (let i = keys.length - 1; i >= 0; i -= 1) {
      const key = keys[i];
      if (key.includes('\u0000')) return { kind: 'nul', path: pathOf(node, key) };
      stack.push({ value: (value as Record<string, unknown>)[key], depth, key, parent: node });
    }
  }
  return null;
}

/**
 * Rejects, with a 400 validation problem naming the field, NUL characters anywhere in params,
 * query or JSON body, and values nested deeper than MAX_INPUT_DEPTH.
 */
export function registerInputGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (req) => {
    for (const [where, value] of [
      ['params', req.params],
      ['querystring', req.query],
      ['body', req.body],
    ] as const) {
      const hit = inspect(value);
      if (!hit) continue;
      const path = hit.path.join('.') || where;
      if (hit.kind === 'depth') {
        throw new AppError('validation', `嵌套层级过深：最多 ${MAX_INPUT_DEPTH} 层`, {
          errors: [{ path, message: `嵌套层级过深（最多 ${MAX_INPUT_DEPTH} 层）` }],
        });
      }
      throw new AppError('validation', '文本不能包含 NUL 字符（U+0000）', {
        errors: [{ path, message: '不能包含 NUL 字符（U+0000）' }],
      });
    }
  });
}
