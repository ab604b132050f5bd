import { randomInt } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Conditions, pgArray } from '../../db/sql.js';
import type { Context } from '../../graphql/context.js';
import { childPages, sqlPage } from '../../graphql/batch.js';
import type { Page, PageRequest } from '../../graphql/pagination.js';
import { userError, type UserError } from '../../graphql/user-error.js';
import { UserInputError } from '../../graphql/errors.js';
import { fromGlobalIntId } from '../node/global-id.js';
import { isSubdivisionOf, subdivisionsOf } from '../countries/subdivision.js';
import { recordAudit } from '../audit/audit.service.js';
import { idempotent, isValidIdempotencyKey, requestHash } from '../submissions/idempotency.js';
import { Case, LegalAction, Referral } from './case.entity.js';
import { CASE_TRANSITIONS, CLOSED_STATUSES, CaseStatus, OPEN_REFERRAL_STATUSES, ReferralStatus } from './case.enums.js';
import { auditReads, caseWorkerOrganisation, changeRecord, visibleCasesSql, visibleReferralsSql } from './case-access.js';
import { caseLaneError, checkRecordDate, today } from './case-lanes.js';
import {
  ReferralDirection,
  type CaseFilter,
  type CasePayload,
  type CompleteReferralInput,
  type LegalActionPayload,
  type RecordLegalActionInput,
  type ReferCaseInput,
  type ReferralFilter,
  type ReferralPayload,
  type ReportCaseInput,
  type RespondToReferralInput,
  type RevokeReferralInput,
  type UpdateCaseInput,
} from './case.types.js';
import { writeOrRefuse } from '../../db/transaction.js';

const NOT_A_CASE_WORKER = 'Only case workers work with case records; ask your organisation for a CASE_WORKER key.';
const REFERENCE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A new case reference: random, so it says nothing about the child, the place or the date. */
export function newCaseReference(): string {
  const part = () => Array.from({ length: 4 }, () => REFERENCE_ALPHABET[randomInt(REFERENCE_ALPHABET.length)]).join('');
  return `CR-${part()}-${part()}`;
}

type Answer<T> = T & { replayed: boolean };
const caseRefused = (e: UserError): CasePayload => ({ caseId: null, userErrors: [e], replayed: false });
const referralRefused = (e: UserError): ReferralPayload => ({ referralId: null, userErrors: [e], replayed: false });
const legalRefused = (e: UserError): LegalActionPayload => ({ legalActionId: null, userErrors: [e], replayed: false });

function idempotencyKeyOf<T>(input: { idempotencyKey?: string | null }, headerKey: string | undefined, refuse: (e: UserError) => T): string | null | T {
  const key = input.idempotencyKey ?? headerKey ?? null;
  if (key !== null && !isValidIdempotencyKey(key)) return refuse(userError('INVALID', 'An idempotency key is 1 to 200 visible ASCII characters.', ['input', 'idempotencyKey']));
  return key;
}

/** A district is the ISO 3166-2 code of a subdivision of the case's country; anything else is bad input, never stored. */
function checkDistrict(district: string | null | undefined, country: string): void {
  if (district == null || isSubdivisionOf(district, country)) return;
  const code = country.toUpperCase();
  const example = subdivisionsOf(code)[0]?.code;
  // The message never repeats the input: it may be a child's name.
  throw new UserInputError(
    example
      ? `district must be an ISO 3166-2 subdivision code of ${code}, such as ${example} (see \`country { subdivisions }\`).`
      : `${code} has no ISO 3166-2 subdivisions: leave district empty.`,
    'input.district',
  );
}

interface CaseRow {
  id: number;
  owner_organisation_id: number;
  programme_id: number | null;
  country_code: string;
  status: CaseStatus;
  consent_to_share: boolean;
  consent_for_services: boolean;
  reported_on: string;
  coarsened_at: Date | null;
  version: number;
}

/** The case with this ID if the caller owns it (locked for update), else a user error. */
async function ownCase(tx: EntityManager, ctx: Context, id: string, field: string): Promise<CaseRow | UserError> {
  const org = caseWorkerOrganisation(ctx)!;
  const key = fromGlobalIntId(id, 'Case');
  const [row] = key === null ? [] : ((await tx.execute(`select *, reported_on::text as reported_on from child_case where id = ? for update`, [key])) as CaseRow[]);
  // Someone else's case is "not found", exactly like a case that does not exist.
  if (!row || row.owner_organisation_id !== org) return userError('NOT_FOUND', 'No case with that ID is yours.', ['input', field]);
  return row;
}

interface ReferralRow {
  id: number;
  case_id: number;
  from_organisation_id: number;
  to_organisation_id: number;
  status: ReferralStatus;
  referred_on: string;
  responded_on: string | null;
}

async function referralFor(tx: EntityManager, ctx: Context, id: string, side: 'from' | 'to'): Promise<ReferralRow | UserError> {
  const org = caseWorkerOrganisation(ctx)!;
  const key = fromGlobalIntId(id, 'Referral');
  const [row] = key === null ? [] : ((await tx.execute(`select *, referred_on::text as referred_on, responded_on::text as responded_on from referral where id = ? for update`, [key])) as ReferralRow[]);
  const mine = row && (side === 'from' ? row.from_organisation_id : row.to_organisation_id) === org;
  if (!mine) {
    const visible = row && (row.from_organisation_id === org || row.to_organisation_id === org);
    return visible
      ? userError('FORBIDDEN', side === 'from' ? 'Only the organisation that sent a referral may revoke it.' : 'Only the organisation a referral was sent to may answer or complete it.', ['input', 'referral'])
      : userError('NOT_FOUND', 'No referral with that ID is yours.', ['input', 'referral']);
  }
  return row;
}

/** Who owns what was read, for the audit trail. */
const caseRead = (c: Case) => ({ id: c.id, owner: c.ownerOrganisation.id });
const referralRead = (r: Referral) => ({ id: r.id, owner: r.fromOrganisation.id, recipient: r.toOrganisation.id });
const legalActionRead = (a: LegalAction) => ({ id: a.id, owner: a.organisation.id });

/** The audit record of a change to a referral, which both its sender and its recipient see. */
const referralChange = (action: string, r: ReferralRow, changed: string[]) =>
  changeRecord(action, 'Referral', r.id, changed, r.from_organisation_id, r.to_organisation_id);

const isError = (x: unknown): x is UserError => typeof x === 'object' && x !== null && 'code' in x && 'message' in x;

/** The key of a programme ID; 0 (no programme has it) for an ID that does not decode, so that it is NOT_FOUND. */
const programmeKey = (id: string | null | undefined): number | null => (id == null ? null : (fromGlobalIntId(id, 'Programme') ?? 0));

type RevokedReferral = { id: number; to_organisation_id: number };

/** Revokes the open referrals of a case that consent no longer covers; returns them. */
async function revokeUncovered(tx: EntityManager, c: CaseRow, share: boolean, services: boolean): Promise<RevokedReferral[]> {
  if (share && services) return [];
  return (await tx.execute(
    `update referral set status = 'REVOKED', reason = 'CONSENT_WITHDRAWN', closed_on = ?, version = version + 1, updated_at = now()
     where case_id = ? and status = any(?::referral_status[]) and (? or to_organisation_id <> ?) returning id, to_organisation_id`,
    [today(), c.id, pgArray(OPEN_REFERRAL_STATUSES), !services, c.owner_organisation_id],
  )) as RevokedReferral[];
}

export const caseService = {
  /** Cases the caller may see, newest first; each one returned is recorded as read. */
  async list(ctx: Context, filter: CaseFilter | null | undefined, request: PageRequest): Promise<Page<Case>> {
    const visible = visibleCasesSql(ctx);
    const where = new Conditions().add(visible.sql, ...visible.bindings);
    if (filter?.statuses) where.add('c.status = any(?::case_status[])', pgArray(filter.statuses));
    if (filter?.countries) where.add('c.country_code = any(?::text[])', pgArray(filter.countries.map((x) => x.toUpperCase())));
    const page = await sqlPage(ctx, { entity: Case, from: 'child_case c', where, key: 'c.id', keyOf: (c) => c.id, intKey: true, descending: true }, request);
    await auditReads(ctx, 'Case', page.items.map(caseRead));
    return page;
  },

  /** One case if the caller may see it (recorded as read), else null. */
  async load(ctx: Context, id: number): Promise<Case | null> {
    const visible = visibleCasesSql(ctx);
    const [row] = (await ctx.em.execute(`select c.* from child_case c where c.id = ? and ${visible.sql}`, [id, ...visible.bindings])) as Record<string, unknown>[];
    if (!row) return null;
    const found = ctx.em.map(Case, row as never);
    await auditReads(ctx, 'Case', [caseRead(found)]);
    return found;
  },

  async report(ctx: Context, input: ReportCaseInput, headerKey: string | undefined): Promise<CasePayload> {
    const org = caseWorkerOrganisation(ctx);
    if (org === null) return caseRefused(userError('FORBIDDEN', NOT_A_CASE_WORKER));
    const key = idempotencyKeyOf(input, headerKey, caseRefused);
    if (key !== null && typeof key !== 'string') return key;
    checkDistrict(input.district, input.country);
    return writeOrRefuse(ctx, (tx) =>
      idempotent<Answer<CasePayload>>(
        tx,
        ctx,
        'reportCase',
        key,
        requestHash(input),
        async () => {
          const programme = programmeKey(input.programme);
          const country = input.country.toUpperCase();
          const lane = { organisation: org, programme, country, date: input.reportedOn, dateField: 'reportedOn' } as const;
          const outside = await caseLaneError(tx, lane);
          if (outside) return caseRefused(outside);
          const other = [...new Set(input.otherExploitation ?? [])].filter((t) => t !== input.mainExploitation);
          const [created] = (await tx.execute(
            `insert into child_case (reference, owner_organisation_id, programme_id, country_code, district, reported_on, channel, main_exploitation, other_exploitation,
               sex, age_band, status, consent_to_share, consent_for_services, consent_recorded_on)
             values (?, ?, ?, ?, ?, ?, ?, ?, ?::text[], ?, ?, 'ACTIVE', ?, ?, ?) returning id`,
            [newCaseReference(), org, programme, country, input.district ?? null, input.reportedOn, input.channel, input.mainExploitation,
              pgArray(other), input.sex, input.ageBand, input.consentToShare, input.consentForServices, input.reportedOn],
          )) as { id: number }[];
          await recordAudit(tx, ctx, [changeRecord('case.create', 'Case', created.id, ['*'], org)]);
          return { caseId: created.id, userErrors: [], replayed: false };
        },
        (a) => a.caseId !== null,
        () => caseRefused(userError('IDEMPOTENCY_KEY_REUSED', 'This idempotency key was used for a different request.', ['input', 'idempotencyKey'])),
      ),
      caseRefused,
    );
  },

  async update(ctx: Context, input: UpdateCaseInput): Promise<CasePayload> {
    if (caseWorkerOrganisation(ctx) === null) return caseRefused(userError('FORBIDDEN', NOT_A_CASE_WORKER));
    return writeOrRefuse(ctx, async (tx) => {
      const c = await ownCase(tx, ctx, input.case, 'case');
      if (isError(c)) return caseRefused(c);
      checkDistrict(input.district, c.country_code);
      if (input.expectedVersion != null && input.expectedVersion !== c.version) {
        return caseRefused(userError('CONFLICT', `The case was changed since you read it (version ${c.version}); read it again and repeat your change.`, ['input', 'expectedVersion']));
      }
      const changed: string[] = [];
      const sets: string[] = [];
      const values: unknown[] = [];
      const set = (column: string, value: unknown) => {
        sets.push(`${column} = ?`);
        values.push(value);
      };
      if (input.status != null && input.status !== c.status) {
        if (!CASE_TRANSITIONS[c.status].includes(input.status)) {
          return caseRefused(userError('INVALID_TRANSITION', `A case cannot move from ${c.status} to ${input.status}.`, ['input', 'status']));
        }
        if (c.coarsened_at) return caseRefused(userError('INVALID_TRANSITION', 'The retention period of this case has ended; it cannot be reopened.', ['input', 'status']));
        set('status', input.status);
        set('closed_on', CLOSED_STATUSES.includes(input.status) ? today() : null);
        changed.push('status');
      }
      if (input.district !== undefined && input.district !== null) {
        if (c.coarsened_at) return caseRefused(userError('INVALID', 'The retention period of this case has ended; its district is no longer kept.', ['input', 'district']));
        set('district', input.district);
        changed.push('district');
      }
      const share = input.consentToShare ?? c.consent_to_share;
      const services = input.consentForServices ?? c.consent_for_services;
      if (share !== c.consent_to_share || services !== c.consent_for_services) {
        set('consent_to_share', share);
        set('consent_for_services', services);
        set('consent_recorded_on', today());
        changed.push('consent');
      }
      if (!changed.length) return { caseId: c.id, userErrors: [], replayed: false };
      await tx.execute(`update child_case set ${sets.join(', ')}, version = version + 1, updated_at = now() where id = ?`, [...values, c.id]);
      const revoked = await revokeUncovered(tx, c, share, services);
      await recordAudit(tx, ctx, [
        changeRecord('case.update', 'Case', c.id, changed, c.owner_organisation_id),
        ...revoked.map((r) => changeRecord('referral.revoke', 'Referral', r.id, ['status'], c.owner_organisation_id, r.to_organisation_id)),
      ]);
      return { caseId: c.id, userErrors: [], replayed: false };
    }, caseRefused);
  },

  async refer(ctx: Context, input: ReferCaseInput, headerKey: string | undefined): Promise<ReferralPayload> {
    if (caseWorkerOrganisation(ctx) === null) return referralRefused(userError('FORBIDDEN', NOT_A_CASE_WORKER));
    const key = idempotencyKeyOf(input, headerKey, referralRefused);
    if (key !== null && typeof key !== 'string') return key;
    const referredOn = input.referredOn ?? today();
    return writeOrRefuse(ctx, (tx) =>
      idempotent<Answer<ReferralPayload>>(
        tx,
        ctx,
        'referCase',
        key,
        // What the caller sent, not the date filled in for it: a retry after midnight is the same request.
        requestHash(input),
        async () => {
          const c = await ownCase(tx, ctx, input.case, 'case');
          if (isError(c)) return referralRefused(c);
          const bad = checkRecordDate(referredOn, 'referredOn', c.reported_on);
          if (bad) return referralRefused(bad);
          if (CLOSED_STATUSES.includes(c.status)) return referralRefused(userError('INVALID_TRANSITION', 'The case is closed; reopen it before referring the child.', ['input', 'case']));
          const providerId = fromGlobalIntId(input.provider, 'Organisation');
          const [provider] = providerId === null ? [] : ((await tx.execute('select id from organisation where id = ?', [providerId])) as { id: number }[]);
          if (!provider) return referralRefused(userError('NOT_FOUND', 'No such organisation.', ['input', 'provider']));
          if (!c.consent_for_services) {
            return referralRefused(userError('CONSENT_REQUIRED', 'The child (or guardian) has not consented to receive services; record consent on the case first.', ['input', 'case']));
          }
          if (provider.id !== c.owner_organisation_id && !c.consent_to_share) {
            return referralRefused(userError('CONSENT_REQUIRED', 'The child (or guardian) has not consented to sharing the case with other organisations; record consent on the case first.', ['input', 'case']));
          }
          const [offers] = (await tx.execute('select 1 from service_offering where organisation_id = ? and service = ? and country_code = ?', [provider.id, input.service, c.country_code])) as unknown[];
          if (!offers) return referralRefused(userError('SERVICE_NOT_OFFERED', `That organisation does not offer ${input.service.toLowerCase().replaceAll('_', ' ')} in ${c.country_code}.`, ['input', 'service']));
          const [open] = (await tx.execute(
            `select 1 from referral where case_id = ? and to_organisation_id = ? and service = ? and status = any(?::referral_status[])`,
            [c.id, provider.id, input.service, pgArray(OPEN_REFERRAL_STATUSES)],
          )) as unknown[];
          if (open) return referralRefused(userError('DUPLICATE', 'The case already has an open referral to that organisation for that service.', ['input', 'service']));
          const [created] = (await tx.execute(
            `insert into referral (case_id, from_organisation_id, to_organisation_id, service, status, referred_on) values (?, ?, ?, ?, 'IN_PROGRESS', ?) returning id`,
            [c.id, c.owner_organisation_id, provider.id, input.service, referredOn],
          )) as { id: number }[];
          await recordAudit(tx, ctx, [
            changeRecord('referral.create', 'Referral', created.id, ['*'], c.owner_organisation_id, provider.id),
            changeRecord('case.refer', 'Case', c.id, ['referrals'], c.owner_organisation_id),
          ]);
          return { referralId: created.id, userErrors: [], replayed: false };
        },
        (a) => a.referralId !== null,
        () => referralRefused(userError('IDEMPOTENCY_KEY_REUSED', 'This idempotency key was used for a different request.', ['input', 'idempotencyKey'])),
      ),
      referralRefused,
    );
  },

  async respond(ctx: Context, input: RespondToReferralInput): Promise<ReferralPayload> {
    if (caseWorkerOrganisation(ctx) === null) return referralRefused(userError('FORBIDDEN', NOT_A_CASE_WORKER));
    if (!input.accept && !input.reason) return referralRefused(userError('REASON_REQUIRED', 'Give the reason for rejecting the referral.', ['input', 'reason']));
    return writeOrRefuse(ctx, async (tx) => {
      const r = await referralFor(tx, ctx, input.referral, 'to');
      if (isError(r)) return referralRefused(r);
      if (r.status !== ReferralStatus.IN_PROGRESS) return referralRefused(userError('INVALID_TRANSITION', `The referral is ${r.status}; only a referral IN_PROGRESS can be accepted or rejected.`, ['input', 'referral']));
      const on = input.respondedOn ?? today();
      const bad = checkRecordDate(on, 'respondedOn', r.referred_on);
      if (bad) return referralRefused(bad);
      await tx.execute(`update referral set status = ?, reason = ?, responded_on = ?, version = version + 1, updated_at = now() where id = ?`, [
        input.accept ? ReferralStatus.ACCEPTED : ReferralStatus.REJECTED,
        input.accept ? null : input.reason,
        on,
        r.id,
      ]);
      await recordAudit(tx, ctx, [referralChange(input.accept ? 'referral.accept' : 'referral.reject', r, ['status'])]);
      return { referralId: r.id, userErrors: [], replayed: false };
    }, referralRefused);
  },

  async complete(ctx: Context, input: CompleteReferralInput): Promise<ReferralPayload> {
    if (caseWorkerOrganisation(ctx) === null) return referralRefused(userError('FORBIDDEN', NOT_A_CASE_WORKER));
    if (!input.successful && !input.reason) return referralRefused(userError('REASON_REQUIRED', 'Give the reason the service did not end successfully.', ['input', 'reason']));
    return writeOrRefuse(ctx, async (tx) => {
      const r = await referralFor(tx, ctx, input.referral, 'to');
      if (isError(r)) return referralRefused(r);
      if (r.status !== ReferralStatus.ACCEPTED) return referralRefused(userError('INVALID_TRANSITION', `The referral is ${r.status}; only an ACCEPTED referral can be completed.`, ['input', 'referral']));
      const on = input.completedOn ?? today();
      const bad = checkRecordDate(on, 'completedOn', r.responded_on ?? r.referred_on);
      if (bad) return referralRefused(bad);
      await tx.execute(`update referral set status = 'DONE', successful = ?, reason = ?, closed_on = ?, version = version + 1, updated_at = now() where id = ?`, [
        input.successful,
        input.successful ? null : input.reason,
        on,
        r.id,
      ]);
      await recordAudit(tx, ctx, [referralChange('referral.complete', r, ['status', 'successful'])]);
      return { referralId: r.id, userErrors: [], replayed: false };
    }, referralRefused);
  },

  async revoke(ctx: Context, input: RevokeReferralInput): Promise<ReferralPayload> {
    if (caseWorkerOrganisation(ctx) === null) return referralRefused(userError('FORBIDDEN', NOT_A_CASE_WORKER));
    return writeOrRefuse(ctx, async (tx) => {
      const r = await referralFor(tx, ctx, input.referral, 'from');
      if (isError(r)) return referralRefused(r);
      if (!OPEN_REFERRAL_STATUSES.includes(r.status)) return referralRefused(userError('INVALID_TRANSITION', `The referral is ${r.status}; only an open referral (IN_PROGRESS or ACCEPTED) can be revoked.`, ['input', 'referral']));
      await tx.execute(`update referral set status = 'REVOKED', reason = ?, closed_on = ?, version = version + 1, updated_at = now() where id = ?`, [input.reason, today(), r.id]);
      await recordAudit(tx, ctx, [referralChange('referral.revoke', r, ['status'])]);
      return { referralId: r.id, userErrors: [], replayed: false };
    }, referralRefused);
  },

  /** The referrals of a case the caller may see, for every case on a page in one statement; recorded as read. */
  async referralsOfCase(ctx: Context, caseId: number, request: PageRequest): Promise<Page<Referral>> {
    const page = await childPages(ctx, { name: 'case-referrals', entity: Referral, from: 'referral rf', alias: 'rf', parent: 'rf.case_id', key: 'rf.id', where: visibleReferralsSql(ctx), keyOf: (r) => r.id, intKey: true }, request).load(caseId);
    await auditReads(ctx, 'Referral', page.items.map(referralRead));
    return page;
  },

  /** The legal actions the caller's organisation recorded for a case, for every case on a page in one statement. */
  async legalActionsOfCase(ctx: Context, caseId: number, request: PageRequest): Promise<Page<LegalAction>> {
    const org = caseWorkerOrganisation(ctx);
    const where = org === null ? { sql: 'false', bindings: [] } : { sql: 'a.organisation_id = ?', bindings: [org] };
    const page = await childPages(ctx, { name: 'case-legal-actions', entity: LegalAction, from: 'legal_action a', alias: 'a', parent: 'a.case_id', key: 'a.id', where, keyOf: (a) => a.id, intKey: true }, request).load(caseId);
    await auditReads(ctx, 'LegalAction', page.items.map(legalActionRead));
    return page;
  },

  /** Referrals the caller sent or received; each returned is recorded as read. */
  async referrals(ctx: Context, filter: ReferralFilter | null | undefined, request: PageRequest): Promise<Page<Referral>> {
    const visible = visibleReferralsSql(ctx);
    const where = new Conditions().add(visible.sql, ...visible.bindings);
    const org = caseWorkerOrganisation(ctx);
    if (filter?.direction === ReferralDirection.SENT) where.add('rf.from_organisation_id = ?', org);
    if (filter?.direction === ReferralDirection.RECEIVED) where.add('rf.to_organisation_id = ?', org);
    if (filter?.statuses) where.add('rf.status = any(?::referral_status[])', pgArray(filter.statuses));
    const page = await sqlPage(ctx, { entity: Referral, from: 'referral rf', where, key: 'rf.id', keyOf: (r) => r.id, intKey: true, descending: true }, request);
    await auditReads(ctx, 'Referral', page.items.map(referralRead));
    return page;
  },

  async loadReferral(ctx: Context, id: number): Promise<Referral | null> {
    const visible = visibleReferralsSql(ctx);
    const [row] = (await ctx.em.execute(`select rf.* from referral rf where rf.id = ? and ${visible.sql}`, [id, ...visible.bindings])) as Record<string, unknown>[];
    if (!row) return null;
    const found = ctx.em.map(Referral, row as never);
    await auditReads(ctx, 'Referral', [referralRead(found)]);
    return found;
  },

  async recordLegalAction(ctx: Context, input: RecordLegalActionInput, headerKey: string | undefined): Promise<LegalActionPayload> {
    const org = caseWorkerOrganisation(ctx);
    if (org === null) return legalRefused(userError('FORBIDDEN', NOT_A_CASE_WORKER));
    const key = idempotencyKeyOf(input, headerKey, legalRefused);
    if (key !== null && typeof key !== 'string') return key;
    return writeOrRefuse(ctx, (tx) =>
      idempotent<Answer<LegalActionPayload>>(
        tx,
        ctx,
        'recordLegalAction',
        key,
        requestHash(input),
        async () => {
          let country = input.country?.toUpperCase() ?? null;
          let programme = programmeKey(input.programme);
          let caseId: number | null = null;
          if (input.case != null) {
            const c = await ownCase(tx, ctx, input.case, 'case');
            if (isError(c)) return legalRefused(c);
            if (country !== null && country !== c.country_code) return legalRefused(userError('INVALID', 'The country differs from the case\'s country; leave it empty.', ['input', 'country']));
            if (programme !== null && c.programme_id !== null && programme !== c.programme_id) {
              const message = 'The programme differs from the case\'s programme; leave it empty.';
              return legalRefused(userError('INVALID', message, ['input', 'programme']));
            }
            country = c.country_code;
            programme = c.programme_id ?? programme;
            caseId = c.id;
          }
          if (country === null) return legalRefused(userError('INVALID', 'Give the country, or the case it concerns.', ['input', 'country']));
          const outside = await caseLaneError(tx, { organisation: org, programme, country, date: input.actionOn, dateField: 'actionOn' });
          if (outside) return legalRefused(outside);
          const [created] = (await tx.execute(
            `insert into legal_action (organisation_id, programme_id, case_id, country_code, type, action_on) values (?, ?, ?, ?, ?, ?) returning id`,
            [org, programme, caseId, country, input.type, input.actionOn],
          )) as { id: number }[];
          await recordAudit(tx, ctx, [
            changeRecord('legalAction.create', 'LegalAction', created.id, ['*'], org),
            ...(caseId ? [changeRecord('case.legalAction', 'Case', caseId, ['legalActions'], org)] : []),
          ]);
          return { legalActionId: created.id, userErrors: [], replayed: false };
        },
        (a) => a.legalActionId !== null,
        () => legalRefused(userError('IDEMPOTENCY_KEY_REUSED', 'This idempotency key was used for a different request.', ['input', 'idempotencyKey'])),
      ),
      legalRefused,
    );
  },

  /** Legal actions recorded by the caller's organisation. */
  async legalActions(ctx: Context, request: PageRequest): Promise<Page<LegalAction>> {
    const org = caseWorkerOrganisation(ctx);
    const where = new Conditions().add(org === null ? 'false' : 'a.organisation_id = ?', ...(org === null ? [] : [org]));
    const page = await sqlPage(ctx, { entity: LegalAction, from: 'legal_action a', where, key: 'a.id', keyOf: (a) => a.id, intKey: true, descending: true }, request);
    await auditReads(ctx, 'LegalAction', page.items.map(legalActionRead));
    return page;
  },

  async loadLegalAction(ctx: Context, id: number): Promise<LegalAction | null> {
    const org = caseWorkerOrganisation(ctx);
    if (org === null) return null;
    const [row] = (await ctx.em.execute('select a.* from legal_action a where a.id = ? and a.organisation_id = ?', [id, org])) as Record<string, unknown>[];
    if (!row) return null;
    const found = ctx.em.map(LegalAction, row as never);
    await auditReads(ctx, 'LegalAction', [legalActionRead(found)]);
    return found;
  },

  /** The case of a referral, for a caller who sees the referral: read (and audited) only if the caller may see the case. */
  caseOfReferral(ctx: Context, referral: Referral): Promise<Case | null> {
    return this.load(ctx, referral.caseRecord.id);
  },
};

