import type { EntityManager } from '@mikro-orm/postgresql';
import { Place } from './place.entity.js';

/** The canonical key of a set of countries: sorted, de-duplicated, upper case, joined with `+`. */
export function placeKey(countryCodes: readonly string[]): string {
  return [...new Set(countryCodes.map((c) => c.toUpperCase()))].sort().join('+');
}

/** Finds or creates the place for exactly these countries (a single country or a group). */
export async function ensurePlace(em: EntityManager, countryCodes: readonly string[]): Promise<Place> {
  const key = placeKey(countryCodes);
  return (await em.findOne(Place, { key })) ?? em.upsert(Place, { key, countryCodes: key.split('+') });
}
