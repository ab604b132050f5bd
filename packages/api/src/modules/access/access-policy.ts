import type { GraphQLSchema } from 'graphql';
import { isIntrospectionType, isObjectType } from 'graphql';
import type { MiddlewareFn } from 'type-graphql';
import type { Context } from '../../graphql/context.js';
import { ForbiddenError, UnauthenticatedError } from '../../graphql/errors.js';
import { ADMINS, CASE_WORKERS, Role, WRITERS } from './role.enums.js';
import { KEY_MANAGERS } from './grants.js';
import type { Principal } from './principal.js';

/** Who reads the audit trail: which entries, by whose record they are, is decided in the audit service. */
const AUDIT_READERS: readonly Role[] = [...ADMINS, ...CASE_WORKERS];

/** Who may resolve a field: anyone, any holder of a valid key, or holders of certain roles. */
export type Access = 'PUBLIC' | 'SIGNED_IN' | readonly Role[];

/**
 * The one table of field-level access. Every field of the schema is covered: by its own entry
 * (`Type.field`) or by its type's entry (`Type`). Query and Mutation fields need their own entry.
 * Which records a caller sees (its lane, published or not) is decided in the services.
 * A schema with a field this table does not cover does not start.
 */
export const ACCESS_POLICY: Record<string, Access> = {
  // Reference data and published, aggregate figures are public.
  'Query.node': 'PUBLIC',
  'Query.nodes': 'PUBLIC',
  'Query.organisations': 'PUBLIC',
  'Query.organisation': 'PUBLIC',
  'Query.organisationByCode': 'PUBLIC',
  'Query.programmes': 'PUBLIC',
  'Query.programme': 'PUBLIC',
  'Query.programmeByCode': 'PUBLIC',
  'Query.countries': 'PUBLIC',
  'Query.country': 'PUBLIC',
  'Query.indicators': 'PUBLIC',
  'Query.indicator': 'PUBLIC',
  'Query.indicatorByCode': 'PUBLIC',
  'Query.results': 'PUBLIC',
  'Query.targets': 'PUBLIC',
  'Query.analytics': 'PUBLIC',
  'Query.headlineFigures': 'PUBLIC',
  'Query.me': 'PUBLIC',
  'Query.apiKeys': KEY_MANAGERS,
  'Mutation.createApiKey': KEY_MANAGERS,
  'Mutation.revokeApiKey': KEY_MANAGERS,
  'Mutation.submitResults': WRITERS,
  // Which programmes' targets a partner admin may set is decided in the service (its lead organisation's lane).
  'Mutation.submitTargets': ADMINS,
  // Who may take which review step is decided per step in the review service.
  'Mutation.reviewResults': WRITERS,
  'Mutation.lockPeriod': [Role.ALLIANCE_ADMIN],
  'Mutation.unlockPeriod': [Role.ALLIANCE_ADMIN],
  'Query.auditEntries': AUDIT_READERS,
  // Partner admins register and edit their local partners (checked in the service); the rest is for alliance admins.
  'Mutation.createOrganisation': ADMINS,
  'Mutation.updateOrganisation': ADMINS,
  'Mutation.saveProgramme': [Role.ALLIANCE_ADMIN],
  'Mutation.saveIndicator': [Role.ALLIANCE_ADMIN],
  'Mutation.saveDisaggregationSet': [Role.ALLIANCE_ADMIN],

  AgeBand: 'PUBLIC',
  AnalyticsRow: 'PUBLIC',
  AnalyticsRowConnection: 'PUBLIC',
  AnalyticsRowEdge: 'PUBLIC',
  AnalyticsTable: 'PUBLIC',
  Country: 'PUBLIC',
  CountryConnection: 'PUBLIC',
  CountryEdge: 'PUBLIC',
  Subdivision: 'PUBLIC',
  Disaggregation: 'PUBLIC',
  DisaggregationConnection: 'PUBLIC',
  DisaggregationEdge: 'PUBLIC',
  DisaggregationSet: 'PUBLIC',
  ExcludedResult: 'PUBLIC',
  ExcludedResultConnection: 'PUBLIC',
  ExcludedResultEdge: 'PUBLIC',
  HeadlineFigures: 'PUBLIC',
  Indicator: 'PUBLIC',
  IndicatorConnection: 'PUBLIC',
  IndicatorEdge: 'PUBLIC',
  Organisation: 'PUBLIC',
  OrganisationConnection: 'PUBLIC',
  OrganisationEdge: 'PUBLIC',
  PageInfo: 'PUBLIC',
  Period: 'PUBLIC',
  Place: 'PUBLIC',
  Programme: 'PUBLIC',
  ProgrammeConnection: 'PUBLIC',
  ProgrammeEdge: 'PUBLIC',
  ProgrammeParticipant: 'PUBLIC',
  ProgrammeParticipantConnection: 'PUBLIC',
  ProgrammeParticipantEdge: 'PUBLIC',
  Result: 'PUBLIC',
  ResultConnection: 'PUBLIC',
  ResultEdge: 'PUBLIC',
  SourceDocument: 'PUBLIC',
  Target: 'PUBLIC',
  TargetConnection: 'PUBLIC',
  TargetEdge: 'PUBLIC',
  UserError: 'PUBLIC',

  // Who the caller is: anyone may ask; an anonymous caller learns only that.
  Me: 'PUBLIC',
  // Keys are reached only through `me` (one's own key) and the key managers' queries and mutations (which keys: grants.ts).
  ApiKey: 'SIGNED_IN',
  ApiKeyConnection: KEY_MANAGERS,
  ApiKeyEdge: KEY_MANAGERS,
  CreateApiKeyPayload: KEY_MANAGERS,
  RevokeApiKeyPayload: KEY_MANAGERS,

  SubmitResultsPayload: WRITERS,
  ResultRowOutcome: WRITERS,
  ReviewResultsPayload: WRITERS,
  SubmitTargetsPayload: ADMINS,
  TargetRowOutcome: ADMINS,
  ProgrammePeriod: 'PUBLIC',
  ProgrammePeriodConnection: 'PUBLIC',
  ProgrammePeriodEdge: 'PUBLIC',
  PeriodLockPayload: [Role.ALLIANCE_ADMIN],
  OrganisationPayload: ADMINS,
  ProgrammePayload: [Role.ALLIANCE_ADMIN],
  IndicatorPayload: [Role.ALLIANCE_ADMIN],
  DisaggregationSetPayload: [Role.ALLIANCE_ADMIN],
  // The audit trail: admins see entries about their lane's records, case workers about their organisation's case work.
  AuditEntry: AUDIT_READERS,
  AuditEntryConnection: AUDIT_READERS,
  AuditEntryEdge: AUDIT_READERS,

  // The case registry. Records: case workers only (which records, in the case service: their organisation's own
  // cases and those referred to it; never admins). Statistics: everyone, protected in modules/cases/disclosure.ts.
  'Query.cases': CASE_WORKERS,
  'Query.case': CASE_WORKERS,
  'Query.referrals': CASE_WORKERS,
  'Query.legalActions': CASE_WORKERS,
  'Mutation.reportCase': CASE_WORKERS,
  'Mutation.updateCase': CASE_WORKERS,
  'Mutation.referCase': CASE_WORKERS,
  'Mutation.respondToReferral': CASE_WORKERS,
  'Mutation.completeReferral': CASE_WORKERS,
  'Mutation.revokeReferral': CASE_WORKERS,
  'Mutation.recordLegalAction': CASE_WORKERS,
  Case: CASE_WORKERS,
  CaseConnection: CASE_WORKERS,
  CaseEdge: CASE_WORKERS,
  CasePayload: CASE_WORKERS,
  Referral: CASE_WORKERS,
  ReferralConnection: CASE_WORKERS,
  ReferralEdge: CASE_WORKERS,
  ReferralPayload: CASE_WORKERS,
  LegalAction: CASE_WORKERS,
  LegalActionConnection: CASE_WORKERS,
  LegalActionEdge: CASE_WORKERS,
  LegalActionPayload: CASE_WORKERS,
  'Query.caseStatistics': 'PUBLIC',
  'Query.referralStatistics': 'PUBLIC',
  'Query.legalActionStatistics': 'PUBLIC',
  CaseStatisticsTable: 'PUBLIC',
  CaseStatisticsRow: 'PUBLIC',
  ReferralStatisticsTable: 'PUBLIC',
  ReferralStatisticsRow: 'PUBLIC',
  LegalActionStatisticsTable: 'PUBLIC',
  LegalActionStatisticsRow: 'PUBLIC',
  ProtectedCount: 'PUBLIC',
  FigureShare: 'PUBLIC',
  // Service providers are public reference data; admins set them (partner admins for their lane, in the service).
  'Query.serviceOfferings': 'PUBLIC',
  'Mutation.setServiceOfferings': ADMINS,
  ServiceOffering: 'PUBLIC',
  ServiceOfferingConnection: 'PUBLIC',
  ServiceOfferingEdge: 'PUBLIC',
  ServiceOfferingsPayload: ADMINS,
};

/** The rule for one field, or undefined when the table does not cover it. */
export function accessFor(typeName: string, fieldName: string): Access | undefined {
  const own = ACCESS_POLICY[`${typeName}.${fieldName}`];
  if (own !== undefined) return own;
  if (typeName === 'Query' || typeName === 'Mutation') return undefined;
  return ACCESS_POLICY[typeName];
}

/** Whether a caller may resolve a field with this rule. */
export function allows(access: Access, principal: Principal): boolean {
  if (access === 'PUBLIC') return true;
  if (principal.kind !== 'apiKey') return false;
  if (access === 'SIGNED_IN') return true;
  return access.includes(principal.role);
}

/** Every object field the policy does not cover (the schema refuses to start with any). */
export function uncoveredFields(schema: GraphQLSchema): string[] {
  const missing: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || isIntrospectionType(type)) continue;
    for (const field of Object.keys(type.getFields())) {
      if (accessFor(type.name, field) === undefined) missing.push(`${type.name}.${field}`);
    }
  }
  return missing;
}

/** Runs before every field's resolver: the same rule whichever path reaches the field. */
export const enforceAccess: MiddlewareFn<Context> = ({ info, context }, next) => {
  const access = accessFor(info.parentType.name, info.fieldName);
  if (access === undefined || !allows(access, context.principal)) {
    throw context.principal.kind === 'apiKey' ? new ForbiddenError() : new UnauthenticatedError();
  }
  return next();
};
