import { Entity, Enum, ManyToOne, OptionalProps, PrimaryKey, PrimaryKeyProp, Property, Unique, type Ref } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Node } from '../node/node.type.js';
import { toGlobalId } from '../node/global-id.js';
import { DisaggregationDimension, Sex } from './disaggregation.enums.js';

@Entity({ tableName: 'age_band' })
@ObjectType({ description: 'An age band used to break figures down, for example 10–14 years.' })
export class AgeBand {
  [PrimaryKeyProp]?: 'code';

  @PrimaryKey({ type: 'text' })
  @Field(() => String, { description: 'The age band\'s code, for example `10-14` or `18+`.' })
  code!: string;

  @Property({ type: 'integer' })
  @Field(() => Int, { description: 'The youngest age in the band, in whole years.' })
  minAge!: number;

  @Property({ type: 'integer', nullable: true })
  @Field(() => Int, { nullable: true, description: 'The oldest age in the band, in whole years; empty for an open-ended band such as 18+.' })
  maxAge?: number | null;
}

/**
 * The breakdowns an indicator accepts. A set that has data is never edited in place:
 * a new version is created, so old figures keep their meaning.
 */
@Entity({ tableName: 'disaggregation_set' })
@Unique({ properties: ['code', 'version'] })
@ObjectType({
  implements: Node,
  description:
    'The breakdowns an indicator accepts, for example "by sex" or "by sex and age band". Its combinations are generated from its dimensions; a set that has data is never changed, a new version is made instead.',
})
export class DisaggregationSet {
  [OptionalProps]?: 'nodeId';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Field(() => ID, { name: 'id', description: 'Opaque global identifier; use it with `node(id:)`.' })
  get nodeId(): string {
    return toGlobalId('DisaggregationSet', this.id);
  }

  @Property({ type: 'text' })
  @Field(() => String, { description: 'A short code shared by all versions of the set, for example `sex`.' })
  code!: string;

  @Property({ type: 'integer' })
  @Field(() => Int, { description: 'The version of the set; figures keep the version they were reported with.' })
  version!: number;

  @Property({ type: 'text' })
  nameEn!: string;

  @Property({ type: 'text' })
  nameNl!: string;

  @Enum({ items: () => DisaggregationDimension, array: true, nativeEnumName: 'disaggregation_dimension' })
  @Field(() => [DisaggregationDimension], { description: 'The dimensions the set breaks figures down by.' })
  dimensions!: DisaggregationDimension[];

  @Enum({ items: () => Sex, array: true, nativeEnumName: 'sex' })
  @Field(() => [Sex], { description: 'The sexes the set distinguishes (empty when it does not break down by sex).' })
  sexes!: Sex[];

  @Property({ type: 'text[]' })
  @Field(() => [String], { description: 'The codes of the age bands the set distinguishes (empty when it does not break down by age).' })
  ageBandCodes!: string[];
}

/** One valid combination of a set's dimension values, generated from the set, never entered free-form. */
@Entity({ tableName: 'disaggregation' })
@Unique({
  name: 'disaggregation_combination',
  expression: 'create unique index "disaggregation_combination" on "disaggregation" ("set_id", "sex", "age_band_code") nulls not distinct',
})
@ObjectType({ description: 'One combination of breakdown values, for example "girls aged 10–14".' })
export class Disaggregation {
  [OptionalProps]?: 'label';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @ManyToOne(() => DisaggregationSet, { ref: true, index: true })
  set!: Ref<DisaggregationSet>;

  @Enum({ items: () => Sex, nativeEnumName: 'sex', nullable: true, index: true })
  @Field(() => Sex, { nullable: true, description: 'The sex this combination counts; empty when it covers all.' })
  sex?: Sex | null;

  @ManyToOne(() => AgeBand, { ref: true, nullable: true, index: true, fieldName: 'age_band_code', deleteRule: 'restrict' })
  ageBand?: Ref<AgeBand> | null;

  @Field(() => String, { description: 'A readable label, for example "GIRL, 10-14".' })
  get label(): string {
    return [this.sex, this.ageBand?.unwrap().code].filter(Boolean).join(', ') || 'Total';
  }
}
