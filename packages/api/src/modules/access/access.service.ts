import type { Context } from '../../graphql/context.js';
import { ApiKey } from './api-key.entity.js';
import { Permission, type Me } from './access.types.js';
import { LANE_READERS, Role } from './role.enums.js';
import type { Principal } from './principal.js';

/** What a principal may do, as listed by `me`. */
export function permissionsOf(p: Principal): Permission[] {
  const permissions = [Permission.READ_PUBLISHED];
  if (p.kind !== 'apiKey') return permissions;
  if (p.role === Role.ALLIANCE_ADMIN) permissions.push(Permission.READ_UNPUBLISHED_ALL, Permission.MANAGE_KEYS_ALL);
  if (LANE_READERS.has(p.role)) permissions.push(Permission.READ_UNPUBLISHED_OWN);
  if (p.role === Role.PARTNER_ADMIN) permissions.push(Permission.MANAGE_KEYS_OWN);
  if (p.role === Role.CASE_SUPERVISOR) permissions.push(Permission.MANAGE_CASE_WORKER_KEYS);
  return permissions;
}

export const accessService = {
  async me(ctx: Context): Promise<Me> {
    const p = ctx.principal;
    if (p.kind !== 'apiKey') return { authenticated: false, role: null, apiKey: null, permissions: permissionsOf(p), organisationId: null };
    const apiKey = await ctx.em.findOne(ApiKey, { id: p.keyId });
    return { authenticated: true, role: p.role, apiKey, permissions: permissionsOf(p), organisationId: p.organisationId };
  },
};
