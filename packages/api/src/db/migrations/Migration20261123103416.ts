import { Migration } from '@mikro-orm/migrations';

export class Migration20261123103416 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "target" add column "version" int not null default 1;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "target" drop column "version";`);
  }

}
