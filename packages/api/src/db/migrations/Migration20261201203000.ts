import { Migration } from '@mikro-orm/migrations';

/**
 * The registry's statistics perturb each published count by a cell key made from secret random record keys
 * (modules/cases/disclosure.ts): every case, referral and legal action gets one. Retention keeps how soon a child was
 * first referred (`referral_delay`) before it coarsens the dates that told it.
 */
export class Migration20261201203000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create function "new_disclosure_key"() returns int language sql volatile as 'select floor(random() * 256)::int';`);
    for (const table of ['child_case', 'referral', 'legal_action']) {
      this.addSql(`alter table "${table}" add column "disclosure_key" int not null default new_disclosure_key();`);
    }
    this.addSql(`create type "referral_delay" as enum ('NOT_REFERRED', 'WITHIN_7_DAYS', 'DAYS_8_TO_30', 'DAYS_31_TO_90', 'OVER_90_DAYS');`);
    this.addSql(`alter table "child_case" add column "referral_delay" "referral_delay" null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "child_case" drop column "referral_delay";`);
    this.addSql(`drop type "referral_delay";`);
    for (const table of ['child_case', 'referral', 'legal_action']) this.addSql(`alter table "${table}" drop column "disclosure_key";`);
    this.addSql(`drop function "new_disclosure_key";`);
  }

}
