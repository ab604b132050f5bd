import DataLoader from 'dataloader';
import type { Context } from '../../graphql/context.js';
import { caseRecord, recordAudit } from '../audit/audit.service.js';
import { toGlobalId } from '../node/global-id.js';
import { CASE_WORKERS } from '../access/role.enums.js';

/** Referral statuses under which the receiving organisation sees the case and the referral. */
const SHARED_STATUSES = "('IN_PROGRESS', 'ACCEPTED', 'DONE')";
/** The same, and the ones it rejected itself: the statuses under which the receiving organisation sees the referral. */
const RECEIVED_STATUSES = "('IN_PROGRESS', 'ACCEPTED', 'DONE', 'REJECTED')";

/**
 * Who may see a case: case workers of the organisation that owns it, and case workers of an organisation it was
 * referred to while that referral is open or done AND the child's consent to share and to services still stands
 * (withdrawing either ends every other organisation's view at once, of what came before and after). Nobody else —
 * not admins, not parent organisations. Returns the caller's organisation, or null when the caller is not a case worker.
 */
export function caseWorkerOrganisation(ctx: Context): number | null {
  const p = ctx.principal;
  return p.kind === 'apiKey' && CASE_WORKERS.includes(p.role) ? p.organisationId : null;
}

/** SQL condition (over alias `c` = child_case) for the cases the caller may see. */
export function visibleCasesSql(ctx: Context): { sql: string; bindings: unknown[] } {
  const org = caseWorkerOrganisation(ctx);
  if (org === null) return { sql: 'false', bindings: [] };
  return {
    sql: `(c.owner_organisation_id = ? or (c.consent_to_share and c.consent_for_services and exists (select 1 from referral vr ` +
      `where vr.case_id = c.id and vr.to_organisation_id = ? and vr.status in ${SHARED_STATUSES})))`,
    bindings: [org, org],
  };
}

/**
 * SQL condition (over `alias` = referral) for the referrals the caller may see: those it sent, and those it received
 * while the child's consents stand and the sender has not revoked them — never a revoked one, nor why or when.
 */
export function visibleReferralsSql(ctx: Context, alias = 'rf'): { sql: string; bindings: unknown[] } {
  const org = caseWorkerOrganisation(ctx);
  if (org === null) return { sql: 'false', bindings: [] };
  return {
    sql: `(${alias}.from_organisation_id = ? or (${alias}.to_organisation_id = ? and ${alias}.status in ${RECEIVED_STATUSES} and exists ` +
      `(select 1 from child_case sc where sc.id = ${alias}.case_id and sc.consent_to_share and sc.consent_for_services)))`,
    bindings: [org, org],
  };
}

/** A case record read: its id, the organisation that owns it and, for a referral, the one it was sent to. */
export interface ReadRecord {
  id: number;
  owner: number;
  recipient?: number | null;
}

/**
 * Records that the caller read these records. Reads are audited like writes (who, what, when, which request),
 * but the entry never holds the record's contents; only the owning organisation's case workers read it.
 */
export async function auditReads(ctx: Context, entity: 'Case' | 'Referral' | 'LegalAction', records: ReadRecord[]): Promise<void> {
  if (!records.length) return;
  // All reads of one tick (for example the referrals of every case on a page) are recorded in one statement;
  // a record read twice in one request is recorded once.
  const loader = ctx.loaders.get('audit-reads', () => new DataLoader<string, true>(async (keys) => {
    await recordAudit(ctx.em, ctx, keys.map((key) => {
      const [kind, id, owner, recipient] = key.split(':') as ['Case' | 'Referral' | 'LegalAction', string, string, string];
      const action = kind === 'Case' ? 'case.read' : kind === 'Referral' ? 'referral.read' : 'legalAction.read';
      const ownedBy = caseRecord(Number(owner), recipient ? Number(recipient) : null);
      return { action, entity: kind, entityId: toGlobalId(kind, id), before: null, after: null, owner: ownedBy };
    }));
    return keys.map(() => true as const);
  }));
  await Promise.all(records.map((r) => loader.load(`${entity}:${r.id}:${r.owner}:${r.recipient ?? ''}`)));
}

/** The audit record of a change to a case record: which fields changed, never their values. */
export function changeRecord(
  action: string,
  entity: 'Case' | 'Referral' | 'LegalAction',
  id: number,
  changed: string[],
  owner: number,
  recipient: number | null = null,
) {
  return { action, entity, entityId: toGlobalId(entity, id), before: null, after: { changed }, owner: caseRecord(owner, recipient) };
}
