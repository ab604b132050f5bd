import { Migration } from '@mikro-orm/migrations';

export class Migration20261123093552 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create index "indicator_unit_index" on "indicator" ("unit");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "indicator_unit_index";`);
  }

}
