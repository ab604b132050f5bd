import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { Connection } from '../../graphql/pagination.js';
import { Indicator } from './indicator.entity.js';
import { Disaggregation } from './disaggregation.entity.js';
import { IndicatorCategory, IndicatorUnit } from './indicator.enums.js';

@ObjectType({ description: 'A page of indicators.' })
export class IndicatorConnection extends Connection(Indicator, 'indicators') {}

@ObjectType({ description: 'A page of breakdown combinations.' })
export class DisaggregationConnection extends Connection(Disaggregation, 'combinations') {}

@InputType({ description: 'Narrows down the list of indicators. All given conditions must hold; within a list, any value matches.' })
export class IndicatorFilter {
  @Field(() => [ID], { nullable: true, description: 'Only indicators these programmes report on, by ID or by code (for example `down-to-zero`).' })
  programmes?: string[] | null;

  @Field(() => [IndicatorCategory], { nullable: true, description: 'Only indicators in these categories.' })
  categories?: IndicatorCategory[] | null;

  @Field(() => [IndicatorUnit], { nullable: true, description: 'Only indicators that count these units.' })
  units?: IndicatorUnit[] | null;
}
