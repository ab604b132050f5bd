import { Migration } from '@mikro-orm/migrations';

export class Migration20261123090558 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "disaggregation_dimension" as enum ('SEX', 'AGE_BAND');`);
    this.addSql(`create type "sex" as enum ('GIRL', 'BOY', 'WOMAN', 'MAN', 'OTHER', 'UNKNOWN');`);
    this.addSql(`create type "indicator_unit" as enum ('CHILDREN', 'ADULTS', 'PEOPLE', 'FAMILIES', 'OFFICIALS', 'VICTIMS', 'OFFENDERS', 'CASES', 'ORGANISATIONS', 'COMPANIES', 'CAMPAIGNS', 'EVENTS', 'PUBLICATIONS', 'SCHOOLS', 'COMMITTEES', 'STRATEGIES');`);
    this.addSql(`create type "indicator_category" as enum ('CHILDREN_REACHED', 'VICTIMS_ASSISTED', 'FAMILIES_SUPPORTED', 'OFFICIALS_TRAINED', 'PROSECUTIONS', 'AWARENESS', 'PROFESSIONALS_TRAINED', 'CIVIL_SOCIETY', 'PRIVATE_SECTOR', 'POLICY', 'CASE_REPORTING');`);
    this.addSql(`create type "period_aggregation" as enum ('SUM', 'LAST');`);
    this.addSql(`create type "organisation_kind" as enum ('ALLIANCE_MEMBER', 'LOCAL_PARTNER', 'GOVERNMENT', 'DONOR', 'COMPANY', 'NGO');`);
    this.addSql(`create type "period_type" as enum ('MONTH', 'QUARTER', 'SEMESTER', 'YEAR', 'MULTI_YEAR');`);
    this.addSql(`create type "participant_role" as enum ('LEAD', 'MEMBER', 'IMPLEMENTING_PARTNER', 'DONOR', 'STRATEGIC_PARTNER');`);
    this.addSql(`create type "result_status" as enum ('DRAFT', 'SUBMITTED', 'APPROVED', 'RETURNED');`);
    this.addSql(`create table "age_band" ("code" text not null, "min_age" int not null, "max_age" int null, constraint "age_band_pkey" primary key ("code"));`);

    this.addSql(`create table "country" ("code" varchar(2) not null, "alpha3" varchar(3) not null, "name_en" text not null, "name_nl" text not null, "region" text not null, "subregion" text not null, constraint "country_pkey" primary key ("code"));`);
    this.addSql(`alter table "country" add constraint "country_alpha3_unique" unique ("alpha3");`);
    this.addSql(`create index "country_region_index" on "country" ("region");`);

    this.addSql(`create table "disaggregation_set" ("id" serial primary key, "code" text not null, "version" int not null, "name_en" text not null, "name_nl" text not null, "dimensions" "disaggregation_dimension"[] not null, "sexes" "sex"[] not null, "age_band_codes" text[] not null);`);
    this.addSql(`alter table "disaggregation_set" add constraint "disaggregation_set_code_version_unique" unique ("code", "version");`);

    this.addSql(`create table "disaggregation" ("id" serial primary key, "set_id" int not null, "sex" "sex" null, "age_band_code" text null);`);
    this.addSql(`create index "disaggregation_set_id_index" on "disaggregation" ("set_id");`);
    this.addSql(`create index "disaggregation_sex_index" on "disaggregation" ("sex");`);
    this.addSql(`create index "disaggregation_age_band_code_index" on "disaggregation" ("age_band_code");`);
    this.addSql(`create unique index "disaggregation_combination" on "disaggregation" ("set_id", "sex", "age_band_code") nulls not distinct;`);

    this.addSql(`create table "indicator" ("id" serial primary key, "code" text not null, "name_en" text not null, "name_nl" text not null, "description_en" text not null, "description_nl" text not null, "unit" "indicator_unit" not null, "category" "indicator_category" not null, "period_aggregation" "period_aggregation" not null, "ascending" boolean not null, "disaggregation_set_id" int null);`);
    this.addSql(`alter table "indicator" add constraint "indicator_code_unique" unique ("code");`);
    this.addSql(`create index "indicator_category_index" on "indicator" ("category");`);
    this.addSql(`create index "indicator_disaggregation_set_id_index" on "indicator" ("disaggregation_set_id");`);

    this.addSql(`create table "organisation" ("id" serial primary key, "code" text not null, "name" text not null, "kind" "organisation_kind" not null, "parent_id" int null, "path" text not null, "country_code" varchar(2) null, "website" text null);`);
    this.addSql(`alter table "organisation" add constraint "organisation_code_unique" unique ("code");`);
    this.addSql(`create index "organisation_kind_index" on "organisation" ("kind");`);
    this.addSql(`create index "organisation_parent_id_index" on "organisation" ("parent_id");`);
    this.addSql(`create index "organisation_path_index" on "organisation" ("path");`);
    this.addSql(`create index "organisation_country_code_index" on "organisation" ("country_code");`);

    this.addSql(`create table "period" ("code" varchar(9) not null, "type" "period_type" not null, "start_date" date not null, "end_date" date not null, constraint "period_pkey" primary key ("code"), constraint period_dates_ordered check (start_date <= end_date));`);
    this.addSql(`create index "period_start_date_end_date_index" on "period" ("start_date", "end_date");`);

    this.addSql(`create table "place" ("id" serial primary key, "key" text not null, "country_codes" text[] not null, constraint place_has_countries check (cardinality(country_codes) >= 1));`);
    this.addSql(`alter table "place" add constraint "place_key_unique" unique ("key");`);
    this.addSql(`create index "place_country_codes_index" on "place" using gin ("country_codes");`);

    this.addSql(`create table "programme" ("id" serial primary key, "code" text not null, "name_en" text not null, "name_nl" text not null, "description_en" text not null, "description_nl" text not null, "lead_organisation_id" int not null, "start_date" date null, "end_date" date null, "reporting_period_type" "period_type" not null);`);
    this.addSql(`alter table "programme" add constraint "programme_code_unique" unique ("code");`);
    this.addSql(`create index "programme_lead_organisation_id_index" on "programme" ("lead_organisation_id");`);

    this.addSql(`create table "programme_country" ("id" serial primary key, "programme_id" int not null, "country_code" varchar(2) not null);`);
    this.addSql(`create index "programme_country_programme_id_index" on "programme_country" ("programme_id");`);
    this.addSql(`create index "programme_country_country_code_index" on "programme_country" ("country_code");`);
    this.addSql(`alter table "programme_country" add constraint "programme_country_programme_id_country_code_unique" unique ("programme_id", "country_code");`);

    this.addSql(`create table "programme_indicator" ("id" serial primary key, "programme_id" int not null, "indicator_id" int not null);`);
    this.addSql(`create index "programme_indicator_programme_id_index" on "programme_indicator" ("programme_id");`);
    this.addSql(`create index "programme_indicator_indicator_id_index" on "programme_indicator" ("indicator_id");`);
    this.addSql(`alter table "programme_indicator" add constraint "programme_indicator_programme_id_indicator_id_unique" unique ("programme_id", "indicator_id");`);

    this.addSql(`create table "programme_participant" ("id" serial primary key, "programme_id" int not null, "organisation_id" int not null, "role" "participant_role" not null);`);
    this.addSql(`create index "programme_participant_programme_id_index" on "programme_participant" ("programme_id");`);
    this.addSql(`create index "programme_participant_organisation_id_index" on "programme_participant" ("organisation_id");`);
    this.addSql(`alter table "programme_participant" add constraint "programme_participant_programme_id_organisation_id_role_unique" unique ("programme_id", "organisation_id", "role");`);

    this.addSql(`create table "source_document" ("id" serial primary key, "code" text not null, "title" text not null, "language" varchar(2) not null, "publisher_id" int null, "published_on" date null, "file_name" text not null);`);
    this.addSql(`alter table "source_document" add constraint "source_document_code_unique" unique ("code");`);
    this.addSql(`create index "source_document_publisher_id_index" on "source_document" ("publisher_id");`);

    this.addSql(`create table "result" ("id" serial primary key, "programme_id" int not null, "indicator_id" int not null, "reporting_organisation_id" int not null, "place_id" int not null, "period_code" varchar(9) not null, "disaggregation_id" int null, "value" numeric(14,2) not null, "status" "result_status" not null, "comment" text null, "source_document_id" int null, "source_excerpt" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint result_value_non_negative check (value >= 0));`);
    this.addSql(`create index "result_programme_id_index" on "result" ("programme_id");`);
    this.addSql(`create index "result_indicator_id_index" on "result" ("indicator_id");`);
    this.addSql(`create index "result_reporting_organisation_id_index" on "result" ("reporting_organisation_id");`);
    this.addSql(`create index "result_place_id_index" on "result" ("place_id");`);
    this.addSql(`create index "result_period_code_index" on "result" ("period_code");`);
    this.addSql(`create index "result_disaggregation_id_index" on "result" ("disaggregation_id");`);
    this.addSql(`create index "result_status_index" on "result" ("status");`);
    this.addSql(`create index "result_source_document_id_index" on "result" ("source_document_id");`);
    this.addSql(`create unique index "result_natural_key" on "result" ("programme_id", "indicator_id", "reporting_organisation_id", "place_id", "period_code", "disaggregation_id") nulls not distinct;`);

    this.addSql(`create table "target" ("id" serial primary key, "programme_id" int not null, "indicator_id" int not null, "place_id" int not null, "period_code" varchar(9) null, "disaggregation_id" int null, "baseline" numeric(14,2) null, "value" numeric(14,2) not null, "comment" text null, "source_document_id" int null, "source_excerpt" text null, constraint target_value_non_negative check (value >= 0 and (baseline is null or baseline >= 0)));`);
    this.addSql(`create index "target_programme_id_index" on "target" ("programme_id");`);
    this.addSql(`create index "target_indicator_id_index" on "target" ("indicator_id");`);
    this.addSql(`create index "target_place_id_index" on "target" ("place_id");`);
    this.addSql(`create index "target_period_code_index" on "target" ("period_code");`);
    this.addSql(`create index "target_disaggregation_id_index" on "target" ("disaggregation_id");`);
    this.addSql(`create index "target_source_document_id_index" on "target" ("source_document_id");`);
    this.addSql(`create unique index "target_natural_key" on "target" ("programme_id", "indicator_id", "place_id", "period_code", "disaggregation_id") nulls not distinct;`);

    this.addSql(`alter table "disaggregation" add constraint "disaggregation_set_id_foreign" foreign key ("set_id") references "disaggregation_set" ("id") on update cascade;`);
    this.addSql(`alter table "disaggregation" add constraint "disaggregation_age_band_code_foreign" foreign key ("age_band_code") references "age_band" ("code") on update cascade on delete restrict;`);

    this.addSql(`alter table "indicator" add constraint "indicator_disaggregation_set_id_foreign" foreign key ("disaggregation_set_id") references "disaggregation_set" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "organisation" add constraint "organisation_parent_id_foreign" foreign key ("parent_id") references "organisation" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "organisation" add constraint "organisation_country_code_foreign" foreign key ("country_code") references "country" ("code") on update cascade on delete set null;`);

    this.addSql(`alter table "programme" add constraint "programme_lead_organisation_id_foreign" foreign key ("lead_organisation_id") references "organisation" ("id") on update cascade;`);

    this.addSql(`alter table "programme_country" add constraint "programme_country_programme_id_foreign" foreign key ("programme_id") references "programme" ("id") on update cascade;`);
    this.addSql(`alter table "programme_country" add constraint "programme_country_country_code_foreign" foreign key ("country_code") references "country" ("code") on update cascade;`);

    this.addSql(`alter table "programme_indicator" add constraint "programme_indicator_programme_id_foreign" foreign key ("programme_id") references "programme" ("id") on update cascade;`);
    this.addSql(`alter table "programme_indicator" add constraint "programme_indicator_indicator_id_foreign" foreign key ("indicator_id") references "indicator" ("id") on update cascade;`);

    this.addSql(`alter table "programme_participant" add constraint "programme_participant_programme_id_foreign" foreign key ("programme_id") references "programme" ("id") on update cascade;`);
    this.addSql(`alter table "programme_participant" add constraint "programme_participant_organisation_id_foreign" foreign key ("organisation_id") references "organisation" ("id") on update cascade;`);

    this.addSql(`alter table "source_document" add constraint "source_document_publisher_id_foreign" foreign key ("publisher_id") references "organisation" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "result" add constraint "result_programme_id_foreign" foreign key ("programme_id") references "programme" ("id") on update cascade;`);
    this.addSql(`alter table "result" add constraint "result_indicator_id_foreign" foreign key ("indicator_id") references "indicator" ("id") on update cascade;`);
    this.addSql(`alter table "result" add constraint "result_reporting_organisation_id_foreign" foreign key ("reporting_organisation_id") references "organisation" ("id") on update cascade;`);
    this.addSql(`alter table "result" add constraint "result_place_id_foreign" foreign key ("place_id") references "place" ("id") on update cascade;`);
    this.addSql(`alter table "result" add constraint "result_period_code_foreign" foreign key ("period_code") references "period" ("code") on update cascade;`);
    this.addSql(`alter table "result" add constraint "result_disaggregation_id_foreign" foreign key ("disaggregation_id") references "disaggregation" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "result" add constraint "result_source_document_id_foreign" foreign key ("source_document_id") references "source_document" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "target" add constraint "target_programme_id_foreign" foreign key ("programme_id") references "programme" ("id") on update cascade;`);
    this.addSql(`alter table "target" add constraint "target_indicator_id_foreign" foreign key ("indicator_id") references "indicator" ("id") on update cascade;`);
    this.addSql(`alter table "target" add constraint "target_place_id_foreign" foreign key ("place_id") references "place" ("id") on update cascade;`);
    this.addSql(`alter table "target" add constraint "target_period_code_foreign" foreign key ("period_code") references "period" ("code") on update cascade on delete restrict;`);
    this.addSql(`alter table "target" add constraint "target_disaggregation_id_foreign" foreign key ("disaggregation_id") references "disaggregation" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "target" add constraint "target_source_document_id_foreign" foreign key ("source_document_id") references "source_document" ("id") on update cascade on delete restrict;`);
  }

}
