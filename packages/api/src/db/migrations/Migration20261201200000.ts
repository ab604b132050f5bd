import { Migration } from '@mikro-orm/migrations';

/** The record key behind an entry's global ID (`base64url("Type:key")`, for periods followed by `/<code>`). */
const RECORD_KEY = `(case when k.key ~ '^[0-9]+$' then k.key::int end)`;
const BASE64 = `rpad(translate(g, '-_', '+/'), (length(g) + 3) / 4 * 4, '=')`;
const DECODED = `(select a.id, split_part(convert_from(decode(${BASE64}, 'base64'), 'UTF8'), ':', 2) as key
  from audit_entry a, split_part(a.entity_id, '/', 1) as g)`;

/**
 * Case supervisors, and audit entries scoped by whose record they are: each entry stores the organisation that owns the
 * record (and, for a referral, the one it went to) and who may read it. Existing entries are filled in from their records.
 */
export class Migration20261201200000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter type "role" add value if not exists 'CASE_SUPERVISOR';`);
    this.addSql(`create type "audit_audience" as enum ('ALLIANCE_ADMINS', 'ADMINS', 'CASE_WORKERS');`);
    this.addSql(`alter table "audit_entry" add column "record_organisation_id" int null, add column "recipient_organisation_id" int null,
      add column "audience" "audit_audience" not null default 'ADMINS';`);

    const fill = (entity: string, sql: string) =>
      this.addSql(`update audit_entry e set ${sql.replaceAll('$KEY', () => RECORD_KEY)}
        from ${DECODED} k where k.id = e.id and e.entity = '${entity}';`);
    fill('Result', `record_organisation_id = (select reporting_organisation_id from result where id = $KEY)`);
    fill('Target', `record_organisation_id = (select p.lead_organisation_id from target t join programme p on p.id = t.programme_id
      where t.id = $KEY)`);
    fill('Programme', `record_organisation_id = (select lead_organisation_id from programme where id = $KEY)`);
    fill('ProgrammePeriod', `record_organisation_id = (select lead_organisation_id from programme where id = $KEY)`);
    fill('Organisation', `record_organisation_id = (select id from organisation where id = $KEY)`);
    // A key that is gone (its role unknown) leaves its entries to alliance admins.
    fill('ApiKey', `record_organisation_id = (select organisation_id from api_key where id = $KEY),
      audience = coalesce((select case when role::text in ('CASE_WORKER', 'CASE_SUPERVISOR') then 'CASE_WORKERS'
        when role::text = 'ALLIANCE_ADMIN' then 'ALLIANCE_ADMINS' else 'ADMINS' end::audit_audience from api_key where id = $KEY),
        'ALLIANCE_ADMINS')`);
    fill('Case', `audience = 'CASE_WORKERS', record_organisation_id = (select owner_organisation_id from child_case where id = $KEY)`);
    fill('Referral', `audience = 'CASE_WORKERS', record_organisation_id = (select from_organisation_id from referral where id = $KEY),
      recipient_organisation_id = (select to_organisation_id from referral where id = $KEY)`);
    fill('LegalAction', `audience = 'CASE_WORKERS', record_organisation_id = (select organisation_id from legal_action where id = $KEY)`);

    this.addSql(`alter table "audit_entry" alter column "audience" drop default;`);
    this.addSql(`create index "audit_entry_record_organisation_id_index" on "audit_entry" ("record_organisation_id");`);
    this.addSql(`create index "audit_entry_recipient_organisation_id_index" on "audit_entry" ("recipient_organisation_id");`);
    for (const column of ['record_organisation_id', 'recipient_organisation_id']) {
      this.addSql(`alter table "audit_entry" add constraint "audit_entry_${column}_foreign" foreign key ("${column}")
        references "organisation" ("id") on update cascade on delete set null;`);
    }
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "audit_entry" drop column "record_organisation_id", drop column "recipient_organisation_id",
      drop column "audience";`);
    this.addSql(`drop type "audit_audience";`);
    // PostgreSQL cannot drop an enum value; CASE_SUPERVISOR stays in the type, unused once its keys are revoked.
  }

}
