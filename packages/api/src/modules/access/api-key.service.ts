import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../../graphql/context.js';
import { UnauthenticatedError } from '../../graphql/errors.js';
import { sqlPage } from '../../graphql/batch.js';
import type { Page, PageRequest } from '../../graphql/pagination.js';
import { userError, type UserError } from '../../graphql/user-error.js';
import { fromGlobalIntId, toGlobalId } from '../node/global-id.js';
import { Organisation } from '../organisations/organisation.entity.js';
import { ApiKey } from './api-key.entity.js';
import { CASE_WORKERS, Role } from './role.enums.js';
import { recordAudit, type AuditOwner } from '../audit/audit.service.js';
import { AuditAudience } from '../audit/audit-entry.entity.js';
import type { Principal } from './principal.js';
import { managedKeysSql, mayManageKey } from './grants.js';
import { writeOrRefuse, writeTransaction } from '../../db/transaction.js';

/** `ak_` + 12 hex characters (public) + `_` + 43 base64url characters (the 256-bit secret). */
const TOKEN_PATTERN = /^(ak_[0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;
const MAX_NAME_LENGTH = 100;

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** A new key: the token to hand out once, and what is stored. */
function generateKey(): { token: string; prefix: string; secretHash: string } {
  const prefix = `ak_${randomBytes(6).toString('hex')}`;
  const secret = randomBytes(32).toString('base64url');
  return { token: `${prefix}_${secret}`, prefix, secretHash: hashSecret(secret) };
}

/** Creates a key without any permission check: for the bootstrap command and development demo keys only. */
export async function issueKey(em: EntityManager, input: { organisation: Organisation; role: Role; name: string; expiresAt?: Date | null; createdBy?: ApiKey | null }) {
  const { token, prefix, secretHash } = generateKey();
  const key = em.create(ApiKey, {
    prefix,
    secretHash,
    name: input.name,
    organisation: input.organisation,
    role: input.role,
    expiresAt: input.expiresAt ?? null,
    createdBy: input.createdBy ?? null,
  });
  await em.flush();
  return { apiKey: key, token };
}

/** The operator at the command line, as the audit trail names it: no key, request `key:create`. */
const OPERATOR = { requestId: 'key:create', principal: { kind: 'anonymous', address: 'command line' } satisfies Principal };

/** Creates a key for the organisation with this code as the operator (bootstrap command, tests), audited; null for an unknown code. */
export async function issueKeyFor(em: EntityManager, input: { organisationCode: string; role: Role; name: string; expiresAt?: Date | null }) {
  const organisation = await em.findOne(Organisation, { code: input.organisationCode });
  if (!organisation) return null;
  return writeTransaction(em, async (tx) => {
    const owner = tx.getReference(Organisation, organisation.id);
    const created = await issueKey(tx, { organisation: owner, role: input.role, name: input.name, expiresAt: input.expiresAt });
    const after = keySnapshot(created.apiKey, organisation.id);
    const entityId = created.apiKey.nodeId;
    const record = { action: 'apiKey.create', entity: 'ApiKey', entityId, before: null, after, owner: keyOwner(input.role, organisation.id) };
    await recordAudit(tx, OPERATOR, [record]);
    return { organisation, ...created };
  });
}

/**
 * Revokes a key and every key made with it (and with those, and so on), in one statement, auditing each: a key never
 * outlives the key that created it, so a leaked key's offspring stop with it. Keys already revoked stay as they were.
 */
async function revokeWithOffspring(tx: EntityManager, audit: Parameters<typeof recordAudit>[1], keyId: number): Promise<void> {
  const revoked = (await tx.execute(
    `with recursive tree as (select id from api_key where id = ? union select k.id from api_key k join tree t on k.created_by_id = t.id)
     update api_key k set revoked_at = now() from tree where k.id = tree.id and k.revoked_at is null
     returning k.id, k.prefix, k.name, k.role, k.organisation_id, k.expires_at, k.revoked_at`,
    [keyId],
  )) as { id: number; prefix: string; name: string; role: Role; organisation_id: number; expires_at: Date | null; revoked_at: Date }[];
  const snapshot = (k: (typeof revoked)[number], revokedAt: Date | null) =>
    ({ prefix: k.prefix, name: k.name, role: k.role, organisation: k.organisation_id, expiresAt: k.expires_at, revokedAt });
  await recordAudit(tx, audit, revoked.map((k) => ({
    action: 'apiKey.revoke',
    entity: 'ApiKey',
    entityId: toGlobalId('ApiKey', k.id),
    before: snapshot(k, null),
    after: snapshot(k, k.revoked_at),
    owner: keyOwner(k.role, k.organisation_id),
  })));
}

/**
 * Revokes the key with this public prefix, and the keys made with it, as the operator (`npm run key:revoke`), audited like
 * a revocation through the API: the way to stop a leaked key nobody else may revoke, such as a case supervisor's.
 * Null for an unknown prefix; a key already revoked stays as it was.
 */
export async function revokeKeyByPrefix(em: EntityManager, prefix: string): Promise<{ key: ApiKey; alreadyRevoked: boolean } | null> {
  return writeTransaction(em, async (tx) => {
    const key = await tx.findOne(ApiKey, { prefix });
    if (!key) return null;
    if (key.revokedAt) return { key, alreadyRevoked: true };
    await revokeWithOffspring(tx, { ...OPERATOR, requestId: 'key:revoke' }, key.id);
    return { key, alreadyRevoked: false };
  });
}

/**
 * The caller of a request. No Authorization header: anonymous. A header that is malformed or names a key
 * that is unknown, revoked or expired: UNAUTHENTICATED (one message for all, so keys cannot be probed).
 */
export async function authenticate(em: EntityManager, authorization: string | undefined, address: string): Promise<Principal> {
  if (authorization === undefined || authorization === '') return { kind: 'anonymous', address };
  const invalid = () => new UnauthenticatedError('The API key is not valid: it is malformed, unknown, revoked or expired. Send it as `Authorization: Bearer <key>`.');
  const match = /^Bearer ([^\s]{1,200})$/i.exec(authorization);
  const parts = match ? TOKEN_PATTERN.exec(match[1]) : null;
  if (!parts) throw invalid();
  const [row] = (await em.execute(
    `select k.id, k.name, k.role, k.secret_hash, k.organisation_id, o.path, k.expires_at, k.revoked_at,
       (k.last_used_at is null or k.last_used_at < now() - interval '1 minute') as stale
     from api_key k join organisation o on o.id = k.organisation_id where k.prefix = ?`,
    [parts[1]],
  )) as { id: number; name: string; role: Role; secret_hash: string; organisation_id: number; path: string; expires_at: Date | null; revoked_at: Date | null; stale: boolean }[];
  const given = Buffer.from(hashSecret(parts[2]), 'hex');
  // Compare even when no row matched, so timing does not tell whether a prefix exists.
  const stored = Buffer.from(row?.secret_hash ?? '0'.repeat(64), 'hex');
  const secretMatches = timingSafeEqual(given, stored);
  if (!row || !secretMatches || row.revoked_at || (row.expires_at && new Date(row.expires_at).getTime() <= Date.now())) throw invalid();
  if (row.stale) await em.execute('update api_key set last_used_at = now() where id = ?', [row.id]);
  const idempotencySecret = createHmac('sha256', parts[2]).update('idempotency-key').digest('hex');
  return { kind: 'apiKey', keyId: row.id, name: row.name, role: row.role, organisationId: row.organisation_id, organisationPath: row.path, idempotencySecret };
}

export interface CreateKeyInput {
  organisation: string;
  role: Role;
  name?: string | null;
  expiresAt?: Date | null;
}

/** What the audit trail keeps of a key: never its secret or its hash. */
function keySnapshot(key: ApiKey, organisationId: number) {
  return { prefix: key.prefix, name: key.name, role: key.role, organisation: organisationId, expiresAt: key.expiresAt ?? null, revokedAt: key.revokedAt ?? null };
}

/** Who reads a key's audit entries: those who see such keys (case workers see their colleagues' keys). */
function keyOwner(role: Role, organisationId: number): AuditOwner {
  if (CASE_WORKERS.includes(role)) return { organisationId, audience: AuditAudience.CASE_WORKERS };
  return { organisationId, audience: role === Role.ALLIANCE_ADMIN ? AuditAudience.ALLIANCE_ADMINS : AuditAudience.ADMINS };
}

function forbiddenMessage(p: Principal): string {
  if (p.kind === 'apiKey' && p.role === Role.CASE_SUPERVISOR) {
    return 'You may create only CASE_WORKER and CASE_SUPERVISOR keys, for your own organisation.';
  }
  if (p.kind === 'apiKey' && p.role === Role.PARTNER_ADMIN) {
    return 'You may create only PARTNER_ADMIN, PARTNER_EDITOR and VIEWER keys, for your own organisation and its local partners.';
  }
  return 'You may not create a key with that role for that organisation. '
    + 'Case-worker keys come from a case supervisor of the organisation or from the operator (npm run key:create).';
}

export const apiKeyService = {
  async create(ctx: Context, input: CreateKeyInput): Promise<{ apiKey: ApiKey | null; token: string | null; userErrors: UserError[] }> {
    const refused = (e: UserError): { apiKey: ApiKey | null; token: string | null; userErrors: UserError[] } => ({ apiKey: null, token: null, userErrors: [e] });
    const caseRole = CASE_WORKERS.includes(input.role);
    const name = input.name?.trim() ?? '';
    if (!caseRole && (name.length === 0 || name.length > MAX_NAME_LENGTH)) {
      return refused(userError('INVALID', `Give the key a name of 1 to ${MAX_NAME_LENGTH} characters.`, ['input', 'name']));
    }
    if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) {
      return refused(userError('INVALID', 'The expiry must be in the future.', ['input', 'expiresAt']));
    }
    // A key never outlives the key that creates it: it expires no later, and is revoked with it.
    const creator = ctx.principal.kind === 'apiKey' ? await ctx.em.findOne(ApiKey, { id: ctx.principal.keyId }) : null;
    const limit = creator?.expiresAt ?? null;
    if (limit && input.expiresAt && input.expiresAt.getTime() > limit.getTime()) {
      return refused(userError('INVALID', `A key cannot outlive the key that creates it: give an expiry on or before ${limit.toISOString()}.`,
        ['input', 'expiresAt']));
    }
    const expiresAt = input.expiresAt ?? limit;
    const organisationId = fromGlobalIntId(input.organisation, 'Organisation');
    const organisation = organisationId === null ? null : await ctx.em.findOne(Organisation, { id: organisationId });
    if (!organisation) return refused(userError('NOT_FOUND', 'No such organisation.', ['input', 'organisation']));
    if (!mayManageKey(ctx.principal, organisation, input.role)) {
      return refused(userError('FORBIDDEN', forbiddenMessage(ctx.principal), ['input']));
    }
    // A case-role key is named by the server: a name would be free text next to children's records.
    if (caseRole && name) {
      return refused(userError('INVALID', 'Case-worker keys get no name (it would be free text beside case records): leave it out; '
        + 'tell keys apart by their prefix and creation date.', ['input', 'name']));
    }
    return writeOrRefuse(ctx, async (tx) => {
      const createdBy = ctx.principal.kind === 'apiKey' ? tx.getReference(ApiKey, ctx.principal.keyId) : null;
      const label = caseRole ? `${input.role} key` : name;
      const { apiKey, token } = await issueKey(tx, { organisation: tx.getReference(Organisation, organisation.id), role: input.role, name: label, expiresAt, createdBy });
      await recordAudit(tx, ctx, [
        {
          action: 'apiKey.create',
          entity: 'ApiKey',
          entityId: apiKey.nodeId,
          before: null,
          after: keySnapshot(apiKey, organisation.id),
          owner: keyOwner(apiKey.role, organisation.id),
        },
      ]);
      return { apiKey, token, userErrors: [] };
    }, refused);
  },

  async revoke(ctx: Context, id: string): Promise<{ apiKey: ApiKey | null; userErrors: UserError[] }> {
    const keyId = fromGlobalIntId(id, 'ApiKey');
    const key = keyId === null ? null : await ctx.em.findOne(ApiKey, { id: keyId }, { populate: ['organisation'] });
    // A key the caller does not manage is reported as not found, so its existence is not revealed.
    if (!key || !mayManageKey(ctx.principal, key.organisation.getEntity(), key.role)) {
      return { apiKey: null, userErrors: [userError('NOT_FOUND', 'No such API key among the keys you manage.', ['input', 'id'])] };
    }
    if (!key.revokedAt) {
      const conflict = await writeOrRefuse(ctx, (tx) => revokeWithOffspring(tx, ctx, key.id).then(() => null), (e) => e);
      if (conflict) return { apiKey: null, userErrors: [conflict] };
      await ctx.em.refresh(key);
    }
    return { apiKey: key, userErrors: [] };
  },

  /** The keys the caller manages, exactly those it could create (see grants.ts), oldest first. */
  list(ctx: Context, request: PageRequest): Promise<Page<ApiKey>> {
    const where = managedKeysSql(ctx.principal);
    return sqlPage(
      ctx,
      { entity: ApiKey, from: 'api_key k join organisation o on o.id = k.organisation_id', where, key: 'k.id', keyOf: (k) => k.id, intKey: true },
      request,
    );
  },
};
