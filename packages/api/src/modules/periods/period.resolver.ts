import { FieldResolver, Resolver, Root } from 'type-graphql';
import { Period } from './period.entity.js';
import { parsePeriodCode, periodLabel } from './period-code.js';

@Resolver(() => Period)
export class PeriodResolver {
  @FieldResolver(() => String, { description: 'A readable name for the period, for example "January–June 2017".' })
  label(@Root() period: Period): string {
    const parsed = parsePeriodCode(period.code);
    return parsed ? periodLabel(parsed) : period.code;
  }
}
