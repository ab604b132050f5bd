import { Arg, Ctx, FieldResolver, Query, Resolver, Root, type ClassType } from 'type-graphql';
import type { Context } from '../../graphql/context.js';
import { Organisation } from '../organisations/organisation.entity.js';
import { Programme } from '../programmes/programme.entity.js';
import { Country } from '../countries/country.entity.js';
import { MAXIMUM_PERTURBATION, MINIMUM_CELL_SIZE, ROUNDING_BASE } from './disclosure.js';
import { CASE_TABLE, LEGAL_ACTION_TABLE, REFERRAL_TABLE, registryStatistics } from './statistics.service.js';
import {
  CaseDimension,
  CaseStatisticsFilter,
  CaseStatisticsRow,
  CaseStatisticsTable,
  LegalActionDimension,
  LegalActionStatisticsFilter,
  LegalActionStatisticsRow,
  LegalActionStatisticsTable,
  ReferralDimension,
  ReferralStatisticsFilter,
  ReferralStatisticsRow,
  ReferralStatisticsTable,
  type StatisticsRowBase,
} from './statistics.types.js';

const PROTECTION = { minimumCellSize: MINIMUM_CELL_SIZE, roundingBase: ROUNDING_BASE, maximumPerturbation: MAXIMUM_PERTURBATION };

@Resolver()
export class RegistryStatisticsResolver {
  @Query(() => CaseStatisticsTable, {
    description:
      'Statistics of the case registry for everyone: cases reported, referred and assisted, by programme, organisation, country, year and one of exploitation type, sex, age band or days to referral. Every group the filter can have is listed; groups under 11 are left out, empty or not, and shown numbers are perturbed and rounded (see the README on privacy).',
  })
  async caseStatistics(
    @Arg('filter', () => CaseStatisticsFilter, { nullable: true, description: 'Which cases to count.' }) filter: CaseStatisticsFilter | null,
    @Arg('groupBy', () => [CaseDimension], { defaultValue: [], description: 'What to group by; the total only when empty.' }) groupBy: CaseDimension[],
    @Ctx() ctx: Context,
  ): Promise<CaseStatisticsTable> {
    const result = await registryStatistics(ctx, CASE_TABLE, filter, groupBy, {
      EXPLOITATION_TYPE: filter?.exploitationTypes,
      SEX: filter?.sexes,
      AGE_BAND: filter?.ageBands,
      DAYS_TO_REFERRAL: filter?.daysToReferral,
    });
    return { ...PROTECTION, groupBy: [...new Set(groupBy)], rows: result.rows.map((r) => new CaseStatisticsRow(r)), total: new CaseStatisticsRow(result.total) };
  }

  @Query(() => ReferralStatisticsTable, { description: 'Statistics of referrals for everyone: referrals made and services delivered, by service. Protected like `caseStatistics`.' })
  async referralStatistics(
    @Arg('filter', () => ReferralStatisticsFilter, { nullable: true, description: 'Which referrals to count.' }) filter: ReferralStatisticsFilter | null,
    @Arg('groupBy', () => [ReferralDimension], { defaultValue: [], description: 'What to group by; the total only when empty.' }) groupBy: ReferralDimension[],
    @Ctx() ctx: Context,
  ): Promise<ReferralStatisticsTable> {
    const result = await registryStatistics(ctx, REFERRAL_TABLE, filter, groupBy, { SERVICE: filter?.services });
    return { ...PROTECTION, groupBy: [...new Set(groupBy)], rows: result.rows.map((r) => new ReferralStatisticsRow(r)), total: new ReferralStatisticsRow(result.total) };
  }

  @Query(() => LegalActionStatisticsTable, { description: 'Statistics of legal actions for everyone: investigations, arrests, prosecutions, convictions and acquittals. Protected like `caseStatistics`.' })
  async legalActionStatistics(
    @Arg('filter', () => LegalActionStatisticsFilter, { nullable: true, description: 'Which legal actions to count.' }) filter: LegalActionStatisticsFilter | null,
    @Arg('groupBy', () => [LegalActionDimension], { defaultValue: [], description: 'What to group by; the total only when empty.' }) groupBy: LegalActionDimension[],
    @Ctx() ctx: Context,
  ): Promise<LegalActionStatisticsTable> {
    const result = await registryStatistics(ctx, LEGAL_ACTION_TABLE, filter, groupBy, { ACTION_TYPE: filter?.types });
    return { ...PROTECTION, groupBy: [...new Set(groupBy)], rows: result.rows.map((r) => new LegalActionStatisticsRow(r)), total: new LegalActionStatisticsRow(result.total) };
  }
}

/** The programme, organisation and country of a statistics row: the same resolvers for every row type. */
function baseDimensionResolver<T extends StatisticsRowBase>(row: ClassType<T>) {
  @Resolver(() => row)
  class BaseDimensionResolver {
    @FieldResolver(() => Programme, { nullable: true, description: 'The programme of this group, when grouped by PROGRAMME.' })
    programme(@Root() r: T, @Ctx() ctx: Context) {
      const id = r.data.keys.programmeId;
      return id == null ? null : ctx.loaders.byKey(Programme).load(id);
    }

    @FieldResolver(() => Organisation, { nullable: true, description: 'The organisation of this group, when grouped by ORGANISATION.' })
    organisation(@Root() r: T, @Ctx() ctx: Context) {
      const id = r.data.keys.organisationId;
      return id == null ? null : ctx.loaders.byKey(Organisation).load(id);
    }

    @FieldResolver(() => Country, { nullable: true, description: 'The country of this group, when grouped by COUNTRY.' })
    country(@Root() r: T, @Ctx() ctx: Context) {
      const code = r.data.keys.countryCode;
      return code == null ? null : ctx.loaders.byKey(Country, 'code').load(code);
    }
  }
  return BaseDimensionResolver;
}

export const CaseStatisticsRowResolver = baseDimensionResolver(CaseStatisticsRow);
export const ReferralStatisticsRowResolver = baseDimensionResolver(ReferralStatisticsRow);
export const LegalActionStatisticsRowResolver = baseDimensionResolver(LegalActionStatisticsRow);
