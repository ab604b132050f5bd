import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { CountryCodeResolver } from 'graphql-scalars';
import type { Context } from '../../graphql/context.js';
import { LanguageArgs, languageOf, localise } from '../../graphql/language.js';
import { PageArgs, pageRequest, toConnection } from '../../graphql/pagination.js';
import { Country } from './country.entity.js';
import { CountryConnection } from './country.types.js';
import { countryService } from './country.service.js';
import { ProgrammeConnection } from '../programmes/programme.types.js';
import { programmeService } from '../programmes/programme.service.js';
import { Subdivision, subdivisionsOf } from './subdivision.js';

@Resolver(() => Country)
export class CountryResolver {
  @Query(() => CountryConnection, { description: 'Every country in ISO 3166-1, ordered by code.' })
  async countries(
    @Args() page: PageArgs,
    @Arg('region', () => String, { nullable: true, description: 'Only countries in this region, for example `Asia` or `Americas`.' }) region: string | null,
    @Ctx() ctx: Context,
  ) {
    return toConnection(await countryService.list(ctx, region, pageRequest(page)));
  }

  @Query(() => Country, { description: 'One country by its ISO 3166-1 alpha-2 code, for example `BD`.' })
  country(@Arg('code', () => CountryCodeResolver, { description: 'The two-letter country code.' }) code: string, @Ctx() ctx: Context) {
    return countryService.byCode(ctx, code);
  }

  @FieldResolver(() => String, { description: 'The country\'s common name, for example "Bangladesh".' })
  name(@Root() country: Country, @Args() args: LanguageArgs, @Ctx() ctx: Context): string {
    return localise(languageOf(args, ctx.language), country.nameEn, country.nameNl);
  }

  @FieldResolver(() => ProgrammeConnection, { description: 'The programmes working in this country.' })
  async programmes(@Root() country: Country, @Args() page: PageArgs, @Ctx() ctx: Context) {
    return toConnection(await programmeService.inCountry(ctx, country, pageRequest(page)));
  }

  @FieldResolver(() => [Subdivision], { description: 'The country\'s ISO 3166-2 subdivisions (every level, for example Bangladesh\'s ' +
    'divisions and its 64 districts), ordered by code: the codes a case\'s `district` takes.' })
  subdivisions(@Root() country: Country): Subdivision[] {
    return subdivisionsOf(country.code);
  }
}
