import { Migration } from '@mikro-orm/migrations';

/**
 * A programme says what sort it is (a campaign, such as Save the Children's "Save the Survivors", is one) and which
 * forms of exploitation it addresses, from the same list as the case registry (HTCDS).
 */
export class Migration20261201210000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "programme_kind" as enum ('PROGRAMME', 'CAMPAIGN');`);
    this.addSql(`alter table "programme" add column "kind" "programme_kind" not null default 'PROGRAMME';`);
    this.addSql(`alter table "programme" add column "exploitation_types" text[] not null default '{}';`);
    // The column holds values of the exploitation_type enum only; text[] keeps it as simple to read as a case's.
    this.addSql(`alter table "programme" add constraint "programme_exploitation_types_check" check (exploitation_types <@ enum_range(null::exploitation_type)::text[]);`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "programme" drop column "exploitation_types";`);
    this.addSql(`alter table "programme" drop column "kind";`);
    this.addSql(`drop type "programme_kind";`);
  }

}
