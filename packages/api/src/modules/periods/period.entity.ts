import { Check, Entity, Enum, Index, OptionalProps, PrimaryKey, PrimaryKeyProp, Property } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { Node } from '../node/node.type.js';
import { toGlobalId } from '../node/global-id.js';
import { PeriodType } from './period-code.js';
import './period.enums.js';

/** A reporting period; rows are created when a figure or target first uses the period. */
@Entity({ tableName: 'period' })
@Check({ name: 'period_dates_ordered', expression: 'start_date <= end_date' })
@Index({ properties: ['startDate', 'endDate'] })
@ObjectType({ implements: Node, description: 'A reporting period, such as the year 2017 or the first half of 2017.' })
export class Period {
  [PrimaryKeyProp]?: 'code';
  [OptionalProps]?: 'nodeId';

  @PrimaryKey({ type: 'string', length: 9 })
  @Field(() => String, {
    description: 'The period code: `2017` (year), `2017S1` (half year), `2017Q2` (quarter), `2017-05` (month) or `2016/2020` (several years).',
  })
  code!: string;

  @Field(() => ID, { name: 'id', description: 'Opaque global identifier; use it with `node(id:)`.' })
  get nodeId(): string {
    return toGlobalId('Period', this.code);
  }

  @Enum({ items: () => PeriodType, nativeEnumName: 'period_type' })
  @Field(() => PeriodType, { description: 'How long the period is.' })
  type!: PeriodType;

  @Property({ type: 'date' })
  @Field(() => String, { description: 'The first day of the period (ISO date).' })
  startDate!: string;

  @Property({ type: 'date' })
  @Field(() => String, { description: 'The last day of the period (ISO date, inclusive).' })
  endDate!: string;
}
