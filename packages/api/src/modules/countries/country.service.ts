import { WORLD_COUNTRIES } from './world-countries.js';
import type { Context } from '../../graphql/context.js';
import { NotFoundError, UserInputError } from '../../graphql/errors.js';
import { sqlPage } from '../../graphql/batch.js';
import type { Page, PageRequest } from '../../graphql/pagination.js';
import { Country } from './country.entity.js';

/** The region names countries are grouped in (from `world-countries`). */
export const REGIONS: readonly string[] = [...new Set(WORLD_COUNTRIES.map((c) => c.region))].sort();

/** Rejects a region name that does not exist, naming the ones that do. */
export function checkRegion(region: string, field: string): void {
  if (!REGIONS.includes(region)) throw new UserInputError(`"${region}" is not a region; use one of ${REGIONS.join(', ')}.`, field);
}

export const countryService = {
  list(ctx: Context, region: string | null | undefined, request: PageRequest): Promise<Page<Country>> {
    if (region != null) checkRegion(region, 'region');
    const where = region != null ? { sql: 'c.region = ?', bindings: [region] } : { sql: 'true', bindings: [] };
    return sqlPage(ctx, { entity: Country, from: 'country c', where, key: 'c.code', keyOf: (c) => c.code }, request);
  },

  async byCode(ctx: Context, code: string): Promise<Country> {
    const found = await ctx.loaders.byKey(Country, 'code').load(code.toUpperCase());
    if (!found) throw new NotFoundError(`No country has the code "${code}".`, 'code');
    return found;
  },
};
