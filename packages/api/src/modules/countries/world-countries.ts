import * as worldCountriesModule from 'world-countries';
import type { Country as WorldCountry } from 'world-countries';

/**
 * Every ISO 3166-1 country from the maintained `world-countries` package. The package is CommonJS
 * (`module.exports = [...]`) while its typings declare an ES default export, so the array is read
 * from the namespace's `default`, which is what Node gives at run time.
 */
export const WORLD_COUNTRIES: readonly WorldCountry[] = (worldCountriesModule as unknown as { default: WorldCountry[] }).default;
