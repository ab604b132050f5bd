import { Migration } from '@mikro-orm/migrations';

export class Migration20261123123155 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "registry_measure" as enum ('CASES_REPORTED', 'CASES_REFERRED', 'VICTIMS_ASSISTED', 'PROSECUTIONS');`);
    this.addSql(`create type "reporting_channel" as enum ('HOTLINE', 'APP', 'COMMUNITY', 'POLICE', 'SCHOOL', 'HEALTH_SERVICE', 'SELF_REPORTED', 'OTHER');`);
    this.addSql(`create type "exploitation_type" as enum ('SEXUAL_EXPLOITATION', 'ONLINE_SEXUAL_EXPLOITATION', 'FORCED_LABOUR', 'DEBT_BONDAGE', 'TRAFFICKING_FOR_RANSOM', 'CHILD_MARRIAGE', 'OTHER');`);
    this.addSql(`create type "child_sex" as enum ('GIRL', 'BOY', 'OTHER', 'UNKNOWN');`);
    this.addSql(`create type "child_age_band" as enum ('AGE_0_5', 'AGE_6_11', 'AGE_12_14', 'AGE_15_17', 'UNKNOWN');`);
    this.addSql(`create type "case_status" as enum ('ACTIVE', 'FOLLOW_UP', 'CLOSED', 'CLOSED_REFERRED');`);
    this.addSql(`create type "legal_action_type" as enum ('INVESTIGATION', 'ARREST', 'PROSECUTION', 'CONVICTION', 'ACQUITTAL');`);
    this.addSql(`create type "service_type" as enum ('SHELTER', 'MEDICAL', 'PSYCHOSOCIAL', 'LEGAL_AID', 'EDUCATION', 'VOCATIONAL_TRAINING', 'FAMILY_REUNIFICATION', 'LIVELIHOOD');`);
    this.addSql(`create type "referral_status" as enum ('IN_PROGRESS', 'ACCEPTED', 'REJECTED', 'DONE', 'REVOKED');`);
    this.addSql(`create type "referral_reason" as enum ('NO_CAPACITY', 'NOT_ELIGIBLE', 'SERVICE_NOT_OFFERED', 'CHILD_DECLINED', 'CHILD_LEFT', 'FAMILY_MOVED', 'CONSENT_WITHDRAWN', 'NO_LONGER_NEEDED', 'WRONG_PROVIDER', 'OTHER');`);
    this.addSql(`create table "child_case" ("id" serial primary key, "reference" text not null, "owner_organisation_id" int not null, "programme_id" int null, "country_code" varchar(2) not null, "district" text null, "reported_on" date not null, "channel" "reporting_channel" not null, "main_exploitation" "exploitation_type" not null, "other_exploitation" text[] not null default '{}', "sex" "child_sex" not null, "age_band" "child_age_band" not null, "status" "case_status" not null, "consent_to_share" boolean not null, "consent_for_services" boolean not null, "consent_recorded_on" date null, "closed_on" date null, "coarsened_at" timestamptz null, "synthetic" boolean not null default false, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now());`);
    this.addSql(`alter table "child_case" add constraint "child_case_reference_unique" unique ("reference");`);
    this.addSql(`create index "child_case_owner_organisation_id_index" on "child_case" ("owner_organisation_id");`);
    this.addSql(`create index "child_case_programme_id_index" on "child_case" ("programme_id");`);
    this.addSql(`create index "child_case_country_code_index" on "child_case" ("country_code");`);
    this.addSql(`create index "child_case_reported_on_index" on "child_case" ("reported_on");`);
    this.addSql(`create index "child_case_status_index" on "child_case" ("status");`);

    this.addSql(`create table "legal_action" ("id" serial primary key, "organisation_id" int not null, "programme_id" int null, "case_id" int null, "country_code" varchar(2) not null, "type" "legal_action_type" not null, "action_on" date not null, "synthetic" boolean not null default false, "created_at" timestamptz not null default now());`);
    this.addSql(`create index "legal_action_organisation_id_index" on "legal_action" ("organisation_id");`);
    this.addSql(`create index "legal_action_programme_id_index" on "legal_action" ("programme_id");`);
    this.addSql(`create index "legal_action_case_id_index" on "legal_action" ("case_id");`);
    this.addSql(`create index "legal_action_country_code_index" on "legal_action" ("country_code");`);

    this.addSql(`create table "referral" ("id" serial primary key, "case_id" int not null, "from_organisation_id" int not null, "to_organisation_id" int not null, "service" "service_type" not null, "status" "referral_status" not null, "referred_on" date not null, "responded_on" date null, "closed_on" date null, "successful" boolean null, "reason" "referral_reason" null, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now());`);
    this.addSql(`create index "referral_case_id_index" on "referral" ("case_id");`);
    this.addSql(`create index "referral_from_organisation_id_index" on "referral" ("from_organisation_id");`);
    this.addSql(`create index "referral_to_organisation_id_index" on "referral" ("to_organisation_id");`);
    this.addSql(`create index "referral_status_index" on "referral" ("status");`);

    this.addSql(`create table "service_offering" ("id" serial primary key, "organisation_id" int not null, "service" "service_type" not null, "country_code" varchar(2) not null);`);
    this.addSql(`create index "service_offering_organisation_id_index" on "service_offering" ("organisation_id");`);
    this.addSql(`create index "service_offering_country_code_index" on "service_offering" ("country_code");`);
    this.addSql(`alter table "service_offering" add constraint "service_offering_organisation_id_service_country_code_unique" unique ("organisation_id", "service", "country_code");`);

    this.addSql(`alter table "child_case" add constraint "child_case_owner_organisation_id_foreign" foreign key ("owner_organisation_id") references "organisation" ("id") on update cascade;`);
    this.addSql(`alter table "child_case" add constraint "child_case_programme_id_foreign" foreign key ("programme_id") references "programme" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "child_case" add constraint "child_case_country_code_foreign" foreign key ("country_code") references "country" ("code") on update cascade;`);

    this.addSql(`alter table "legal_action" add constraint "legal_action_organisation_id_foreign" foreign key ("organisation_id") references "organisation" ("id") on update cascade;`);
    this.addSql(`alter table "legal_action" add constraint "legal_action_programme_id_foreign" foreign key ("programme_id") references "programme" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "legal_action" add constraint "legal_action_case_id_foreign" foreign key ("case_id") references "child_case" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "legal_action" add constraint "legal_action_country_code_foreign" foreign key ("country_code") references "country" ("code") on update cascade;`);

    this.addSql(`alter table "referral" add constraint "referral_case_id_foreign" foreign key ("case_id") references "child_case" ("id") on update cascade;`);
    this.addSql(`alter table "referral" add constraint "referral_from_organisation_id_foreign" foreign key ("from_organisation_id") references "organisation" ("id") on update cascade;`);
    this.addSql(`alter table "referral" add constraint "referral_to_organisation_id_foreign" foreign key ("to_organisation_id") references "organisation" ("id") on update cascade;`);

    this.addSql(`alter table "service_offering" add constraint "service_offering_organisation_id_foreign" foreign key ("organisation_id") references "organisation" ("id") on update cascade;`);
    this.addSql(`alter table "service_offering" add constraint "service_offering_country_code_foreign" foreign key ("country_code") references "country" ("code") on update cascade;`);

    this.addSql(`alter table "indicator" add column "registry_measure" "registry_measure" null;`);
    this.addSql(`alter table "indicator" add constraint "indicator_registry_measure_unique" unique ("registry_measure");`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "legal_action" drop constraint "legal_action_case_id_foreign";`);

    this.addSql(`alter table "referral" drop constraint "referral_case_id_foreign";`);

    this.addSql(`drop table if exists "child_case" cascade;`);

    this.addSql(`drop table if exists "legal_action" cascade;`);

    this.addSql(`drop table if exists "referral" cascade;`);

    this.addSql(`drop table if exists "service_offering" cascade;`);

    this.addSql(`alter table "indicator" drop constraint "indicator_registry_measure_unique";`);
    this.addSql(`alter table "indicator" drop column "registry_measure";`);

    this.addSql(`drop type "registry_measure";`);
    this.addSql(`drop type "reporting_channel";`);
    this.addSql(`drop type "exploitation_type";`);
    this.addSql(`drop type "child_sex";`);
    this.addSql(`drop type "child_age_band";`);
    this.addSql(`drop type "case_status";`);
    this.addSql(`drop type "legal_action_type";`);
    this.addSql(`drop type "service_type";`);
    this.addSql(`drop type "referral_status";`);
    this.addSql(`drop type "referral_reason";`);
  }

}
