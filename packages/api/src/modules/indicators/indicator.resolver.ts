import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../graphql/context.js';
import { LanguageArgs, languageOf, localise } from '../../graphql/language.js';
import { PageArgs, pageRequest, toConnection } from '../../graphql/pagination.js';
import { Indicator } from './indicator.entity.js';
import { AgeBand, Disaggregation, DisaggregationSet } from './disaggregation.entity.js';
import { DisaggregationConnection, IndicatorConnection, IndicatorFilter } from './indicator.types.js';
import { indicatorService } from './indicator.service.js';

@Resolver(() => Indicator)
export class IndicatorResolver {
  @Query(() => IndicatorConnection, { description: 'Every indicator: the things programmes measure.' })
  async indicators(
    @Args() page: PageArgs,
    @Arg('filter', () => IndicatorFilter, { nullable: true, description: 'Conditions the indicators must meet.' }) filter: IndicatorFilter | null,
    @Ctx() ctx: Context,
  ) {
    return toConnection(await indicatorService.list(ctx, filter, pageRequest(page)));
  }

  @Query(() => Indicator, {
    description: 'One indicator by its code, for example `CTA-CHANGE-AGENTS`. An unknown code gives a NOT_FOUND error, which empties the whole answer.',
    deprecationReason: 'Use `indicatorByCode`: an unknown code answers null there, and the rest of the answer survives.',
  })
  indicator(@Arg('code', () => String, { description: 'The indicator\'s code.' }) code: string, @Ctx() ctx: Context) {
    return indicatorService.byCode(ctx, code);
  }

  @Query(() => Indicator, { nullable: true, description: 'One indicator by its code, for example `CTA-CHANGE-AGENTS`; null when no indicator has that code.' })
  indicatorByCode(@Arg('code', () => String, { description: 'The indicator\'s code.' }) code: string, @Ctx() ctx: Context) {
    return indicatorService.findByCode(ctx, code);
  }

  @FieldResolver(() => String, { description: 'The indicator\'s name.' })
  name(@Root() i: Indicator, @Args() args: LanguageArgs, @Ctx() ctx: Context): string {
    return localise(languageOf(args, ctx.language), i.nameEn, i.nameNl);
  }

  @FieldResolver(() => String, { description: 'What exactly the indicator counts.' })
  description(@Root() i: Indicator, @Args() args: LanguageArgs, @Ctx() ctx: Context): string {
    return localise(languageOf(args, ctx.language), i.descriptionEn, i.descriptionNl);
  }

  @FieldResolver(() => DisaggregationSet, { nullable: true, description: 'The breakdowns (by sex, age band) the indicator accepts; empty when figures are totals only.' })
  disaggregationSet(@Root() i: Indicator, @Ctx() ctx: Context) {
    return i.disaggregationSet ? ctx.loaders.byKey(DisaggregationSet).load(i.disaggregationSet.id) : null;
  }
}

@Resolver(() => DisaggregationSet)
export class DisaggregationSetResolver {
  @FieldResolver(() => String, { description: 'The set\'s name, for example "Children by sex and age band".' })
  name(@Root() s: DisaggregationSet, @Args() args: LanguageArgs, @Ctx() ctx: Context): string {
    return localise(languageOf(args, ctx.language), s.nameEn, s.nameNl);
  }

  @FieldResolver(() => DisaggregationConnection, { description: 'Every valid combination of the set\'s values, generated from its dimensions.' })
  async combinations(@Root() s: DisaggregationSet, @Args() page: PageArgs, @Ctx() ctx: Context) {
    return toConnection(await indicatorService.combinations(ctx, s, pageRequest(page)));
  }
}

@Resolver(() => Disaggregation)
export class DisaggregationResolver {
  @FieldResolver(() => AgeBand, { nullable: true, description: 'The age band this combination counts; empty when it covers all ages.' })
  ageBand(@Root() d: Disaggregation, @Ctx() ctx: Context) {
    return d.ageBand ? ctx.loaders.byKey(AgeBand, 'code').load(d.ageBand.unwrap().code) : null;
  }
}
