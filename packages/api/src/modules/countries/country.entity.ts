import { Entity, Index, OptionalProps, PrimaryKey, PrimaryKeyProp, Property } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { Node } from '../node/node.type.js';
import { toGlobalId } from '../node/global-id.js';

/** A country as defined by ISO 3166-1, loaded from the `world-countries` package. */
@Entity({ tableName: 'country' })
@ObjectType({ implements: Node, description: 'A country (ISO 3166-1). Results and targets are reported for one country or for a group of countries.' })
export class Country {
  [PrimaryKeyProp]?: 'code';
  [OptionalProps]?: 'nodeId';

  @PrimaryKey({ type: 'string', length: 2 })
  @Field(() => String, { description: 'The two-letter ISO 3166-1 alpha-2 code, for example `BD` for Bangladesh.' })
  code!: string;

  @Field(() => ID, { name: 'id', description: 'Opaque global identifier; use it with `node(id:)`.' })
  get nodeId(): string {
    return toGlobalId('Country', this.code);
  }

  @Property({ type: 'string', length: 3, unique: true })
  @Field(() => String, { description: 'The three-letter ISO 3166-1 alpha-3 code, for example `BGD`.' })
  alpha3!: string;

  @Property({ type: 'text' })
  nameEn!: string;

  @Property({ type: 'text' })
  nameNl!: string;

  @Index()
  @Property({ type: 'text' })
  @Field(() => String, { description: 'The continent-level region, for example `Asia` or `Americas`.' })
  region!: string;

  @Property({ type: 'text' })
  @Field(() => String, { description: 'The UN sub-region, for example `Southern Asia` or `South-Eastern Asia`.' })
  subregion!: string;
}
