import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { CountryCodeResolver } from 'graphql-scalars';
import { Connection } from '../../graphql/pagination.js';
import { PeriodCodeScalar } from '../periods/period.scalar.js';
import { IndicatorCategory } from '../indicators/indicator.enums.js';
import { Result } from './result.entity.js';
import { Target } from './target.entity.js';

@ObjectType({ description: 'A page of reported figures.' })
export class ResultConnection extends Connection(Result, 'results') {}

@ObjectType({ description: 'A page of targets.' })
export class TargetConnection extends Connection(Target, 'targets') {}

@InputType({ description: 'Narrows down targets. All given conditions must hold; within a list, any value matches.' })
export class TargetFilter {
  @Field(() => [ID], { nullable: true, description: 'Only targets of these programmes, by ID or by code (for example `down-to-zero`).' })
  programmes?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'Only targets for these indicators, by ID or by code (for example `CTA-CHANGE-AGENTS`).' })
  indicators?: string[] | null;

  @Field(() => [IndicatorCategory], { nullable: true, description: 'Only targets for indicators in these categories.' })
  categories?: IndicatorCategory[] | null;

  @Field(() => [CountryCodeResolver], {
    nullable: true,
    description: 'Only targets whose place lies wholly within these countries. A target for a group of countries matches only when every country of the group is listed.',
  })
  countries?: string[] | null;

  @Field(() => PeriodCodeScalar, { nullable: true, description: 'Only targets for periods that start on or after the start of this period, for example `2017`.' })
  periodFrom?: string | null;

  @Field(() => PeriodCodeScalar, { nullable: true, description: 'Only targets for periods that end on or before the end of this period.' })
  periodTo?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    defaultValue: true,
    description: 'Whether to include targets set for a programme as a whole (without a period). They are included by default, also when a period range is given.',
  })
  includeWholeProgramme?: boolean | null;
}
