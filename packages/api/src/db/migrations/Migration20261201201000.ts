import { Migration } from '@mikro-orm/migrations';

/** Idempotency keys are kept only as their SHA-256: a key that says something about a child is never stored. */
export class Migration20261201201000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "idempotency_key" add column "key_hash" text null;`);
    this.addSql(`update "idempotency_key" set "key_hash" = encode(sha256(convert_to("key", 'UTF8')), 'hex');`);
    this.addSql(`alter table "idempotency_key" drop constraint "idempotency_key_pkey";`);
    this.addSql(`alter table "idempotency_key" drop column "key";`);
    this.addSql(`alter table "idempotency_key" alter column "key_hash" set not null;`);
    this.addSql(`alter table "idempotency_key" add constraint "idempotency_key_pkey" primary key ("principal", "key_hash");`);
  }

  override async down(): Promise<void> {
    // The keys themselves are gone; their stored answers go too (they expire within a day anyway).
    this.addSql(`delete from "idempotency_key";`);
    this.addSql(`alter table "idempotency_key" drop constraint "idempotency_key_pkey";`);
    this.addSql(`alter table "idempotency_key" rename column "key_hash" to "key";`);
    this.addSql(`alter table "idempotency_key" add constraint "idempotency_key_pkey" primary key ("principal", "key");`);
  }

}
