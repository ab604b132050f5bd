import type { EntityName } from '@mikro-orm/core';
import type { Context } from './context.js';
import { NotFoundError } from './errors.js';

/** The entity with this unique code, or null when none has it: all lookups of one tick in one statement. */
export function findByCodeOrNull<T extends { code: string }>(ctx: Context, entity: EntityName<T> & { name: string }, code: string): Promise<T | null> {
  return ctx.loaders.byKey(entity, 'code').load(code);
}

/** The entity with this unique code, or a NOT_FOUND error naming what was looked for. */
export async function findByCode<T extends { code: string }>(ctx: Context, entity: EntityName<T>, code: string, label: string): Promise<T> {
  const found = await ctx.em.findOne(entity, { code } as never);
  if (!found) throw new NotFoundError(`No ${label} has the code "${code}".`, 'code');
  return found as T;
}
