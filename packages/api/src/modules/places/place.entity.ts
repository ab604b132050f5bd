import { Check, Entity, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { Node } from '../node/node.type.js';
import { toGlobalId } from '../node/global-id.js';

/**
 * Where a figure applies: one country, or a group of countries reported as one figure.
 * `countryCodes` is sorted so that a place is identified by its set of countries.
 */
@Entity({ tableName: 'place' })
@Check({ name: 'place_has_countries', expression: 'cardinality(country_codes) >= 1' })
@ObjectType({
  implements: Node,
  description:
    'Where a figure or target applies: a single country, or a group of countries when a partner reported one figure for several countries together (for example "Cambodia, Myanmar, Nepal and Thailand"). A group figure is never split over its countries.',
})
export class Place {
  [OptionalProps]?: 'nodeId' | 'isGroup';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Field(() => ID, { name: 'id', description: 'Opaque global identifier; use it with `node(id:)`.' })
  get nodeId(): string {
    return toGlobalId('Place', this.id);
  }

  /** The sorted country codes joined with `+`, e.g. `KH+MM+NP+TH`. */
  @Property({ type: 'text', unique: true })
  @Field(() => String, { description: 'The place\'s country codes joined with `+`, for example `KH+MM+NP+TH`, or a single code such as `BD`.' })
  key!: string;

  @Index({ type: 'gin' })
  @Property({ type: 'text[]' })
  @Field(() => [String], { description: 'The ISO 3166-1 alpha-2 codes of the countries this place covers, sorted.' })
  countryCodes!: string[];

  @Field(() => Boolean, { description: 'True when this place is a group of more than one country.' })
  get isGroup(): boolean {
    return this.countryCodes.length > 1;
  }
}
