import type { EntityManager } from '@mikro-orm/postgresql';
import { pgArray } from '../../db/sql.js';
import { userError, type UserError } from '../../graphql/user-error.js';
import { ParticipantRole } from '../programmes/programme.enums.js';

/**
 * A case worker's lanes: the (programme, organisation, country) combinations in which its organisation may record
 * cases and legal actions. The organisation, or one above it, takes part in the programme in one of these roles (or
 * leads it), and the country is one of the programme's. Donors and strategic partners do not record cases.
 * Public figures derived from the registry count only records made within these lanes.
 */
export const CASE_LANE_ROLES: readonly ParticipantRole[] = [
  ParticipantRole.LEAD,
  ParticipantRole.MEMBER,
  ParticipantRole.IMPLEMENTING_PARTNER,
];

/** No case or legal action is dated before this day. */
export const EARLIEST_RECORD_DATE = '2000-01-01';

export const today = (): string => new Date().toISOString().slice(0, 10);

/** (programme_id, organisation_id) of every organisation in a programme's lanes; binds the role list once. */
const LANE_ORGANISATIONS = `select lp.programme_id, o.id as organisation_id
  from (select pp.programme_id, pp.organisation_id from programme_participant pp where pp.role = any(?::participant_role[])
        union select p.id, p.lead_organisation_id from programme p) lp
  join organisation lo on lo.id = lp.organisation_id
  join organisation o on starts_with(o.path, lo.path)`;

/**
 * Every lane, as rows of (programme_id, organisation_id, country_code): the participants in CASE_LANE_ROLES and the
 * programme's lead, every organisation under them, times the programme's countries. `caseLaneError` allows exactly these.
 */
export function caseLaneFrameSql(): { sql: string; bindings: unknown[] } {
  return {
    sql: `select distinct lane.programme_id, lane.organisation_id, pc.country_code
      from (${LANE_ORGANISATIONS}) lane join programme_country pc on pc.programme_id = lane.programme_id`,
    bindings: [pgArray(CASE_LANE_ROLES)],
  };
}

/** A date of a case record: not in the future, not before 2000, and not before `notBefore` when given. */
export function checkRecordDate(value: string, field: string, notBefore?: string): UserError | null {
  if (value > today()) return userError('INVALID', 'The date cannot be in the future.', ['input', field]);
  if (value < EARLIEST_RECORD_DATE) return userError('INVALID', 'The date cannot be before 2000.', ['input', field]);
  if (notBefore && value < notBefore) return userError('INVALID', `The date cannot be before ${notBefore}.`, ['input', field]);
  return null;
}

export interface CaseLane {
  /** The case worker's organisation. */
  organisation: number;
  /** The programme's ID (0 for an ID that does not decode), or null when none was given. */
  programme: number | null;
  country: string;
  date: string;
  /** The input field of the date, for the user error. */
  dateField: 'reportedOn' | 'actionOn';
}

/** Why a case or legal action may not be recorded in this lane, or null when it may. */
export async function caseLaneError(em: EntityManager, lane: CaseLane): Promise<UserError | null> {
  const badDate = checkRecordDate(lane.date, lane.dateField);
  if (badDate) return badDate;
  if (lane.programme === null) {
    return userError('PROGRAMME_REQUIRED', 'Give the programme this record belongs to: cases and legal actions are recorded within a ' +
      'programme.', ['input', 'programme']);
  }
  const [programme] = (await em.execute(
    `select p.start_date::text as start_date, p.end_date::text as end_date,
       exists (select 1 from (${LANE_ORGANISATIONS}) lane where lane.programme_id = p.id and lane.organisation_id = ?) as participates,
       exists (select 1 from programme_country pc where pc.programme_id = p.id and pc.country_code = ?) as in_country
     from programme p where p.id = ?`,
    [pgArray(CASE_LANE_ROLES), lane.organisation, lane.country.toUpperCase(), lane.programme],
  )) as { start_date: string | null; end_date: string | null; participates: boolean; in_country: boolean }[];
  if (!programme) return userError('NOT_FOUND', 'No such programme.', ['input', 'programme']);
  if (!programme.participates) {
    return userError(
      'ORGANISATION_NOT_IN_PROGRAMME',
      'Your organisation (or the one above it) does not take part in this programme as lead, member or implementing partner.',
      ['input', 'programme'],
    );
  }
  if (!programme.in_country) {
    return userError('COUNTRY_NOT_IN_PROGRAMME', 'The programme does not work in this country.', ['input', 'country']);
  }
  if ((programme.start_date && lane.date < programme.start_date) || (programme.end_date && lane.date > programme.end_date)) {
    const span = `${programme.start_date ?? 'its start'} to ${programme.end_date ?? 'today'}`;
    return userError('DATE_OUTSIDE_PROGRAMME', `The date lies outside the programme (${span}).`, ['input', lane.dateField]);
  }
  return null;
}
