import { Arg, Args, Ctx, FieldResolver, Float, Int, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../graphql/context.js';
import { PageArgs, pageRequest, toConnection } from '../../graphql/pagination.js';
import { Programme } from '../programmes/programme.entity.js';
import { Indicator } from '../indicators/indicator.entity.js';
import { Disaggregation } from '../indicators/disaggregation.entity.js';
import { Organisation } from '../organisations/organisation.entity.js';
import { Place } from '../places/place.entity.js';
import { Period } from '../periods/period.entity.js';
import { SourceDocument } from '../sources/source-document.entity.js';
import { analyticsFor } from '../analytics/analytics.service.js';
import { percentAchieved } from '../analytics/progress.js';
import { Result } from './result.entity.js';
import { Target } from './target.entity.js';
import { ResultFilter } from './result-filter.js';
import { ResultConnection, TargetConnection, TargetFilter } from './result.types.js';
import { resultService } from './result.service.js';

@Resolver(() => Result)
export class ResultResolver {
  @Query(() => ResultConnection, {
    description:
      'Reported figures, one by one, as the partners reported them, in every review state unless `filter.statuses` says otherwise. For totals without double counting use `analytics` or `headlineFigures`.',
  })
  async results(
    @Args() page: PageArgs,
    @Arg('filter', () => ResultFilter, { nullable: true, description: 'Conditions the figures must meet.' }) filter: ResultFilter | null,
    @Ctx() ctx: Context,
  ) {
    return toConnection(await resultService.list(ctx, filter, pageRequest(page)));
  }

  @FieldResolver(() => Programme, { description: 'The programme the figure belongs to.' })
  programme(@Root() r: Result, @Ctx() ctx: Context) {
    return ctx.loaders.byKey(Programme).load(r.programme.id);
  }

  @FieldResolver(() => Indicator, { description: 'What the figure measures.' })
  indicator(@Root() r: Result, @Ctx() ctx: Context) {
    return ctx.loaders.byKey(Indicator).load(r.indicator.id);
  }

  @FieldResolver(() => Organisation, { description: 'The organisation that reported the figure.' })
  reportingOrganisation(@Root() r: Result, @Ctx() ctx: Context) {
    return ctx.loaders.byKey(Organisation).load(r.reportingOrganisation.id);
  }

  @FieldResolver(() => Place, { description: 'The country, or group of countries, the figure is for.' })
  place(@Root() r: Result, @Ctx() ctx: Context) {
    return ctx.loaders.byKey(Place).load(r.place.id);
  }

  @FieldResolver(() => Period, { description: 'The period the figure is for.' })
  period(@Root() r: Result, @Ctx() ctx: Context) {
    return ctx.loaders.byKey(Period, 'code').load(r.period.unwrap().code);
  }

  @FieldResolver(() => Disaggregation, { nullable: true, description: 'The breakdown the figure is for, such as girls aged 10–14; empty for a figure that is not broken down.' })
  disaggregation(@Root() r: Result, @Ctx() ctx: Context) {
    return r.disaggregation ? ctx.loaders.byKey(Disaggregation).load(r.disaggregation.id) : null;
  }

  @FieldResolver(() => SourceDocument, { nullable: true, description: 'The published document the figure was taken from.' })
  sourceDocument(@Root() r: Result, @Ctx() ctx: Context) {
    return r.sourceDocument ? ctx.loaders.byKey(SourceDocument).load(r.sourceDocument.id) : null;
  }
}

@Resolver(() => Target)
export class TargetResolver {
  @Query(() => TargetConnection, {
    description: 'Targets, each with the actual value reached so far and the percentage achieved: progress against targets.',
  })
  async targets(
    @Args() page: PageArgs,
    @Arg('filter', () => TargetFilter, { nullable: true, description: 'Conditions the targets must meet.' }) filter: TargetFilter | null,
    @Ctx() ctx: Context,
  ) {
    return toConnection(await resultService.targets(ctx, filter, pageRequest(page)));
  }

  @FieldResolver(() => Programme, { description: 'The programme that set the target.' })
  programme(@Root() t: Target, @Ctx() ctx: Context) {
    return ctx.loaders.byKey(Programme).load(t.programme.id);
  }

  @FieldResolver(() => Indicator, { description: 'What the target measures.' })
  indicator(@Root() t: Target, @Ctx() ctx: Context) {
    return ctx.loaders.byKey(Indicator).load(t.indicator.id);
  }

  @FieldResolver(() => Place, { description: 'The country, or group of countries, the target is for.' })
  place(@Root() t: Target, @Ctx() ctx: Context) {
    return ctx.loaders.byKey(Place).load(t.place.id);
  }

  @FieldResolver(() => Period, { nullable: true, description: 'The period the target is for; empty when it is for the programme as a whole.' })
  period(@Root() t: Target, @Ctx() ctx: Context) {
    return t.period ? ctx.loaders.byKey(Period, 'code').load(t.period.unwrap().code) : null;
  }

  @FieldResolver(() => Disaggregation, { nullable: true, description: 'The breakdown the target is for, such as girls; empty when it is for everyone.' })
  disaggregation(@Root() t: Target, @Ctx() ctx: Context) {
    return t.disaggregation ? ctx.loaders.byKey(Disaggregation).load(t.disaggregation.id) : null;
  }

  @FieldResolver(() => SourceDocument, { nullable: true, description: 'The published document the target was taken from.' })
  sourceDocument(@Root() t: Target, @Ctx() ctx: Context) {
    return t.sourceDocument ? ctx.loaders.byKey(SourceDocument).load(t.sourceDocument.id) : null;
  }

  @FieldResolver(() => Float, {
    deprecationReason: 'Use `achieved`, which is empty instead of 0 while no figure has been reported (see `reportedFigures`).',
    description: 'As `achieved`, but 0 while no figure has been reported, which reads as "nothing achieved".',
  })
  async actual(@Root() t: Target, @Ctx() ctx: Context): Promise<number> {
    return (await analyticsFor(ctx).actualForTarget(t.id)).value;
  }

  @FieldResolver(() => Float, {
    nullable: true,
    description:
      'What was achieved towards the target: the total of the approved figures for the same programme and indicator whose place lies within the target\'s place, whose period lies within the target\'s period (any period for a whole-programme target) and whose breakdown matches, without double counting (see `countedResults`). Empty while no such figure has been reported (`reportedFigures` is 0): no figure yet, which is not the same as 0.',
  })
  async achieved(@Root() t: Target, @Ctx() ctx: Context): Promise<number | null> {
    return (await analyticsFor(ctx).actualForTarget(t.id)).achieved;
  }

  @FieldResolver(() => Int, {
    description:
      'How many approved figures lie within the target (its programme, indicator, place, period and breakdown), including those left out of `achieved` because another figure covers the same people. 0 means no figure has been reported yet.',
  })
  async reportedFigures(@Root() t: Target, @Ctx() ctx: Context): Promise<number> {
    return (await analyticsFor(ctx).actualForTarget(t.id)).reportedFigures;
  }

  @FieldResolver(() => Float, {
    nullable: true,
    description:
      'How far the target is reached, in percent (100 = reached; it can exceed 100). With a baseline, progress is measured from the baseline. Empty while no figure has been reported (`reportedFigures` is 0), and when it cannot be computed, for example for a lower-is-better indicator without a baseline.',
  })
  async percentAchieved(@Root() t: Target, @Ctx() ctx: Context): Promise<number | null> {
    const [actual, indicator] = await Promise.all([analyticsFor(ctx).actualForTarget(t.id), ctx.loaders.byKey(Indicator).load(t.indicator.id)]);
    return percentAchieved({ value: t.value, baseline: t.baseline ?? null }, actual.achieved, indicator?.ascending ?? true);
  }

  @FieldResolver(() => ResultConnection, { description: 'The figures the actual value was built from.' })
  async countedResults(@Root() t: Target, @Args() page: PageArgs, @Ctx() ctx: Context) {
    const request = pageRequest(page);
    const actual = await analyticsFor(ctx).actualForTarget(t.id);
    return toConnection(await resultService.byIds(ctx, actual.resultIds, request));
  }
}
