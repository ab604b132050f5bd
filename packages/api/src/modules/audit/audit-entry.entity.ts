import { Entity, Index, ManyToOne, OptionalProps, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { toGlobalId } from '../node/global-id.js';
import { ApiKey } from '../access/api-key.entity.js';
import { Organisation } from '../organisations/organisation.entity.js';

/** One change: who made it (key and organisation), what changed (before and after), when, and in which request. */
@Entity({ tableName: 'audit_entry' })
@Index({ properties: ['entity', 'entityId'] })
@ObjectType({ description: 'One recorded change: who made it, to what, the values before and after, and when.' })
export class AuditEntry {
  [OptionalProps]?: 'nodeId' | 'at';

  @PrimaryKey({ type: 'bigint' })
  id!: string;

  @Field(() => ID, { name: 'id', description: 'Opaque global identifier of the entry.' })
  get nodeId(): string {
    return toGlobalId('AuditEntry', this.id);
  }

  @Property({ type: 'timestamptz', defaultRaw: 'now()', index: true })
  @Field(() => Date, { description: 'When the change was made.' })
  at: Date = new Date();

  @Property({ type: 'text' })
  @Field(() => String, { description: 'The request the change was made in; it also appears in the server log.' })
  requestId!: string;

  @ManyToOne(() => ApiKey, { ref: true, nullable: true, index: true, deleteRule: 'set null' })
  apiKey?: Ref<ApiKey> | null;

  @ManyToOne(() => Organisation, { ref: true, nullable: true, index: true })
  organisation?: Ref<Organisation> | null;

  @Property({ type: 'text', index: true })
  @Field(() => String, { description: 'What was done, for example `result.create`, `result.approve` or `period.lock`.' })
  action!: string;

  @Property({ type: 'text' })
  @Field(() => String, { description: 'The kind of record changed, for example `Result`.' })
  entity!: string;

  @Property({ type: 'text' })
  @Field(() => String, { description: 'The global ID of the record changed.' })
  entityId!: string;

  @Property({ type: 'jsonb', nullable: true })
  @Field(() => GraphQLJSON, { nullable: true, description: 'The record before the change; empty when it was created.' })
  before?: Record<string, unknown> | null;

  @Property({ type: 'jsonb', nullable: true })
  @Field(() => GraphQLJSON, { nullable: true, description: 'The record after the change; empty when it was deleted.' })
  after?: Record<string, unknown> | null;
}
