import { Migration } from '@mikro-orm/migrations';

export class Migration20261123094303 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "role" as enum ('ALLIANCE_ADMIN', 'PARTNER_ADMIN', 'PARTNER_EDITOR', 'VIEWER', 'CASE_WORKER');`);
    this.addSql(`create table "api_key" ("id" serial primary key, "prefix" text not null, "secret_hash" text not null, "name" text not null, "organisation_id" int not null, "role" "role" not null, "expires_at" timestamptz null, "last_used_at" timestamptz null, "revoked_at" timestamptz null, "created_by_id" int null, "created_at" timestamptz not null default now());`);
    this.addSql(`alter table "api_key" add constraint "api_key_prefix_unique" unique ("prefix");`);
    this.addSql(`create index "api_key_organisation_id_index" on "api_key" ("organisation_id");`);
    this.addSql(`create index "api_key_role_index" on "api_key" ("role");`);
    this.addSql(`create index "api_key_created_by_id_index" on "api_key" ("created_by_id");`);

    this.addSql(`alter table "api_key" add constraint "api_key_organisation_id_foreign" foreign key ("organisation_id") references "organisation" ("id") on update cascade;`);
    this.addSql(`alter table "api_key" add constraint "api_key_created_by_id_foreign" foreign key ("created_by_id") references "api_key" ("id") on update cascade on delete set null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "api_key" drop constraint "api_key_created_by_id_foreign";`);

    this.addSql(`drop table if exists "api_key" cascade;`);

    this.addSql(`drop type "role";`);
  }

}
