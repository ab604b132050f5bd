import DataLoader from 'dataloader';
import type { Context } from '../../graphql/context.js';
import { recordAudit } from '../audit/audit.service.js';
import { toGlobalId } from '../node/global-id.js';
import { Role } from '../access/role.enums.js';

/**
 * Who may see a case: case workers of the organisation that owns it, and case workers of an organisation it was
 * referred to (while that referral is not rejected or revoked). Nobody else — not admins, not parent organisations.
 * Returns the caller's organisation, or null when the caller is not a case worker.
 */
export function caseWorkerOrganisation(ctx: Context): number | null {
  const p = ctx.principal;
  return p.kind === 'apiKey' && p.role === Role.CASE_WORKER ? p.organisationId : null;
}

/** SQL condition (over alias `c` = child_case) for the cases the caller may see. */
export function visibleCasesSql(ctx: Context): { sql: string; bindings: unknown[] } {
  const org = caseWorkerOrganisation(ctx);
  if (org === null) return { sql: 'false', bindings: [] };
  return {
    sql: `(c.owner_organisation_id = ? or exists (select 1 from referral vr where vr.case_id = c.id and vr.to_organisation_id = ? and vr.status in ('IN_PROGRESS', 'ACCEPTED', 'DONE')))`,
    bindings: [org, org],
  };
}

/** SQL condition (over `alias` = referral) for the referrals the caller may see: those it sent or received. */
export function visibleReferralsSql(ctx: Context, alias = 'rf'): { sql: string; bindings: unknown[] } {
  const org = caseWorkerOrganisation(ctx);
  if (org === null) return { sql: 'false', bindings: [] };
  return { sql: `(${alias}.from_organisation_id = ? or ${alias}.to_organisation_id = ?)`, bindings: [org, org] };
}

/**
 * Records that the caller read these records. Reads are audited like writes (who, what, when, which request),
 * but the entry never holds the record's contents: the audit trail is read by admins, who may not see cases.
 */
export async function auditReads(ctx: Context, entity: 'Case' | 'Referral' | 'LegalAction', ids: number[]): Promise<void> {
  if (!ids.length) return;
  // All reads of one tick (for example the referrals of every case on a page) are recorded in one statement;
  // a record read twice in one request is recorded once.
  const loader = ctx.loaders.get('audit-reads', () => new DataLoader<string, true>(async (keys) => {
    await recordAudit(ctx.em, ctx, keys.map((key) => {
      const [kind, id] = key.split(':') as ['Case' | 'Referral' | 'LegalAction', string];
      const action = kind === 'Case' ? 'case.read' : kind === 'Referral' ? 'referral.read' : 'legalAction.read';
      return { action, entity: kind, entityId: toGlobalId(kind, id), before: null, after: null };
    }));
    return keys.map(() => true as const);
  }));
  await Promise.all(ids.map((id) => loader.load(`${entity}:${id}`)));
}

/** The audit record of a change to a case record: which fields changed, never their values. */
export function changeRecord(action: string, entity: 'Case' | 'Referral' | 'LegalAction', id: number, changed: string[]) {
  return { action, entity, entityId: toGlobalId(entity, id), before: null, after: { changed } };
}
