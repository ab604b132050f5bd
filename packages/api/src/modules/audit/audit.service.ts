import type { EntityManager } from '@mikro-orm/postgresql';
import { Conditions, pgArray } from '../../db/sql.js';
import type { Context } from '../../graphql/context.js';
import { sqlPage } from '../../graphql/batch.js';
import type { Page, PageRequest } from '../../graphql/pagination.js';
import { periodOf } from '../results/result-filter.js';
import { CASE_WORKERS, Role } from '../access/role.enums.js';
import { AuditAudience, AuditEntry } from './audit-entry.entity.js';
import type { AuditFilter } from './audit.types.js';

/** Whose record an entry is about, which decides who reads it. */
export interface AuditOwner {
  /** The organisation whose record it is; null for reference data no organisation owns (alliance admins only). */
  organisationId: number | null;
  audience: AuditAudience;
  /** For a referral: the organisation it was sent to. */
  recipientOrganisationId?: number | null;
}

export interface AuditRecord {
  action: string;
  entity: string;
  entityId: string;
  /** Codes, ids, dates and numbers only for case records: never free text about a child. */
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  owner: AuditOwner;
}

/** The owner of a record admins oversee (a figure, a target, an organisation, a programme). */
export const adminRecord = (organisationId: number | null): AuditOwner => ({ organisationId, audience: AuditAudience.ADMINS });

/** The owner of a case record: only case workers read its entries. */
export const caseRecord = (organisationId: number, recipientOrganisationId: number | null = null): AuditOwner => ({
  organisationId,
  audience: AuditAudience.CASE_WORKERS,
  recipientOrganisationId,
});

/**
 * Records changes in the same transaction as the changes themselves (pass the transaction's EntityManager),
 * so there is no write without its entry. One statement for any number of entries.
 */
export async function recordAudit(em: EntityManager, ctx: Pick<Context, 'requestId' | 'principal'>, records: AuditRecord[]): Promise<void> {
  if (!records.length) return;
  const p = ctx.principal;
  await em.execute(
    `insert into audit_entry (request_id, api_key_id, organisation_id, action, entity, entity_id, before, after,
       record_organisation_id, recipient_organisation_id, audience)
     select ?, ?, ?, a.action, a.entity, a.entity_id, a.before, a.after,
       a.record_organisation_id, a.recipient_organisation_id, a.audience::audit_audience
     from unnest(?::text[], ?::text[], ?::text[], ?::jsonb[], ?::jsonb[], ?::int[], ?::int[], ?::text[])
       as a(action, entity, entity_id, before, after, record_organisation_id, recipient_organisation_id, audience)`,
    [
      ctx.requestId,
      p.kind === 'apiKey' ? p.keyId : null,
      p.kind === 'apiKey' ? p.organisationId : null,
      pgArray(records.map((r) => r.action)),
      pgArray(records.map((r) => r.entity)),
      pgArray(records.map((r) => r.entityId)),
      pgArray(records.map((r) => (r.before === null ? null : JSON.stringify(r.before)))),
      pgArray(records.map((r) => (r.after === null ? null : JSON.stringify(r.after)))),
      pgArray(records.map((r) => r.owner.organisationId)),
      pgArray(records.map((r) => r.owner.recipientOrganisationId ?? null)),
      pgArray(records.map((r) => r.owner.audience)),
    ],
  );
}

export const auditService = {
  /**
   * Entries about records the caller oversees, newest first: an alliance admin every entry but case-work ones; a partner
   * admin those of its lane's records; a case worker those of its organisation's case records and case-worker keys.
   */
  list(ctx: Context, filter: AuditFilter | null | undefined, request: PageRequest): Promise<Page<AuditEntry>> {
    const p = ctx.principal;
    const where = new Conditions();
    if (p.kind !== 'apiKey') where.add('false');
    else if (p.role === Role.ALLIANCE_ADMIN) {
      where.add('a.audience = any(?::audit_audience[])', pgArray([AuditAudience.ALLIANCE_ADMINS, AuditAudience.ADMINS]));
    } else if (p.role === Role.PARTNER_ADMIN) {
      const lane = 'a.record_organisation_id in (select id from organisation where starts_with(path, ?))';
      where.add(`a.audience = ?::audit_audience and ${lane}`, AuditAudience.ADMINS, p.organisationPath);
    } else if (CASE_WORKERS.includes(p.role)) {
      // The organisation a referral was sent to sees only what it did itself: not the owner's later reads and changes.
      const own = '(a.record_organisation_id = ? or (a.recipient_organisation_id = ? and a.organisation_id = ?))';
      where.add(`a.audience = ?::audit_audience and ${own}`, AuditAudience.CASE_WORKERS, p.organisationId, p.organisationId, p.organisationId);
    } else where.add('false');
    if (filter?.actions) where.add('a.action = any(?::text[])', pgArray(filter.actions));
    if (filter?.entity) where.add('a.entity = ?', filter.entity);
    if (filter?.entityId) where.add('a.entity_id = ?', filter.entityId);
    if (filter?.requestId) where.add('a.request_id = ?', filter.requestId);
    const from = periodOf(filter?.from, 'from');
    const to = periodOf(filter?.to, 'to');
    if (from) where.add('a.at >= ?::date', from.startDate);
    if (to) where.add(`a.at < ?::date + interval '1 day'`, to.endDate);
    return sqlPage(
      ctx,
      { entity: AuditEntry, from: 'audit_entry a', where, key: 'a.id', keyOf: (e) => Number(e.id), intKey: true, descending: true },
      request,
    );
  },
};
