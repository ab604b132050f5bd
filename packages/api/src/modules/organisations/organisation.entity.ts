import { Entity, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { Node } from '../node/node.type.js';
import { toGlobalId } from '../node/global-id.js';
import { Country } from '../countries/country.entity.js';
import { OrganisationKind } from './organisation.enums.js';

@Entity({ tableName: 'organisation' })
@ObjectType({
  implements: Node,
  description:
    'An organisation: an alliance member, a local partner, a government body, a donor, a company or another NGO. A local partner has its alliance member as parent.',
})
export class Organisation {
  [OptionalProps]?: 'nodeId';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Field(() => ID, { name: 'id', description: 'Opaque global identifier; use it with `node(id:)`.' })
  get nodeId(): string {
    return toGlobalId('Organisation', this.id);
  }

  @Property({ type: 'text', unique: true })
  @Field(() => String, { description: 'A short, stable code, for example `tdh-nl` for Terre des Hommes Netherlands.' })
  code!: string;

  @Property({ type: 'text' })
  @Field(() => String, { description: 'The organisation\'s name as it presents itself.' })
  name!: string;

  @Enum({ items: () => OrganisationKind, nativeEnumName: 'organisation_kind' })
  @Index()
  @Field(() => OrganisationKind, { description: 'What kind of organisation this is.' })
  kind!: OrganisationKind;

  @ManyToOne(() => Organisation, { ref: true, nullable: true, index: true })
  parent?: Ref<Organisation> | null;

  /** Ancestor ids as `/1/7/` (this organisation last), kept so "an organisation and everything under it" is one index lookup. */
  @Property({ type: 'text', index: true })
  path!: string;

  @ManyToOne(() => Country, { ref: true, nullable: true, index: true, fieldName: 'country_code' })
  country?: Ref<Country> | null;

  @Property({ type: 'text', nullable: true })
  @Field(() => String, { nullable: true, description: 'The organisation\'s public website, when known.' })
  website?: string | null;
}
