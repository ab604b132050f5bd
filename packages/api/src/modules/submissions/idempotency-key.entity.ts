import { Entity, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * The stored answer to a request sent with an idempotency key: a repeat of the same request within
 * IDEMPOTENCY_TTL_HOURS gets this answer again instead of writing twice.
 */
@Entity({ tableName: 'idempotency_key' })
@Index({ name: 'idempotency_key_fingerprint_index', properties: ['principal', 'responseFingerprint'] })
export class IdempotencyKey {
  [OptionalProps]?: 'createdAt';

  /** Who sent it (`key:12` or `ip:…`): keys of different callers never collide. */
  @PrimaryKey({ type: 'text' })
  principal!: string;

  /** HMAC-SHA-256 (hex) of the client's key (see idempotency.ts): the key itself is never stored. */
  @PrimaryKey({ type: 'text' })
  keyHash!: string;

  @Property({ type: 'text' })
  operation!: string;

  /** SHA-256 of the request's input: the same key with a different request is refused. */
  @Property({ type: 'text' })
  requestHash!: string;

  @Property({ type: 'jsonb' })
  response!: unknown;

  /**
   * The response body the first answer was sent with (its `replayed` fields set to true), replayed as is to the same
   * request; null for case-registry operations, whose answers are never copied, and until the answer is sent.
   */
  @Property({ type: 'text', nullable: true })
  responseBody?: string | null;

  /** HMAC of the request (its idempotency key, document and variables) the body answers. */
  @Property({ type: 'text', nullable: true })
  responseFingerprint?: string | null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Index()
  @Property({ type: 'timestamptz' })
  expiresAt!: Date;
}
