import { Entity, Enum, ManyToOne, OptionalProps, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { Node } from '../node/node.type.js';
import { toGlobalId } from '../node/global-id.js';
import { DisaggregationSet } from './disaggregation.entity.js';
import { IndicatorCategory, IndicatorUnit, PeriodAggregation } from './indicator.enums.js';
import { RegistryMeasure } from '../cases/case.enums.js';

@Entity({ tableName: 'indicator' })
@ObjectType({ implements: Node, description: 'Something a programme measures, for example "children trained to recognise and report sexual exploitation".' })
export class Indicator {
  [OptionalProps]?: 'nodeId';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Field(() => ID, { name: 'id', description: 'Opaque global identifier; use it with `node(id:)`.' })
  get nodeId(): string {
    return toGlobalId('Indicator', this.id);
  }

  @Property({ type: 'text', unique: true })
  @Field(() => String, { description: 'A short, stable code, for example `CHILD-AWARE-SE`.' })
  code!: string;

  @Property({ type: 'text' })
  nameEn!: string;

  @Property({ type: 'text' })
  nameNl!: string;

  @Property({ type: 'text' })
  descriptionEn!: string;

  @Property({ type: 'text' })
  descriptionNl!: string;

  @Enum({ items: () => IndicatorUnit, nativeEnumName: 'indicator_unit', index: true })
  @Field(() => IndicatorUnit, { description: 'What the indicator counts.' })
  unit!: IndicatorUnit;

  @Enum({ items: () => IndicatorCategory, nativeEnumName: 'indicator_category', index: true })
  @Field(() => IndicatorCategory, { description: 'The theme the indicator belongs to; some categories feed the headline figures.' })
  category!: IndicatorCategory;

  @Enum({ items: () => PeriodAggregation, nativeEnumName: 'period_aggregation' })
  @Field(() => PeriodAggregation, { description: 'How figures for several periods combine into one total.' })
  periodAggregation!: PeriodAggregation;

  @Property({ type: 'boolean' })
  @Field(() => Boolean, { description: 'True when a higher value is better (most indicators); false when the aim is to bring the number down.' })
  ascending!: boolean;

  @ManyToOne(() => DisaggregationSet, { ref: true, nullable: true, index: true })
  disaggregationSet?: Ref<DisaggregationSet> | null;

  @Enum({ items: () => RegistryMeasure, nativeEnumName: 'registry_measure', nullable: true, unique: true })
  @Field(() => RegistryMeasure, {
    nullable: true,
    description:
      'When set, the case registry produces this indicator\'s figures for programmes that use it; for a programme, indicator and period with a reported figure, the reported figure counts instead (never both).',
  })
  registryMeasure?: RegistryMeasure | null;
}
