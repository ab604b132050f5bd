import { Role } from './role.enums.js';

/** Who is calling: nobody in particular, or the holder of an API key. */
export type Principal =
  | { kind: 'anonymous'; address: string }
  | {
      kind: 'apiKey';
      keyId: number;
      name: string;
      role: Role;
      organisationId: number;
      /** The owner organisation's path (`/1/7/`): its lane is every organisation whose path starts with it. */
      organisationPath: string;
      /**
       * A secret derived from the key's own secret (never stored): idempotency keys are kept as an HMAC with it, so
       * nobody with the database alone can confirm a guess of what a key said.
       */
      idempotencySecret?: string;
    };

export const anonymous = (address: string): Principal => ({ kind: 'anonymous', address });

export function isAllianceAdmin(p: Principal): boolean {
  return p.kind === 'apiKey' && p.role === Role.ALLIANCE_ADMIN;
}

/** The path prefix of the organisations whose unpublished records the caller may read; null for none, '/' for all. */
export function readableLane(p: Principal, readers: ReadonlySet<Role>): string | null {
  if (p.kind !== 'apiKey') return null;
  if (p.role === Role.ALLIANCE_ADMIN) return '/';
  return readers.has(p.role) ? p.organisationPath : null;
}

/** The key that identifies the caller for rate limiting. */
export function rateLimitKey(p: Principal): string {
  return p.kind === 'apiKey' ? `key:${p.keyId}` : `ip:${p.address}`;
}
