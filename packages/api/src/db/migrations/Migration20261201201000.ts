import { Migration } from '@mikro-orm/migrations';
import { iso31662 } from 'iso-3166';
import { pgArray } from '../sql.js';

/** A place name compared loosely: case, accents and spacing aside. */
const loose = (name: string): string => name.normalize('NFD').replace(/\p{M}/gu, '').replace(/\s+/g, ' ').trim().toLowerCase();

/**
 * The code a free-text district of a case becomes: the ISO 3166-2 subdivision of the case's country with that name
 * (the most detailed level when a division and a district share it, as Dhaka does), or null when none or several match.
 */
function codeFor(country: string, district: string): string | null {
  const inCountry = iso31662.filter((s) => s.code.startsWith(`${country}-`));
  if (inCountry.some((s) => s.code === district)) return district;
  const named = inCountry.filter((s) => loose(s.name) === loose(district));
  const detailed = named.filter((s) => s.parent !== country);
  const candidates = detailed.length ? detailed : named;
  return candidates.length === 1 ? candidates[0].code : null;
}

/**
 * No free text about a child: a case's district becomes an ISO 3166-2 code (text that names no subdivision of the
 * case's country is removed, never kept), and idempotency keys are kept only as their SHA-256.
 */
export class Migration20261201201000 extends Migration {

  override async up(): Promise<void> {
    const districts = (await this.execute(`select distinct country_code, district from child_case where district is not null`)) as {
      country_code: string;
      district: string;
    }[];
    if (districts.length) {
      await this.execute(
        `update child_case c set district = m.code from unnest(?::text[], ?::text[], ?::text[]) as m(country_code, district, code)
         where c.country_code = m.country_code and c.district = m.district`,
        [
          pgArray(districts.map((d) => d.country_code)),
          pgArray(districts.map((d) => d.district)),
          pgArray(districts.map((d) => codeFor(d.country_code, d.district))),
        ],
      );
    }
    this.addSql(`alter table "child_case" add constraint child_case_district_check
      check (district ~ '^[A-Z]{2}-[A-Z0-9]{1,3}$' and left(district, 2) = country_code);`);

    this.addSql(`alter table "idempotency_key" add column "key_hash" text null;`);
    this.addSql(`update "idempotency_key" set "key_hash" = encode(sha256(convert_to("key", 'UTF8')), 'hex');`);
    this.addSql(`alter table "idempotency_key" drop constraint "idempotency_key_pkey";`);
    this.addSql(`alter table "idempotency_key" drop column "key";`);
    this.addSql(`alter table "idempotency_key" alter column "key_hash" set not null;`);
    this.addSql(`alter table "idempotency_key" add constraint "idempotency_key_pkey" primary key ("principal", "key_hash");`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "child_case" drop constraint child_case_district_check;`);
    // The keys themselves are gone; their stored answers go too (they expire within a day anyway).
    this.addSql(`delete from "idempotency_key";`);
    this.addSql(`alter table "idempotency_key" drop constraint "idempotency_key_pkey";`);
    this.addSql(`alter table "idempotency_key" rename column "key_hash" to "key";`);
    this.addSql(`alter table "idempotency_key" add constraint "idempotency_key_pkey" primary key ("principal", "key");`);
  }

}
