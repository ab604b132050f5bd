import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../../graphql/context.js';
import { Language, LanguageArgs, languageOf } from '../../graphql/language.js';
import { Period } from './period.entity.js';
import { parsePeriodCode, periodLabel } from './period-code.js';

@Resolver(() => Period)
export class PeriodResolver {
  @FieldResolver(() => String, { description: 'A readable name for the period, for example "January–June 2017".' })
  label(@Root() period: Period, @Args() args: LanguageArgs, @Ctx() ctx: Context): string {
    const parsed = parsePeriodCode(period.code);
    return parsed ? periodLabel(parsed, languageOf(args, ctx.language) === Language.NL ? 'nl' : 'en') : period.code;
  }
}
