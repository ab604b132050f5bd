import { Field, ObjectType } from 'type-graphql';
import { iso31662 } from 'iso-3166';

/** Shape of a district code (ISO 3166-2): the country's alpha-2 code, a hyphen and 1 to 3 letters or digits. */
export const SUBDIVISION_CODE_PATTERN = '^[A-Z]{2}-[A-Z0-9]{1,3}$';

/** A subdivision of a country as defined by ISO 3166-2, from the maintained `iso-3166` package. */
@ObjectType({ description: 'A subdivision of a country as defined by ISO 3166-2, such as a district, division, province or state.' })
export class Subdivision {
  @Field(() => String, { description: 'The ISO 3166-2 code, for example `BD-13` (Dhaka district, Bangladesh).' })
  code!: string;

  @Field(() => String, { description: 'The subdivision\'s name as ISO 3166-2 gives it, for example "Dhaka".' })
  name!: string;
}

const BY_CODE = new Map<string, Subdivision>(iso31662.map((s) => [s.code, { code: s.code, name: s.name }]));

/** The country part of a subdivision code (`BD` of `BD-13`). */
const countryOf = (code: string): string => code.slice(0, code.indexOf('-'));

const BY_COUNTRY = new Map<string, Subdivision[]>();
for (const s of [...BY_CODE.values()].sort((a, b) => a.code.localeCompare(b.code))) {
  const list = BY_COUNTRY.get(countryOf(s.code)) ?? [];
  list.push(s);
  BY_COUNTRY.set(countryOf(s.code), list);
}

/** The subdivision with this exact code, or null. */
export function subdivision(code: string): Subdivision | null {
  return BY_CODE.get(code) ?? null;
}

/** Every subdivision of a country (all levels, such as Bangladesh's divisions and districts), ordered by code. */
export function subdivisionsOf(country: string): Subdivision[] {
  return BY_COUNTRY.get(country.toUpperCase()) ?? [];
}

/** Whether `code` is exactly the code of a subdivision of `country`. */
export function isSubdivisionOf(code: string, country: string): boolean {
  return BY_CODE.has(code) && countryOf(code) === country.toUpperCase();
}
