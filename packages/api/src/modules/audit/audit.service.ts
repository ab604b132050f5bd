import type { EntityManager } from '@mikro-orm/postgresql';
import { Conditions, pgArray } from '../../db/sql.js';
import type { Context } from '../../graphql/context.js';
import { sqlPage } from '../../graphql/batch.js';
import type { Page, PageRequest } from '../../graphql/pagination.js';
import { periodOf } from '../results/result-filter.js';
import { Role } from '../access/role.enums.js';
import { AuditEntry } from './audit-entry.entity.js';
import type { AuditFilter } from './audit.types.js';

export interface AuditRecord {
  action: string;
  entity: string;
  entityId: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/**
 * Records changes in the same transaction as the changes themselves (pass the transaction's EntityManager),
 * so there is no write without its entry. One statement for any number of entries.
 */
export async function recordAudit(em: EntityManager, ctx: Context, records: AuditRecord[]): Promise<void> {
  if (!records.length) return;
  const p = ctx.principal;
  await em.execute(
    `insert into audit_entry (request_id, api_key_id, organisation_id, action, entity, entity_id, before, after)
     select ?, ?, ?, a.action, a.entity, a.entity_id, a.before, a.after
     from unnest(?::text[], ?::text[], ?::text[], ?::jsonb[], ?::jsonb[]) as a(action, entity, entity_id, before, after)`,
    [
      ctx.requestId,
      p.kind === 'apiKey' ? p.keyId : null,
      p.kind === 'apiKey' ? p.organisationId : null,
      pgArray(records.map((r) => r.action)),
      pgArray(records.map((r) => r.entity)),
      pgArray(records.map((r) => r.entityId)),
      pgArray(records.map((r) => (r.before === null ? null : JSON.stringify(r.before)))),
      pgArray(records.map((r) => (r.after === null ? null : JSON.stringify(r.after)))),
    ],
  );
}

export const auditService = {
  /** Entries an admin may read: all for an alliance admin; a partner admin's own lane. Newest first. */
  list(ctx: Context, filter: AuditFilter | null | undefined, request: PageRequest): Promise<Page<AuditEntry>> {
    const p = ctx.principal;
    const where = new Conditions();
    if (p.kind !== 'apiKey' || (p.role !== Role.ALLIANCE_ADMIN && p.role !== Role.PARTNER_ADMIN)) where.add('false');
    else if (p.role === Role.PARTNER_ADMIN) where.add('starts_with(o.path, ?)', p.organisationPath);
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
      { entity: AuditEntry, from: 'audit_entry a left join organisation o on o.id = a.organisation_id', where, key: 'a.id', keyOf: (e) => Number(e.id), intKey: true, descending: true },
      request,
    );
  },
};
