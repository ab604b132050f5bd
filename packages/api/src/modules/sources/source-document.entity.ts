import { Entity, ManyToOne, OptionalProps, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { Node } from '../node/node.type.js';
import { toGlobalId } from '../node/global-id.js';
import { Organisation } from '../organisations/organisation.entity.js';

@Entity({ tableName: 'source_document' })
@ObjectType({ implements: Node, description: 'A published report, article or web page that figures and targets were taken from.' })
export class SourceDocument {
  [OptionalProps]?: 'nodeId';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Field(() => ID, { name: 'id', description: 'Opaque global identifier; use it with `node(id:)`.' })
  get nodeId(): string {
    return toGlobalId('SourceDocument', this.id);
  }

  @Property({ type: 'text', unique: true })
  @Field(() => String, { description: 'A short, stable code for the document.' })
  code!: string;

  @Property({ type: 'text' })
  @Field(() => String, { description: 'The document\'s title, in the language it was published in.' })
  title!: string;

  @Property({ type: 'string', length: 2 })
  @Field(() => String, { description: 'The language the document was published in (ISO 639-1, for example `nl`).' })
  language!: string;

  @ManyToOne(() => Organisation, { ref: true, nullable: true, index: true })
  publisher?: Ref<Organisation> | null;

  @Property({ type: 'date', nullable: true })
  @Field(() => String, { nullable: true, description: 'The publication date (ISO date), when the document gives one.' })
  publishedOn?: string | null;

  @Property({ type: 'text' })
  @Field(() => String, { description: 'The file the text was taken from, so the figure can be checked against it.' })
  fileName!: string;
}
