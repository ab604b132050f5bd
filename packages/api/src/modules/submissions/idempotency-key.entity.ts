import { Entity, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * The stored answer to a request sent with an idempotency key: a repeat of the same request within
 * IDEMPOTENCY_TTL_HOURS gets this answer again instead of writing twice.
 */
@Entity({ tableName: 'idempotency_key' })
export class IdempotencyKey {
  [OptionalProps]?: 'createdAt';

  /** Who sent it (`key:12` or `ip:…`): keys of different callers never collide. */
  @PrimaryKey({ type: 'text' })
  principal!: string;

  /** SHA-256 (hex) of the client's key: the key itself is never stored. */
  @PrimaryKey({ type: 'text' })
  keyHash!: string;

  @Property({ type: 'text' })
  operation!: string;

  /** SHA-256 of the request's input: the same key with a different request is refused. */
  @Property({ type: 'text' })
  requestHash!: string;

  @Property({ type: 'jsonb' })
  response!: unknown;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Index()
  @Property({ type: 'timestamptz' })
  expiresAt!: Date;
}
