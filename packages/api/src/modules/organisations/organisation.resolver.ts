import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../graphql/context.js';
import { PageArgs, pageRequest, toConnection } from '../../graphql/pagination.js';
import { Country } from '../countries/country.entity.js';
import { ProgrammeParticipantConnection } from '../programmes/programme.types.js';
import { programmeService } from '../programmes/programme.service.js';
import { Organisation } from './organisation.entity.js';
import { OrganisationConnection, OrganisationFilter } from './organisation.types.js';
import { organisationService } from './organisation.service.js';

@Resolver(() => Organisation)
export class OrganisationResolver {
  @Query(() => OrganisationConnection, { description: 'Every organisation: alliance members, local partners, donors, government bodies and companies.' })
  async organisations(
    @Args() page: PageArgs,
    @Arg('filter', () => OrganisationFilter, { nullable: true, description: 'Conditions the organisations must meet.' }) filter: OrganisationFilter | null,
    @Ctx() ctx: Context,
  ) {
    return toConnection(await organisationService.list(ctx, filter, pageRequest(page)));
  }

  @Query(() => Organisation, {
    description: 'One organisation by its code, for example `tdh-nl`. An unknown code gives a NOT_FOUND error, which empties the whole answer.',
    deprecationReason: 'Use `organisationByCode`: an unknown code answers null there, and the rest of the answer survives.',
  })
  organisation(@Arg('code', () => String, { description: 'The organisation\'s code.' }) code: string, @Ctx() ctx: Context) {
    return organisationService.byCode(ctx, code);
  }

  @Query(() => Organisation, { nullable: true, description: 'One organisation by its code, for example `tdh-nl`; null when no organisation has that code.' })
  organisationByCode(@Arg('code', () => String, { description: 'The organisation\'s code.' }) code: string, @Ctx() ctx: Context) {
    return organisationService.findByCode(ctx, code);
  }

  @FieldResolver(() => Organisation, { nullable: true, description: 'The organisation this one belongs to, for example the alliance member of a local partner.' })
  parent(@Root() org: Organisation, @Ctx() ctx: Context) {
    return organisationService.parent(ctx, org);
  }

  @FieldResolver(() => OrganisationConnection, { description: 'The organisations that belong to this one, such as its local partners.' })
  async children(@Root() org: Organisation, @Args() page: PageArgs, @Ctx() ctx: Context) {
    return toConnection(await organisationService.children(ctx, org, pageRequest(page)));
  }

  @FieldResolver(() => Country, { nullable: true, description: 'The country the organisation is based in.' })
  country(@Root() org: Organisation, @Ctx() ctx: Context) {
    return org.country ? ctx.loaders.byKey(Country, 'code').load(org.country.unwrap().code) : null;
  }

  @FieldResolver(() => ProgrammeParticipantConnection, { description: 'The programmes this organisation takes part in, with its role in each.' })
  async programmes(@Root() org: Organisation, @Args() page: PageArgs, @Ctx() ctx: Context) {
    return toConnection(await programmeService.participationsOf(ctx, org, pageRequest(page)));
  }
}
