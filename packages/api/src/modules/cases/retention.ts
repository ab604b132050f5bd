import type { EntityManager } from '@mikro-orm/postgresql';
import { pgArray } from '../../db/sql.js';
import { toGlobalId } from '../node/global-id.js';
import { REFERRAL_DELAY_SQL } from './statistics.service.js';
import { writeTransaction } from '../../db/transaction.js';

/**
 * Retention of closed cases. RETENTION_DAYS after a case is closed, what could still point to one child is
 * coarsened, in one transaction: the district is removed, and the case's dates (reported, consent, closed), its
 * referrals' dates and its legal actions' dates become the 1st of January of their year. The case then still
 * counts in every statistic (which use the year, and how soon the child was first referred, kept before the dates
 * go), but can no longer be matched to a place or a day.
 * A coarsened case cannot be reopened. Running it again changes nothing (it only touches cases not yet coarsened).
 */
export const DEFAULT_RETENTION_DAYS = 730;

export interface RetentionOutcome {
  cases: number;
}

const toYear = (column: string) => `date_trunc('year', ${column})::date`;

/** How soon the child was first referred, worked out from the exact dates before they go (the statistics keep it). */
const KEPT_DELAY =
  `(select (${REFERRAL_DELAY_SQL})::referral_delay from (select min(rf.referred_on) as first_referral from referral rf ` +
  `where rf.case_id = c.id and rf.status <> 'REVOKED') s where s.first_referral is not null)`;

export async function applyRetention(em: EntityManager, options: { retentionDays: number; today?: string }): Promise<RetentionOutcome> {
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  return writeTransaction(em, async (tx) => {
    const due = (await tx.execute(
      `update child_case c set referral_delay = ${KEPT_DELAY}, district = null, reported_on = ${toYear('reported_on')}, consent_recorded_on = ${toYear('consent_recorded_on')},
         closed_on = ${toYear('closed_on')}, coarsened_at = now(), version = version + 1, updated_at = now()
       where coarsened_at is null and status in ('CLOSED', 'CLOSED_REFERRED') and closed_on <= ?::date - ?::int
       returning id, owner_organisation_id`,
      [today, options.retentionDays],
    )) as { id: number; owner_organisation_id: number }[];
    if (due.length) {
      const ids = `{${due.map((d) => d.id).join(',')}}`;
      await tx.execute(
        `update referral set referred_on = ${toYear('referred_on')}, responded_on = ${toYear('responded_on')}, closed_on = ${toYear('closed_on')}, updated_at = now()
         where case_id = any(?::int[])`,
        [ids],
      );
      await tx.execute(`update legal_action set action_on = ${toYear('action_on')} where case_id = any(?::int[])`, [ids]);
      // Like every case entry, read only by the owning organisation's case workers.
      await tx.execute(
        `insert into audit_entry (request_id, action, entity, entity_id, before, after, record_organisation_id, audience)
         select 'retention', 'case.coarsen', 'Case', d.id, null, '{"changed":["district","dates"]}'::jsonb, d.owner, 'CASE_WORKERS'
         from unnest(?::text[], ?::int[]) as d(id, owner)`,
        [pgArray(due.map((d) => toGlobalId('Case', d.id))), pgArray(due.map((d) => d.owner_organisation_id))],
      );
    }
    return { cases: due.length };
  });
}
