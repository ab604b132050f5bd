import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../graphql/context.js';
import { LanguageArgs, languageOf, localise } from '../../graphql/language.js';
import { PageArgs, pageRequest, toConnection } from '../../graphql/pagination.js';
import { Organisation } from '../organisations/organisation.entity.js';
import { CountryConnection } from '../countries/country.types.js';
import { IndicatorConnection } from '../indicators/indicator.types.js';
import { ResultFilter } from '../results/result-filter.js';
import { ResultConnection, TargetConnection, TargetFilter } from '../results/result.types.js';
import { resultService } from '../results/result.service.js';
import { HeadlineFigures, INCLUDE_SYNTHETIC_DESCRIPTION } from '../analytics/analytics.types.js';
import { analyticsService } from '../analytics/analytics.service.js';
import { ProgrammePeriodConnection } from '../periods/period-lock.types.js';
import { periodLockService } from '../periods/period-lock.service.js';
import { Programme, ProgrammeParticipant } from './programme.entity.js';
import { ParticipantRole } from './programme.enums.js';
import { ProgrammeConnection, ProgrammeFilter, ProgrammeParticipantConnection } from './programme.types.js';
import { programmeService } from './programme.service.js';

@Resolver(() => Programme)
export class ProgrammeResolver {
  @Query(() => ProgrammeConnection, { description: 'Every programme of the alliance and its members.' })
  async programmes(
    @Args() page: PageArgs,
    @Arg('filter', () => ProgrammeFilter, { nullable: true, description: 'Conditions the programmes must meet.' }) filter: ProgrammeFilter | null,
    @Ctx() ctx: Context,
  ) {
    return toConnection(await programmeService.list(ctx, filter, pageRequest(page)));
  }

  @Query(() => Programme, {
    description: 'One programme by its code, for example `down-to-zero`. An unknown code gives a NOT_FOUND error, which empties the whole answer.',
    deprecationReason: 'Use `programmeByCode`: an unknown code answers null there, and the rest of the answer survives.',
  })
  programme(@Arg('code', () => String, { description: 'The programme\'s code.' }) code: string, @Ctx() ctx: Context) {
    return programmeService.byCode(ctx, code);
  }

  @Query(() => Programme, { nullable: true, description: 'One programme by its code, for example `down-to-zero`; null when no programme has that code.' })
  programmeByCode(@Arg('code', () => String, { description: 'The programme\'s code.' }) code: string, @Ctx() ctx: Context) {
    return programmeService.findByCode(ctx, code);
  }

  @FieldResolver(() => String, { description: 'The programme\'s name.' })
  name(@Root() p: Programme, @Args() args: LanguageArgs, @Ctx() ctx: Context): string {
    return localise(languageOf(args, ctx.language), p.nameEn, p.nameNl);
  }

  @FieldResolver(() => String, { description: 'What the programme does, where and with whom, in a few sentences.' })
  description(@Root() p: Programme, @Args() args: LanguageArgs, @Ctx() ctx: Context): string {
    return localise(languageOf(args, ctx.language), p.descriptionEn, p.descriptionNl);
  }

  @FieldResolver(() => Organisation, { description: 'The organisation that leads the programme.' })
  leadOrganisation(@Root() p: Programme, @Ctx() ctx: Context) {
    return ctx.loaders.byKey(Organisation).load(p.leadOrganisation.id);
  }

  @FieldResolver(() => ProgrammeParticipantConnection, { description: 'The organisations taking part, with their roles: lead, members, implementing partners, donors.' })
  async participants(
    @Root() p: Programme,
    @Args() page: PageArgs,
    @Arg('role', () => ParticipantRole, { nullable: true, description: 'Only participants with this role, for example `DONOR`.' }) role: ParticipantRole | null,
    @Ctx() ctx: Context,
  ) {
    return toConnection(await programmeService.participants(ctx, p, role, pageRequest(page)));
  }

  @FieldResolver(() => CountryConnection, { description: 'The countries the programme works in.' })
  async countries(@Root() p: Programme, @Args() page: PageArgs, @Ctx() ctx: Context) {
    return toConnection(await programmeService.countries(ctx, p, pageRequest(page)));
  }

  @FieldResolver(() => IndicatorConnection, { description: 'The indicators the programme reports on.' })
  async indicators(@Root() p: Programme, @Args() page: PageArgs, @Ctx() ctx: Context) {
    return toConnection(await programmeService.indicators(ctx, p, pageRequest(page)));
  }

  @FieldResolver(() => TargetConnection, { description: 'The programme\'s targets, each with its actual value and percentage achieved.' })
  async targets(
    @Root() p: Programme,
    @Args() page: PageArgs,
    @Arg('filter', () => TargetFilter, { nullable: true, description: 'Conditions the targets must meet.' }) filter: TargetFilter | null,
    @Ctx() ctx: Context,
  ) {
    return toConnection(await resultService.targetsOfProgramme(ctx, p.id, filter, pageRequest(page)));
  }

  @FieldResolver(() => ResultConnection, { description: 'The figures reported for the programme, one by one.' })
  async results(
    @Root() p: Programme,
    @Args() page: PageArgs,
    @Arg('filter', () => ResultFilter, { nullable: true, description: 'Conditions the figures must meet.' }) filter: ResultFilter | null,
    @Ctx() ctx: Context,
  ) {
    return toConnection(await resultService.ofProgramme(ctx, p.id, filter, pageRequest(page)));
  }

  @FieldResolver(() => ProgrammePeriodConnection, { description: 'The periods the programme has figures, targets or a closing date for, and whether each is still open.' })
  async periods(@Root() p: Programme, @Args() page: PageArgs, @Ctx() ctx: Context) {
    return toConnection(await periodLockService.periodsOf(ctx, p.id, pageRequest(page)));
  }

  @FieldResolver(() => HeadlineFigures, { description: 'The programme\'s headline figures, without double counting.' })
  headlineFigures(
    @Root() p: Programme,
    @Arg('filter', () => ResultFilter, { nullable: true, description: 'Conditions the counted figures must meet, for example a period range.' }) filter: ResultFilter | null,
    @Arg('includeSyntheticRegistry', () => Boolean, { defaultValue: false, description: INCLUDE_SYNTHETIC_DESCRIPTION }) includeSynthetic: boolean,
    @Ctx() ctx: Context,
  ) {
    return analyticsService.headlineFigures(ctx, filter, p.id, includeSynthetic);
  }
}

@Resolver(() => ProgrammeParticipant)
export class ProgrammeParticipantResolver {
  @FieldResolver(() => Programme, { description: 'The programme.' })
  programme(@Root() pp: ProgrammeParticipant, @Ctx() ctx: Context) {
    return ctx.loaders.byKey(Programme).load(pp.programme.id);
  }

  @FieldResolver(() => Organisation, { description: 'The organisation taking part.' })
  organisation(@Root() pp: ProgrammeParticipant, @Ctx() ctx: Context) {
    return ctx.loaders.byKey(Organisation).load(pp.organisation.id);
  }
}
