import { Migration } from '@mikro-orm/migrations';

/**
 * An idempotent replay answers with the first answer as it was sent: the response body is kept with the key's record,
 * under a fingerprint of the request (its key, document and variables), for as long as the record lives.
 */
export class Migration20261201220000 extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table idempotency_key add column response_body text null, add column response_fingerprint text null;');
    this.addSql('create index idempotency_key_fingerprint_index on idempotency_key (principal, response_fingerprint);');
  }

  override async down(): Promise<void> {
    this.addSql('drop index idempotency_key_fingerprint_index;');
    this.addSql('alter table idempotency_key drop column response_body, drop column response_fingerprint;');
  }
}
