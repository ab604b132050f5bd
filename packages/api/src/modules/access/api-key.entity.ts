import { Entity, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { Organisation } from '../organisations/organisation.entity.js';
import { toGlobalId } from '../node/global-id.js';
import { Role } from './role.enums.js';

/**
 * An API key. The secret is stored only as a SHA-256 hash (it is 256 random bits, so a slow hash adds nothing);
 * the prefix is public and finds the row.
 */
@Entity({ tableName: 'api_key' })
@ObjectType({ description: 'An API key of a partner system or dashboard. Its secret is shown once, when it is created, and never again.' })
export class ApiKey {
  [OptionalProps]?: 'nodeId' | 'createdAt' | 'isActive';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Field(() => ID, { name: 'id', description: 'Opaque global identifier of the key (not the key itself).' })
  get nodeId(): string {
    return toGlobalId('ApiKey', this.id);
  }

  @Property({ type: 'text', unique: true })
  @Field(() => String, { description: 'The public first part of the key, for example `ak_3f9c2a71d0b4`; it names the key in logs and lists.' })
  prefix!: string;

  @Property({ type: 'text', hidden: true, lazy: true })
  secretHash!: string;

  @Property({ type: 'text' })
  @Field(() => String, { description: 'What the key is for, for example "Dashboard" or "Case system Dhaka".' })
  name!: string;

  @ManyToOne(() => Organisation, { ref: true, index: true })
  organisation!: Ref<Organisation>;

  @Enum({ items: () => Role, nativeEnumName: 'role' })
  @Index()
  @Field(() => Role, { description: 'What the key may do.' })
  role!: Role;

  @Property({ type: 'timestamptz', nullable: true })
  @Field(() => Date, { nullable: true, description: 'When the key stops working; empty when it does not expire.' })
  expiresAt?: Date | null;

  @Property({ type: 'timestamptz', nullable: true })
  @Field(() => Date, { nullable: true, description: 'When the key was last used, to the minute; empty when never.' })
  lastUsedAt?: Date | null;

  @Property({ type: 'timestamptz', nullable: true })
  @Field(() => Date, { nullable: true, description: 'When the key was revoked; a revoked key never works again.' })
  revokedAt?: Date | null;

  @ManyToOne(() => ApiKey, { ref: true, nullable: true, index: true })
  createdBy?: Ref<ApiKey> | null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  @Field(() => Date, { description: 'When the key was created.' })
  createdAt: Date = new Date();

  @Field(() => Boolean, { description: 'True when the key works: not revoked and not expired.' })
  get isActive(): boolean {
    return !this.revokedAt && (!this.expiresAt || this.expiresAt.getTime() > Date.now());
  }
}
