import { pgArray } from '../../db/sql.js';
import type { Principal } from './principal.js';
import { Role } from './role.enums.js';

/**
 * Which keys a role may create, list and revoke: never a role that reads more than its own, so no key grants
 * more than its creator holds. A Record, so a new role does not compile until its grants are decided here.
 * Case-worker keys are granted only by a supervisor of the same organisation (or by the operator's command line).
 */
const GRANTABLE: Record<Role, readonly Role[]> = {
  [Role.ALLIANCE_ADMIN]: [Role.ALLIANCE_ADMIN, Role.PARTNER_ADMIN, Role.PARTNER_EDITOR, Role.VIEWER],
  [Role.PARTNER_ADMIN]: [Role.PARTNER_ADMIN, Role.PARTNER_EDITOR, Role.VIEWER],
  [Role.PARTNER_EDITOR]: [],
  [Role.VIEWER]: [],
  [Role.CASE_WORKER]: [],
  [Role.CASE_SUPERVISOR]: [Role.CASE_SUPERVISOR, Role.CASE_WORKER],
};

/** Roles that manage some keys (the access policy's rule for key management). */
export const KEY_MANAGERS: readonly Role[] = Object.values(Role).filter((r) => GRANTABLE[r].length > 0);

/** The keys a caller manages: these roles, in these organisations. Null when it manages none. */
export interface KeyGrant {
  roles: readonly Role[];
  /** Every organisation, the caller's organisation and those under it (`lane`), or only the caller's own. */
  scope: { kind: 'all' } | { kind: 'lane'; path: string } | { kind: 'own'; organisationId: number };
}

export function keyGrant(p: Principal): KeyGrant | null {
  if (p.kind !== 'apiKey' || GRANTABLE[p.role].length === 0) return null;
  const roles = GRANTABLE[p.role];
  if (p.role === Role.ALLIANCE_ADMIN) return { roles, scope: { kind: 'all' } };
  if (p.role === Role.CASE_SUPERVISOR) return { roles, scope: { kind: 'own', organisationId: p.organisationId } };
  return { roles, scope: { kind: 'lane', path: p.organisationPath } };
}

/** Whether the caller may create, see or revoke a key with this role in this organisation. */
export function mayManageKey(p: Principal, organisation: { id: number; path: string }, role: Role): boolean {
  const grant = keyGrant(p);
  if (!grant || !grant.roles.includes(role)) return false;
  const { scope } = grant;
  if (scope.kind === 'all') return true;
  return scope.kind === 'lane' ? organisation.path.startsWith(scope.path) : organisation.id === scope.organisationId;
}

/** SQL condition for the keys the caller manages, over a key alias `k` joined to its organisation `o`. */
export function managedKeysSql(p: Principal): { sql: string; bindings: unknown[] } {
  const grant = keyGrant(p);
  if (!grant) return { sql: 'false', bindings: [] };
  const roles = 'k.role::text = any(?::text[])';
  const list = pgArray(grant.roles);
  const { scope } = grant;
  if (scope.kind === 'all') return { sql: roles, bindings: [list] };
  if (scope.kind === 'lane') return { sql: `${roles} and starts_with(o.path, ?)`, bindings: [list, scope.path] };
  return { sql: `${roles} and k.organisation_id = ?`, bindings: [list, scope.organisationId] };
}
