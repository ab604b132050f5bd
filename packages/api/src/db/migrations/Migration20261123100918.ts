import { Migration } from '@mikro-orm/migrations';

export class Migration20261123100918 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "idempotency_key" ("principal" text not null, "key" text not null, "operation" text not null, "request_hash" text not null, "response" jsonb not null, "created_at" timestamptz not null default now(), "expires_at" timestamptz not null, constraint "idempotency_key_pkey" primary key ("principal", "key"));`);
    this.addSql(`create index "idempotency_key_expires_at_index" on "idempotency_key" ("expires_at");`);

    this.addSql(`create table "audit_entry" ("id" bigserial primary key, "at" timestamptz not null default now(), "request_id" text not null, "api_key_id" int null, "organisation_id" int null, "action" text not null, "entity" text not null, "entity_id" text not null, "before" jsonb null, "after" jsonb null);`);
    this.addSql(`create index "audit_entry_at_index" on "audit_entry" ("at");`);
    this.addSql(`create index "audit_entry_api_key_id_index" on "audit_entry" ("api_key_id");`);
    this.addSql(`create index "audit_entry_organisation_id_index" on "audit_entry" ("organisation_id");`);
    this.addSql(`create index "audit_entry_action_index" on "audit_entry" ("action");`);
    this.addSql(`create index "audit_entry_entity_entity_id_index" on "audit_entry" ("entity", "entity_id");`);

    this.addSql(`create table "period_lock" ("id" serial primary key, "programme_id" int not null, "period_code" varchar(9) not null, "locked_at" timestamptz not null default now(), "locked_by_id" int null);`);
    this.addSql(`create index "period_lock_programme_id_index" on "period_lock" ("programme_id");`);
    this.addSql(`create index "period_lock_period_code_index" on "period_lock" ("period_code");`);
    this.addSql(`create index "period_lock_locked_by_id_index" on "period_lock" ("locked_by_id");`);
    this.addSql(`alter table "period_lock" add constraint "period_lock_programme_id_period_code_unique" unique ("programme_id", "period_code");`);

    this.addSql(`alter table "audit_entry" add constraint "audit_entry_api_key_id_foreign" foreign key ("api_key_id") references "api_key" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "audit_entry" add constraint "audit_entry_organisation_id_foreign" foreign key ("organisation_id") references "organisation" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "period_lock" add constraint "period_lock_programme_id_foreign" foreign key ("programme_id") references "programme" ("id") on update cascade;`);
    this.addSql(`alter table "period_lock" add constraint "period_lock_period_code_foreign" foreign key ("period_code") references "period" ("code") on update cascade;`);
    this.addSql(`alter table "period_lock" add constraint "period_lock_locked_by_id_foreign" foreign key ("locked_by_id") references "api_key" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "result" add column "review_comment" text null, add column "version" int not null default 1;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "idempotency_key" cascade;`);

    this.addSql(`drop table if exists "audit_entry" cascade;`);

    this.addSql(`drop table if exists "period_lock" cascade;`);

    this.addSql(`alter table "result" drop column "review_comment", drop column "version";`);
  }

}
