import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../graphql/context.js';
import { PageArgs, pageRequest, toConnection } from '../../graphql/pagination.js';
import { pageOfArray } from '../../graphql/batch.js';
import { Place } from '../places/place.entity.js';
import { Organisation } from '../organisations/organisation.entity.js';
import { Programme } from '../programmes/programme.entity.js';
import { Period } from '../periods/period.entity.js';
import { Indicator } from '../indicators/indicator.entity.js';
import { AgeBand } from '../indicators/disaggregation.entity.js';
import { Result } from '../results/result.entity.js';
import { ResultFilter } from '../results/result-filter.js';
import { ResultConnection } from '../results/result.types.js';
import { resultService } from '../results/result.service.js';
import { AnalyticsDimension } from './analytics.enums.js';
import { AnalyticsRow, AnalyticsRowConnection, AnalyticsTable, ExcludedResult, ExcludedResultConnection, HeadlineFigures, INCLUDE_SYNTHETIC_DESCRIPTION } from './analytics.types.js';
import { analyticsService } from './analytics.service.js';

const FILTER_DESCRIPTION =
  'Which figures to count. Only `APPROVED` figures are counted unless `statuses` says otherwise.';

@Resolver(() => AnalyticsTable)
export class AnalyticsTableResolver {
  @Query(() => AnalyticsTable, {
    description:
      'Totals of reported figures, grouped by any of country, organisation, programme, period, indicator, category, sex and age band, without double counting. Figures counting different things (children, families, …) are never added: a group over several units has one row per unit, and the total is then empty.',
  })
  analytics(
    @Arg('filter', () => ResultFilter, { nullable: true, description: FILTER_DESCRIPTION }) filter: ResultFilter | null,
    @Arg('groupBy', () => [AnalyticsDimension], { defaultValue: [], description: 'The dimensions to group by; none gives one row with the total.' })
    groupBy: AnalyticsDimension[],
    @Ctx() ctx: Context,
  ) {
    return analyticsService.table(ctx, filter, groupBy);
  }

  @Query(() => HeadlineFigures, { description: 'The alliance\'s headline figures: children reached, families supported, officials trained, prosecutions and victims assisted.' })
  headlineFigures(
    @Arg('filter', () => ResultFilter, { nullable: true, description: FILTER_DESCRIPTION }) filter: ResultFilter | null,
    @Arg('includeSyntheticRegistry', () => Boolean, { defaultValue: false, description: INCLUDE_SYNTHETIC_DESCRIPTION }) includeSynthetic: boolean,
    @Ctx() ctx: Context,
  ) {
    return analyticsService.headlineFigures(ctx, filter, undefined, includeSynthetic);
  }

  @FieldResolver(() => AnalyticsRowConnection, {
    description: 'The groups, largest total first. Figures counting different things are never added: a group whose figures count several units (children and families, say) has one row per unit, each with its `unit`.',
  })
  rows(@Root() table: AnalyticsTable, @Args() page: PageArgs) {
    return toConnection(pageOfArray(table.table.rows.map((g) => new AnalyticsRow(g)), pageRequest(page)));
  }

  @FieldResolver(() => ExcludedResultConnection, {
    description: 'The figures that matched the filter but were left out of the totals because another counted figure covers the same people, each with that figure.',
  })
  async excludedResults(@Root() table: AnalyticsTable, @Args() page: PageArgs, @Ctx() ctx: Context) {
    const request = pageRequest(page);
    const excluded = await analyticsService.excluded(ctx, table.filter);
    return toConnection(pageOfArray(excluded.map((e) => new ExcludedResult(e.resultId, e.countedInsteadId, e.reason as ExcludedResult['reason'])), request));
  }
}

@Resolver(() => AnalyticsRow)
export class AnalyticsRowResolver {
  @FieldResolver(() => Place, { nullable: true, description: 'The country or group of countries of this group, when grouped by COUNTRY.' })
  place(@Root() row: AnalyticsRow, @Ctx() ctx: Context) {
    return row.group.keys.place_id != null ? ctx.loaders.byKey(Place).load(row.group.keys.place_id) : null;
  }

  @FieldResolver(() => Organisation, { nullable: true, description: 'The reporting organisation of this group, when grouped by ORGANISATION.' })
  organisation(@Root() row: AnalyticsRow, @Ctx() ctx: Context) {
    return row.group.keys.organisation_id != null ? ctx.loaders.byKey(Organisation).load(row.group.keys.organisation_id) : null;
  }

  @FieldResolver(() => Programme, { nullable: true, description: 'The programme of this group, when grouped by PROGRAMME.' })
  programme(@Root() row: AnalyticsRow, @Ctx() ctx: Context) {
    return row.group.keys.programme_id != null ? ctx.loaders.byKey(Programme).load(row.group.keys.programme_id) : null;
  }

  @FieldResolver(() => Period, { nullable: true, description: 'The period of this group, when grouped by PERIOD.' })
  period(@Root() row: AnalyticsRow, @Ctx() ctx: Context) {
    return row.group.keys.period_code != null ? ctx.loaders.byKey(Period, 'code').load(row.group.keys.period_code) : null;
  }

  @FieldResolver(() => Indicator, { nullable: true, description: 'The indicator of this group, when grouped by INDICATOR.' })
  indicator(@Root() row: AnalyticsRow, @Ctx() ctx: Context) {
    return row.group.keys.indicator_id != null ? ctx.loaders.byKey(Indicator).load(row.group.keys.indicator_id) : null;
  }

  @FieldResolver(() => AgeBand, { nullable: true, description: 'The age band of this group, when grouped by AGE_BAND; empty for figures not broken down by age.' })
  ageBand(@Root() row: AnalyticsRow, @Ctx() ctx: Context) {
    return row.group.keys.age_band_code != null ? ctx.loaders.byKey(AgeBand, 'code').load(row.group.keys.age_band_code) : null;
  }

  @FieldResolver(() => ResultConnection, { description: 'The figures this total was built from: each counted once, none overlapping another.' })
  async countedResults(@Root() row: AnalyticsRow, @Args() page: PageArgs, @Ctx() ctx: Context) {
    return toConnection(await resultService.byIds(ctx, row.group.resultIds, pageRequest(page)));
  }
}

@Resolver(() => ExcludedResult)
export class ExcludedResultResolver {
  @FieldResolver(() => Result, { description: 'The figure that was left out.' })
  result(@Root() e: ExcludedResult, @Ctx() ctx: Context) {
    return resultService.load(ctx, e.resultId);
  }

  @FieldResolver(() => Result, { description: 'The figure counted instead, which covers the same people.' })
  countedInstead(@Root() e: ExcludedResult, @Ctx() ctx: Context) {
    return resultService.load(ctx, e.countedInsteadId);
  }
}
