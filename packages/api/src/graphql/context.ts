import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import type { EntityName } from '@mikro-orm/core';
import type { Language } from './language.js';
import type { Principal } from '../modules/access/principal.js';

/** Request-scoped DataLoaders: each relation is fetched once per request, in one batched query. */
export class Loaders {
  private readonly cache = new Map<string, DataLoader<unknown, unknown>>();

  constructor(private readonly em: EntityManager) {}

  /**
   * A loader registered under a key. The key must name everything that determines the loader's answers (its
   * statement, bindings and page), or two fields of one query that differ in something left out share answers.
   */
  get<K, V>(key: string, factory: () => DataLoader<K, V>): DataLoader<K, V> {
    let loader = this.cache.get(key);
    if (!loader) {
      loader = factory() as DataLoader<unknown, unknown>;
      this.cache.set(key, loader);
    }
    return loader as DataLoader<K, V>;
  }

  /** Loads entities by primary key, batching all keys asked for in one tick into one SELECT. */
  byKey<T extends object>(entity: EntityName<T> & { name: string }, pk: string = 'id'): DataLoader<string | number, T | null> {
    // By the entity's table and key column: two entity classes never share a loader, whatever their names.
    const table = this.em.getMetadata().find(entity.name)?.tableName ?? entity.name;
    return this.get(JSON.stringify(['entity', entity.name, table, pk]), () => {
      return new DataLoader<string | number, T | null>(async (keys) => {
        const rows = await this.em.find(entity, { [pk]: { $in: [...keys] } } as never);
        const byKey = new Map(rows.map((row) => [String((row as Record<string, unknown>)[pk]), row]));
        return keys.map((k) => byKey.get(String(k)) ?? null);
      });
    });
  }
}

/** What every resolver receives. */
export interface Context {
  /** This request's own EntityManager (a fork): its identity map lives and dies with the request. */
  em: EntityManager;
  loaders: Loaders;
  /** The language asked for with `Accept-Language`; a field's `language` argument overrides it. */
  language: Language;
  requestId: string;
  /** Who is calling; every rule about what they may see starts here. */
  principal: Principal;
  /** The `Idempotency-Key` request header, when sent. */
  idempotencyKey?: string;
  /** The idempotency records this request wrote (principal and key hash), so its answer can be kept for replays. */
  idempotentWrites?: { principal: string; keyHash: string }[];
  /**
   * Set when a write was refused with CONFLICT in its payload (re-runs used up): the answer carries Retry-After, and
   * the server log says how often it ran and what the database said last.
   */
  refusedForConflict?: { attempts: number; lastError: unknown };
  /** The caller's rate-limit budget after this request, once charged (for the response headers). */
  rateLimit?: { limit: number; remaining: number; resetSeconds: number; cost: number };
}
