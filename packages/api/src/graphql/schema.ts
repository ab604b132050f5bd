import 'reflect-metadata';
import { buildSchema } from 'type-graphql';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { NodeResolver } from '../modules/node/node.resolver.js';
import { OrganisationResolver } from '../modules/organisations/organisation.resolver.js';
import { CountryResolver } from '../modules/countries/country.resolver.js';
import { ProgrammeParticipantResolver, ProgrammeResolver } from '../modules/programmes/programme.resolver.js';
import { DisaggregationResolver, DisaggregationSetResolver, IndicatorResolver } from '../modules/indicators/indicator.resolver.js';
import { ResultResolver, TargetResolver } from '../modules/results/result.resolver.js';
import { PlaceResolver } from '../modules/places/place.resolver.js';
import { PeriodResolver } from '../modules/periods/period.resolver.js';
import { SourceDocumentResolver } from '../modules/sources/source-document.resolver.js';
import { ApiKeyResolver, MeResolver } from '../modules/access/access.resolver.js';
import { SubmissionResolver, TargetRowOutcomeResolver } from '../modules/submissions/submission.resolver.js';
import { PeriodLockResolver } from '../modules/periods/period-lock.resolver.js';
import { AuditResolver } from '../modules/audit/audit.resolver.js';
import { ReferenceDataResolver } from '../modules/reference-data/reference-data.resolver.js';
import {
  CasePayloadResolver,
  CaseResolver,
  LegalActionPayloadResolver,
  LegalActionResolver,
  ReferralPayloadResolver,
  ReferralResolver,
  ServiceOfferingResolver,
  ServiceOfferingsPayloadResolver,
} from '../modules/cases/case.resolver.js';
import { CaseStatisticsRowResolver, LegalActionStatisticsRowResolver, ReferralStatisticsRowResolver, RegistryStatisticsResolver } from '../modules/cases/statistics.resolver.js';
import { enforceAccess, uncoveredFields } from '../modules/access/access-policy.js';
import { AnalyticsRowResolver, AnalyticsTableResolver, ExcludedResultResolver } from '../modules/analytics/analytics.resolver.js';

/** The one place the GraphQL schema is built. */
export async function createSchema(): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers: [
      NodeResolver,
      OrganisationResolver,
      CountryResolver,
      ProgrammeResolver,
      ProgrammeParticipantResolver,
      IndicatorResolver,
      DisaggregationSetResolver,
      DisaggregationResolver,
      ResultResolver,
      TargetResolver,
      PlaceResolver,
      PeriodResolver,
      SourceDocumentResolver,
      AnalyticsTableResolver,
      AnalyticsRowResolver,
      ExcludedResultResolver,
      MeResolver,
      ApiKeyResolver,
      SubmissionResolver,
      TargetRowOutcomeResolver,
      PeriodLockResolver,
      AuditResolver,
      ReferenceDataResolver,
      CaseResolver,
      CasePayloadResolver,
      ReferralResolver,
      ReferralPayloadResolver,
      LegalActionResolver,
      LegalActionPayloadResolver,
      ServiceOfferingResolver,
      ServiceOfferingsPayloadResolver,
      RegistryStatisticsResolver,
      CaseStatisticsRowResolver,
      ReferralStatisticsRowResolver,
      LegalActionStatisticsRowResolver,
    ],
    // Field-level access, checked on every path to every field.
    globalMiddlewares: [enforceAccess],
    // Inputs are checked by the scalars and in the services; class-validator is not used.
    validate: false,
    emitSchemaFile: false,
  });
  schema.getQueryType()!.description =
    'Everything you can read: programmes, organisations, countries, indicators, reported figures (results), targets with progress, and totals without double counting (analytics, headline figures).';
  schema.getMutationType()!.description = 'Everything you can change. Expected refusals come back in each payload\'s `userErrors`.';
  const uncovered = uncoveredFields(schema);
  if (uncovered.length) throw new Error(`No access rule for ${uncovered.join(', ')}: add them to ACCESS_POLICY.`);
  return schema;
}

/** The schema as committed in packages/schema/schema.graphql: sorted, so the file changes only when the schema does. */
export function printSortedSchema(schema: GraphQLSchema): string {
  return printSchema(lexicographicSortSchema(schema)) + '\n';
}
