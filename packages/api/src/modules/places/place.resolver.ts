import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../../graphql/context.js';
import { Language, LanguageArgs, languageOf, localise } from '../../graphql/language.js';
import { Country } from '../countries/country.entity.js';
import { Place } from './place.entity.js';

@Resolver(() => Place)
export class PlaceResolver {
  @FieldResolver(() => String, { description: 'The place\'s countries by name, in alphabetical order, for example "Cambodia, Myanmar, Nepal and Thailand".' })
  async label(@Root() place: Place, @Args() args: LanguageArgs, @Ctx() ctx: Context): Promise<string> {
    const language = languageOf(args, ctx.language);
    const countries = await ctx.loaders.byKey(Country, 'code').loadMany(place.countryCodes);
    const names = countries
      .map((c, i) => (c instanceof Country ? localise(language, c.nameEn, c.nameNl) : place.countryCodes[i]))
      .sort((a, b) => a.localeCompare(b, language === Language.NL ? 'nl' : 'en'));
    if (names.length === 1) return names[0];
    return `${names.slice(0, -1).join(', ')} ${language === Language.NL ? 'en' : 'and'} ${names[names.length - 1]}`;
  }
}
