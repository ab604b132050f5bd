import { Migration } from '@mikro-orm/migrations';

/**
 * Pages of a programme's figures and targets in id order (nested lists, `programme.results`): with an index on
 * (programme_id, id) PostgreSQL reads the first n rows of each programme instead of sorting all of them.
 */
export class Migration20261123140000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create index "result_programme_id_id_index" on "result" ("programme_id", "id");`);
    this.addSql(`create index "target_programme_id_id_index" on "target" ("programme_id", "id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "result_programme_id_id_index";`);
    this.addSql(`drop index "target_programme_id_id_index";`);
  }

}
