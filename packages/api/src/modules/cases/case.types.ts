import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { CountryCodeResolver, LocalDateResolver } from 'graphql-scalars';
import { Connection } from '../../graphql/pagination.js';
import { UserError } from '../../graphql/user-error.js';
import { Case, LegalAction, Referral, ServiceOffering } from './case.entity.js';
import {
  CaseStatus,
  ChildAgeBand,
  ChildSex,
  ExploitationType,
  LegalActionType,
  ReferralReason,
  ReferralStatus,
  ReportingChannel,
  ServiceType,
} from './case.enums.js';

@ObjectType({ description: 'A page of cases.' })
export class CaseConnection extends Connection(Case, 'cases') {}

@ObjectType({ description: 'A page of referrals.' })
export class ReferralConnection extends Connection(Referral, 'referrals') {}

@ObjectType({ description: 'A page of legal actions.' })
export class LegalActionConnection extends Connection(LegalAction, 'legal actions') {}

@ObjectType({ description: 'A page of service offerings.' })
export class ServiceOfferingConnection extends Connection(ServiceOffering, 'service offerings') {}

@InputType({ description: 'Narrows down the cases you see.' })
export class CaseFilter {
  @Field(() => [CaseStatus], { nullable: true, description: 'Only cases in these states.' })
  statuses?: CaseStatus[] | null;

  @Field(() => [CountryCodeResolver], { nullable: true, description: 'Only cases in these countries.' })
  countries?: string[] | null;
}

export enum ReferralDirection {
  SENT = 'SENT',
  RECEIVED = 'RECEIVED',
}

registerEnumType(ReferralDirection, {
  name: 'ReferralDirection',
  description: 'Referrals your organisation sent, or received.',
  valuesConfig: { SENT: { description: 'Sent by your organisation.' }, RECEIVED: { description: 'Sent to your organisation.' } },
});

@InputType({ description: 'Narrows down the referrals you see.' })
export class ReferralFilter {
  @Field(() => ReferralDirection, { nullable: true, description: 'Only referrals sent, or only those received; both when empty.' })
  direction?: ReferralDirection | null;

  @Field(() => [ReferralStatus], { nullable: true, description: 'Only referrals in these states.' })
  statuses?: ReferralStatus[] | null;
}

@InputType({ description: 'Narrows down the service offerings.' })
export class ServiceOfferingFilter {
  @Field(() => [ServiceType], { nullable: true, description: 'Only these services.' })
  services?: ServiceType[] | null;

  @Field(() => [CountryCodeResolver], { nullable: true, description: 'Only offerings in these countries.' })
  countries?: string[] | null;
}

@InputType({ description: 'A new case. There is deliberately no field for a name, contact detail, birth date or free text.' })
export class ReportCaseInput {
  @Field(() => ID, {
    nullable: true,
    description:
      'The programme the case is handled under. Required (refused with PROGRAMME_REQUIRED when empty): your organisation, or one above ' +
        'it, must take part in it as lead, member or implementing partner (else ORGANISATION_NOT_IN_PROGRAMME), `country` must be one of ' +
        'its countries (else COUNTRY_NOT_IN_PROGRAMME) and `reportedOn` within its dates (else DATE_OUTSIDE_PROGRAMME).',
  })
  programme?: string | null;

  @Field(() => CountryCodeResolver, { description: 'The country where the case was reported.' })
  country!: string;

  @Field(() => String, {
    nullable: true,
    description:
      'The district where the case was reported, as the ISO 3166-2 code of a subdivision of `country`, for example `BD-13` for Dhaka ' +
        '(see `country { subdivisions }`). Never a name or any other text: anything else is refused with BAD_USER_INPUT.',
  })
  district?: string | null;

  @Field(() => LocalDateResolver, { description: 'When the case was reported; not in the future.' })
  reportedOn!: string;

  @Field(() => ReportingChannel, { description: 'How the case reached you.' })
  channel!: ReportingChannel;

  @Field(() => ExploitationType, { description: 'The main kind of exploitation.' })
  mainExploitation!: ExploitationType;

  @Field(() => [ExploitationType], { nullable: true, description: 'Other kinds of exploitation, if any.' })
  otherExploitation?: ExploitationType[] | null;

  @Field(() => ChildSex, { description: 'The sex of the child.' })
  sex!: ChildSex;

  @Field(() => ChildAgeBand, { description: 'The child\'s age band.' })
  ageBand!: ChildAgeBand;

  @Field(() => Boolean, { description: 'Whether the child (or guardian) agreed that the case may be shared with other organisations.' })
  consentToShare!: boolean;

  @Field(() => Boolean, { description: 'Whether the child (or guardian) agreed to receive services.' })
  consentForServices!: boolean;

  @Field(() => String, { nullable: true, description: 'Makes the call safe to retry: a second call with the same key returns the first ' +
    'answer instead of reporting the case twice. The SDK sets a random one; only its SHA-256 hash is kept. Never put anything about the ' +
    'child in it.' })
  idempotencyKey?: string | null;
}

@InputType({ description: 'Changes to a case. Fields left empty stay as they are.' })
export class UpdateCaseInput {
  @Field(() => ID, { description: 'The case.' })
  case!: string;

  @Field(() => Int, { nullable: true, description: 'The version you last read; the change is refused with CONFLICT when someone changed the case since.' })
  expectedVersion?: number | null;

  @Field(() => CaseStatus, { nullable: true, description: 'The new status. Closing starts the retention period; reopening is possible until it ends.' })
  status?: CaseStatus | null;

  @Field(() => String, { nullable: true, description: 'The district: the ISO 3166-2 code of a subdivision of the case\'s country, for ' +
    'example `BD-13`; anything else is refused with BAD_USER_INPUT.' })
  district?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Consent to share with other organisations. Withdrawing it revokes open referrals to other organisations.' })
  consentToShare?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'Consent to receive services. Withdrawing it revokes every open referral.' })
  consentForServices?: boolean | null;
}

@ObjectType({ description: 'The answer to reporting or changing a case.' })
export class CasePayload {
  caseId!: number | null;

  @Field(() => [UserError], { description: 'Why the change was refused; empty on success.' })
  userErrors!: UserError[];

  @Field(() => Boolean, { description: 'True when this answer was stored from an earlier call with the same idempotency key.' })
  replayed!: boolean;
}

@InputType({ description: 'A referral of a case to a service provider.' })
export class ReferCaseInput {
  @Field(() => ID, { description: 'The case (one your organisation owns).' })
  case!: string;

  @Field(() => ID, { description: 'The organisation to refer to; it must offer the service in the case\'s country (see `serviceOfferings`).' })
  provider!: string;

  @Field(() => ServiceType, { description: 'The service.' })
  service!: ServiceType;

  @Field(() => LocalDateResolver, { nullable: true, description: 'When the referral was made; today when empty.' })
  referredOn?: string | null;

  @Field(() => String, { nullable: true, description: 'Makes the call safe to retry (see `ReportCaseInput.idempotencyKey`).' })
  idempotencyKey?: string | null;
}

@InputType({ description: 'The service provider\'s answer to a referral.' })
export class RespondToReferralInput {
  @Field(() => ID, { description: 'The referral (one sent to your organisation).' })
  referral!: string;

  @Field(() => Boolean, { description: 'True to accept, false to reject.' })
  accept!: boolean;

  @Field(() => ReferralReason, { nullable: true, description: 'Why it was rejected; required when rejecting.' })
  reason?: ReferralReason | null;

  @Field(() => LocalDateResolver, { nullable: true, description: 'When you answered; today when empty.' })
  respondedOn?: string | null;
}

@InputType({ description: 'The end of a service.' })
export class CompleteReferralInput {
  @Field(() => ID, { description: 'The referral (an accepted one sent to your organisation).' })
  referral!: string;

  @Field(() => Boolean, { description: 'Whether the service was delivered to the end successfully.' })
  successful!: boolean;

  @Field(() => ReferralReason, { nullable: true, description: 'Why it was not successful; required then.' })
  reason?: ReferralReason | null;

  @Field(() => LocalDateResolver, { nullable: true, description: 'When the service ended; today when empty.' })
  completedOn?: string | null;
}

@InputType({ description: 'Withdrawing a referral your organisation sent.' })
export class RevokeReferralInput {
  @Field(() => ID, { description: 'The referral (IN_PROGRESS or ACCEPTED).' })
  referral!: string;

  @Field(() => ReferralReason, { description: 'Why it is withdrawn.' })
  reason!: ReferralReason;
}

@ObjectType({ description: 'The answer to a change of a referral.' })
export class ReferralPayload {
  referralId!: number | null;

  @Field(() => [UserError], { description: 'Why the change was refused; empty on success.' })
  userErrors!: UserError[];

  @Field(() => Boolean, { description: 'True when this answer was stored from an earlier call with the same idempotency key.' })
  replayed!: boolean;
}

@InputType({ description: 'A step against a suspected offender. No names are recorded.' })
export class RecordLegalActionInput {
  @Field(() => LegalActionType, { description: 'What was done.' })
  type!: LegalActionType;

  @Field(() => LocalDateResolver, { description: 'When; not in the future.' })
  actionOn!: string;

  @Field(() => CountryCodeResolver, { nullable: true, description: 'Where; the case\'s country when a case is given.' })
  country?: string | null;

  @Field(() => ID, { nullable: true, description: 'The case it concerns, if any (one your organisation owns).' })
  case?: string | null;

  @Field(() => ID, {
    nullable: true,
    description:
      'The programme it belongs to; leave it empty when a case is given, which brings its own programme. Required otherwise. As for a ' +
        'case, your organisation must take part in it, the country be one of its countries and `actionOn` within its dates.',
  })
  programme?: string | null;

  @Field(() => String, { nullable: true, description: 'Makes the call safe to retry (see `ReportCaseInput.idempotencyKey`).' })
  idempotencyKey?: string | null;
}

@ObjectType({ description: 'The answer to recording a legal action.' })
export class LegalActionPayload {
  legalActionId!: number | null;

  @Field(() => [UserError], { description: 'Why it was refused; empty on success.' })
  userErrors!: UserError[];

  @Field(() => Boolean, { description: 'True when this answer was stored from an earlier call with the same idempotency key.' })
  replayed!: boolean;
}

@InputType({ description: 'One service and the countries it is offered in.' })
export class ServiceOfferingInput {
  @Field(() => ServiceType, { description: 'The service.' })
  service!: ServiceType;

  @Field(() => [CountryCodeResolver], { description: 'The countries it is offered in.' })
  countries!: string[];
}

@InputType({ description: 'The complete list of services an organisation offers; it replaces the previous list.' })
export class SetServiceOfferingsInput {
  @Field(() => ID, { description: 'The organisation (yours or one of your local partners).' })
  organisation!: string;

  @Field(() => [ServiceOfferingInput], { description: 'Every service it offers, with where; an empty list means none.' })
  offerings!: ServiceOfferingInput[];
}

@ObjectType({ description: 'The answer to setting an organisation\'s services.' })
export class ServiceOfferingsPayload {
  organisationId!: number | null;

  @Field(() => [UserError], { description: 'Why it was refused; empty on success.' })
  userErrors!: UserError[];
}
