import { Check, Entity, Enum, ManyToOne, OptionalProps, PrimaryKey, Property, Unique, type Ref } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { LocalDateResolver } from 'graphql-scalars';
import { Node } from '../node/node.type.js';
import { toGlobalId } from '../node/global-id.js';
import { Organisation } from '../organisations/organisation.entity.js';
import { Programme } from '../programmes/programme.entity.js';
import { Country } from '../countries/country.entity.js';
import { SUBDIVISION_CODE_PATTERN } from '../countries/subdivision.js';
import {
  CaseStatus,
  ChildAgeBand,
  ChildSex,
  ExploitationType,
  LegalActionType,
  ReferralDelay,
  ReferralReason,
  ReferralStatus,
  ReportingChannel,
  ServiceType,
} from './case.enums.js';

/** Each record's disclosure key: random, 0 to 255, drawn by the database when the record is made. */
const DISCLOSURE_KEY_DEFAULT = 'new_disclosure_key()';

/**
 * A case of a child victim, by construction pseudonymous: a system-made reference, no names, no contact
 * details, no birth date, no free text. Only case workers of the owning organisation (and of organisations
 * it referred the case to) read it, and every read is audited.
 */
@Entity({ tableName: 'child_case' })
// The district is a code, never free text, and lies in the case's country (the service checks it is a real subdivision).
@Check({ name: 'child_case_district_check', expression: `district ~ '${SUBDIVISION_CODE_PATTERN}' and left(district, 2) = country_code` })
@ObjectType({
  implements: Node,
  description:
    'A reported case of a child victim of trafficking or exploitation. Pseudonymous by design: it holds no name, contact detail, birth date or free text about the child. Visible only to case workers of the organisation that owns it and of the organisations it was referred to; every read is recorded in the audit trail.',
})
export class Case {
  [OptionalProps]?: 'nodeId' | 'version' | 'createdAt' | 'updatedAt' | 'synthetic' | 'otherExploitation';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Field(() => ID, { name: 'id', description: 'Opaque global identifier; use it with `node(id:)` or `case(id:)`.' })
  get nodeId(): string {
    return toGlobalId('Case', this.id);
  }

  @Property({ type: 'text', unique: true })
  @Field(() => String, { description: 'The case\'s reference, made by the system (for example `CR-7K3M-9QXD`). It says nothing about the child.' })
  reference!: string;

  @ManyToOne(() => Organisation, { ref: true, index: true })
  ownerOrganisation!: Ref<Organisation>;

  @ManyToOne(() => Programme, { ref: true, nullable: true, index: true })
  programme?: Ref<Programme> | null;

  @ManyToOne(() => Country, { ref: true, fieldName: 'country_code', index: true })
  country!: Ref<Country>;

  @Property({ type: 'text', nullable: true })
  @Field(() => String, {
    nullable: true,
    description: 'The ISO 3166-2 code of the district where the case was reported, for example `BD-13`.',
    deprecationReason: 'Use `subdivision { code name }`: the same code, with its name.',
  })
  district?: string | null;

  @Property({ type: 'date', index: true })
  @Field(() => LocalDateResolver, { description: 'When the case was reported. Becomes the 1st of January of that year when the retention period after closing ends.' })
  reportedOn!: string;

  @Enum({ items: () => ReportingChannel, nativeEnumName: 'reporting_channel' })
  @Field(() => ReportingChannel, { description: 'How the case reached the organisation.' })
  channel!: ReportingChannel;

  @Enum({ items: () => ExploitationType, nativeEnumName: 'exploitation_type' })
  @Field(() => ExploitationType, { description: 'The main kind of exploitation; statistics count the case under this type.' })
  mainExploitation!: ExploitationType;

  @Property({ type: 'text[]', default: '{}' })
  @Field(() => [ExploitationType], { description: 'Other kinds of exploitation the child suffered, if any.' })
  otherExploitation: ExploitationType[] = [];

  @Enum({ items: () => ChildSex, nativeEnumName: 'child_sex' })
  @Field(() => ChildSex, { description: 'The sex of the child.' })
  sex!: ChildSex;

  @Enum({ items: () => ChildAgeBand, nativeEnumName: 'child_age_band' })
  @Field(() => ChildAgeBand, { description: 'The child\'s age band when the case was reported.' })
  ageBand!: ChildAgeBand;

  @Enum({ items: () => CaseStatus, nativeEnumName: 'case_status', index: true })
  @Field(() => CaseStatus, { description: 'Where the case stands.' })
  status!: CaseStatus;

  @Property({ type: 'boolean' })
  @Field(() => Boolean, { description: 'The child (or guardian) agreed that the case may be shared with other organisations. Without it the case cannot be referred elsewhere.' })
  consentToShare!: boolean;

  @Property({ type: 'boolean' })
  @Field(() => Boolean, { description: 'The child (or guardian) agreed to receive services. Without it the case cannot be referred at all.' })
  consentForServices!: boolean;

  @Property({ type: 'date', nullable: true })
  @Field(() => LocalDateResolver, { nullable: true, description: 'When consent was last recorded or changed.' })
  consentRecordedOn?: string | null;

  @Property({ type: 'date', nullable: true })
  @Field(() => LocalDateResolver, { nullable: true, description: 'When the case was closed; the retention period runs from this day.' })
  closedOn?: string | null;

  @Property({ type: 'timestamptz', nullable: true })
  @Field(() => Date, { nullable: true, description: 'When the retention period ended and the district and exact dates were removed; empty until then.' })
  coarsenedAt?: Date | null;

  /** Kept by retention: how soon the child was first referred, once the exact dates are gone. */
  @Enum({ items: () => ReferralDelay, nativeEnumName: 'referral_delay', nullable: true, hidden: true })
  referralDelay?: ReferralDelay | null;

  /** The record's secret random key for the perturbation of the registry's statistics (disclosure.ts); never shown. */
  @Property({ type: 'integer', defaultRaw: DISCLOSURE_KEY_DEFAULT, hidden: true })
  disclosureKey?: number;

  @Property({ type: 'boolean', default: false })
  @Field(() => Boolean, { description: 'True for made-up demonstration records (the demo data); false for real cases.' })
  synthetic: boolean = false;

  @Property({ type: 'integer', default: 1 })
  @Field(() => Number, { description: 'Goes up by one with every change; send it as `expectedVersion` to avoid overwriting someone else\'s change.' })
  version: number = 1;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  updatedAt: Date = new Date();
}

/** A referral of a case to a service provider for one service. */
@Entity({ tableName: 'referral' })
@ObjectType({
  implements: Node,
  description:
    'A referral of a child to a service provider for one service, such as shelter or legal aid. Seen only by case workers of the sending and the receiving organisation; every read is audited.',
})
export class Referral {
  [OptionalProps]?: 'nodeId' | 'version' | 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Field(() => ID, { name: 'id', description: 'Opaque global identifier.' })
  get nodeId(): string {
    return toGlobalId('Referral', this.id);
  }

  @ManyToOne(() => Case, { ref: true, index: true, fieldName: 'case_id' })
  caseRecord!: Ref<Case>;

  @ManyToOne(() => Organisation, { ref: true, index: true })
  fromOrganisation!: Ref<Organisation>;

  @ManyToOne(() => Organisation, { ref: true, index: true })
  toOrganisation!: Ref<Organisation>;

  @Enum({ items: () => ServiceType, nativeEnumName: 'service_type' })
  @Field(() => ServiceType, { description: 'The service the child is referred for.' })
  service!: ServiceType;

  @Enum({ items: () => ReferralStatus, nativeEnumName: 'referral_status', index: true })
  @Field(() => ReferralStatus, { description: 'Where the referral stands.' })
  status!: ReferralStatus;

  @Property({ type: 'date' })
  @Field(() => LocalDateResolver, { description: 'When the referral was sent.' })
  referredOn!: string;

  @Property({ type: 'date', nullable: true })
  @Field(() => LocalDateResolver, { nullable: true, description: 'When the service provider accepted or rejected it.' })
  respondedOn?: string | null;

  @Property({ type: 'date', nullable: true })
  @Field(() => LocalDateResolver, { nullable: true, description: 'When the service ended (DONE) or the referral was revoked.' })
  closedOn?: string | null;

  @Property({ type: 'boolean', nullable: true })
  @Field(() => Boolean, { nullable: true, description: 'For a DONE referral: whether the service was delivered to the end successfully.' })
  successful?: boolean | null;

  @Enum({ items: () => ReferralReason, nativeEnumName: 'referral_reason', nullable: true })
  @Field(() => ReferralReason, { nullable: true, description: 'Why it was rejected, revoked or not successful.' })
  reason?: ReferralReason | null;

  /** The record's secret random key for the perturbation of the registry's statistics (disclosure.ts); never shown. */
  @Property({ type: 'integer', defaultRaw: DISCLOSURE_KEY_DEFAULT, hidden: true })
  disclosureKey?: number;

  @Property({ type: 'integer', default: 1 })
  @Field(() => Number, { description: 'Goes up by one with every change.' })
  version: number = 1;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  updatedAt: Date = new Date();
}

/** A step against a suspected offender: investigation, arrest, prosecution, conviction or acquittal. */
@Entity({ tableName: 'legal_action' })
@ObjectType({
  implements: Node,
  description: 'A step taken against a suspected offender, optionally linked to a case. No names of suspects or victims are recorded.',
})
export class LegalAction {
  [OptionalProps]?: 'nodeId' | 'createdAt' | 'synthetic';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Field(() => ID, { name: 'id', description: 'Opaque global identifier.' })
  get nodeId(): string {
    return toGlobalId('LegalAction', this.id);
  }

  @ManyToOne(() => Organisation, { ref: true, index: true })
  organisation!: Ref<Organisation>;

  @ManyToOne(() => Programme, { ref: true, nullable: true, index: true })
  programme?: Ref<Programme> | null;

  @ManyToOne(() => Case, { ref: true, nullable: true, index: true, fieldName: 'case_id' })
  caseRecord?: Ref<Case> | null;

  @ManyToOne(() => Country, { ref: true, fieldName: 'country_code', index: true })
  country!: Ref<Country>;

  @Enum({ items: () => LegalActionType, nativeEnumName: 'legal_action_type' })
  @Field(() => LegalActionType, { description: 'What was done.' })
  type!: LegalActionType;

  @Property({ type: 'date' })
  @Field(() => LocalDateResolver, { description: 'When it happened. For actions linked to a case, becomes the 1st of January of that year when the case\'s retention period ends.' })
  actionOn!: string;

  /** The record's secret random key for the perturbation of the registry's statistics (disclosure.ts); never shown. */
  @Property({ type: 'integer', defaultRaw: DISCLOSURE_KEY_DEFAULT, hidden: true })
  disclosureKey?: number;

  @Property({ type: 'boolean', default: false })
  @Field(() => Boolean, { description: 'True for made-up demonstration records.' })
  synthetic: boolean = false;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}

/** A service an organisation offers in a country: what makes it a service provider. */
@Entity({ tableName: 'service_offering' })
@Unique({ properties: ['organisation', 'service', 'country'] })
@ObjectType({ description: 'A service an organisation offers in a country, so that case workers can refer children to it.' })
export class ServiceOffering {
  @PrimaryKey({ type: 'integer' })
  id!: number;

  @ManyToOne(() => Organisation, { ref: true, index: true })
  organisation!: Ref<Organisation>;

  @Enum({ items: () => ServiceType, nativeEnumName: 'service_type' })
  @Field(() => ServiceType, { description: 'The service.' })
  service!: ServiceType;

  @ManyToOne(() => Country, { ref: true, fieldName: 'country_code', index: true })
  country!: Ref<Country>;
}
