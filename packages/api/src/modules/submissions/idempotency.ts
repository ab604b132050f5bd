import { createHash, createHmac } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { userError, type UserError } from '../../graphql/user-error.js';
import type { Context } from '../../graphql/context.js';
import { rateLimitKey } from '../access/principal.js';

/** How long an idempotency key keeps its answer. */
export const IDEMPOTENCY_TTL_HOURS = 24;

/** A key is 1 to 200 visible ASCII characters. */
export function isValidIdempotencyKey(key: string): boolean {
  return /^[\x21-\x7e]{1,200}$/.test(key);
}

/**
 * What is stored of a client's key: an HMAC-SHA-256 (hex) with a secret derived from the caller's API key, so that a
 * key that says something about someone is never kept, nor can a guess of it be confirmed from the database alone.
 */
export function idempotencyKeyHash(key: string, secret: string): string {
  return createHmac('sha256', secret).update(key).digest('hex');
}

/** The plain SHA-256 that keys written before the HMAC (December 2026) were stored as; they expire within a day. */
const legacyKeyHash = (key: string) => createHash('sha256').update(key).digest('hex');

/** The fingerprint of a request's input, without the key itself. */
export function requestHash(input: object): string {
  const { idempotencyKey: _key, ...request } = input as Record<string, unknown>;
  return createHash('sha256').update(JSON.stringify(request)).digest('hex');
}

/**
 * Runs `write` at most once per caller and key, inside the caller's transaction `tx`. Copies of one request
 * wait for each other on an advisory lock; a later copy gets the stored answer (`replayed`), and a different
 * request under the same key gets `reused()`. Only answers that wrote something are stored: a refused request
 * wrote nothing, so repeating it is harmless.
 */
export async function idempotent<T extends { replayed: boolean }>(
  tx: EntityManager,
  ctx: Context,
  operation: string,
  key: string | null,
  hash: string,
  write: () => Promise<T>,
  wroteSomething: (answer: T) => boolean,
  reused: () => T,
): Promise<T> {
  if (key === null) return write();
  const principal = rateLimitKey(ctx.principal);
  const secret = ctx.principal.kind === 'apiKey' ? (ctx.principal.idempotencySecret ?? '') : '';
  // Only the hash reaches PostgreSQL, in the lock and the row alike.
  const keyHash = idempotencyKeyHash(key, secret);
  await tx.execute('select pg_advisory_xact_lock(hashtextextended(?, 0))', [`${principal}|${keyHash}`]);
  const [stored] = (await tx.execute(
    `select operation, request_hash, response from idempotency_key where principal = ? and key_hash = any(?::text[]) and expires_at > now()
     order by key_hash = ? desc limit 1`,
    [principal, `{${keyHash},${legacyKeyHash(key)}}`, keyHash],
  )) as {
    operation: string;
    request_hash: string;
    response: T;
  }[];
  if (stored) return stored.request_hash === hash && stored.operation === operation ? { ...stored.response, replayed: true } : reused();
  const answer = await write();
  if (wroteSomething(answer)) {
    // Expired answers are cleared a few at a time, so the table stays small without a separate job.
    await tx.execute('delete from idempotency_key where ctid in (select ctid from idempotency_key where expires_at < now() limit 100)');
    await tx.execute(
      `insert into idempotency_key (principal, key_hash, operation, request_hash, response, expires_at)
       values (?, ?, ?, ?, ?::jsonb, now() + make_interval(hours => ?))
       on conflict (principal, key_hash) do update set operation = excluded.operation, request_hash = excluded.request_hash,
         response = excluded.response, response_body = null, response_fingerprint = null, created_at = now(), expires_at = excluded.expires_at`,
      [principal, keyHash, operation, hash, JSON.stringify(answer), IDEMPOTENCY_TTL_HOURS],
    );
    // The answer as sent is added to this record once it is known (replay.plugin.ts).
    (ctx.idempotentWrites ??= []).push({ principal, keyHash });
  }
  return answer;
}
