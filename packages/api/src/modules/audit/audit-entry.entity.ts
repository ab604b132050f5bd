import { Entity, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { toGlobalId } from '../node/global-id.js';
import { ApiKey } from '../access/api-key.entity.js';
import { Organisation } from '../organisations/organisation.entity.js';

/** Who may read an audit entry. Decided when it is written, from the record it is about. */
export enum AuditAudience {
  /** Alliance admins only: changes to alliance-admin keys. */
  ALLIANCE_ADMINS = 'ALLIANCE_ADMINS',
  /** Admins of the record's organisation or of an organisation above it, and alliance admins. */
  ADMINS = 'ADMINS',
  /** Case workers of the record's organisation (and of the one a referral went to) only: case records and case-worker keys. */
  CASE_WORKERS = 'CASE_WORKERS',
}

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

  /** The organisation whose record it is: who reads the entry is decided by it, not by who made the change. */
  @ManyToOne(() => Organisation, { ref: true, nullable: true, index: true, deleteRule: 'set null' })
  recordOrganisation?: Ref<Organisation> | null;

  /** For a referral: the organisation it was sent to, whose case workers also read the entry. */
  @ManyToOne(() => Organisation, { ref: true, nullable: true, index: true, deleteRule: 'set null' })
  recipientOrganisation?: Ref<Organisation> | null;

  @Enum({ items: () => AuditAudience, nativeEnumName: 'audit_audience' })
  audience!: AuditAudience;

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
