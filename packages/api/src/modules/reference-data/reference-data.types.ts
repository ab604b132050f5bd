import { ExploitationType, RegistryMeasure } from '../cases/case.enums.js';
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { CountryCodeResolver } from 'graphql-scalars';
import { UserError } from '../../graphql/user-error.js';
import { Organisation } from '../organisations/organisation.entity.js';
import { OrganisationKind } from '../organisations/organisation.enums.js';
import { Programme } from '../programmes/programme.entity.js';
import { ParticipantRole, ProgrammeKind } from '../programmes/programme.enums.js';
import { Indicator } from '../indicators/indicator.entity.js';
import { IndicatorCategory, IndicatorUnit, PeriodAggregation } from '../indicators/indicator.enums.js';
import { DisaggregationSet } from '../indicators/disaggregation.entity.js';
import { DisaggregationDimension, Sex } from '../indicators/disaggregation.enums.js';
import { PeriodType } from '../periods/period-code.js';

@InputType({ description: 'A new organisation.' })
export class CreateOrganisationInput {
  @Field(() => String, { description: 'A short, stable code: lower-case letters, digits and hyphens, for example `tdh-bd-partner`.' })
  code!: string;

  @Field(() => String, { description: 'The organisation\'s name.' })
  name!: string;

  @Field(() => OrganisationKind, { description: 'What kind of organisation it is. Partner admins create LOCAL_PARTNER organisations only.' })
  kind!: OrganisationKind;

  @Field(() => ID, { nullable: true, description: 'The organisation it belongs to, for example the alliance member of a local partner. Required for partner admins: their own organisation or one under it.' })
  parent?: string | null;

  @Field(() => CountryCodeResolver, { nullable: true, description: 'The country it is based in.' })
  country?: string | null;

  @Field(() => String, { nullable: true, description: 'Its public website.' })
  website?: string | null;
}

@InputType({ description: 'Changes to an organisation; fields left out stay as they are.' })
export class UpdateOrganisationInput {
  @Field(() => ID, { description: 'The organisation.' })
  id!: string;

  @Field(() => String, { nullable: true, description: 'A new name.' })
  name?: string | null;

  @Field(() => CountryCodeResolver, { nullable: true, description: 'A new country.' })
  country?: string | null;

  @Field(() => String, { nullable: true, description: 'A new website.' })
  website?: string | null;
}

@ObjectType({ description: 'The answer to creating or changing an organisation.' })
export class OrganisationPayload {
  @Field(() => Organisation, { nullable: true, description: 'The organisation as it is now; empty when the change was refused.' })
  organisation!: Organisation | null;

  @Field(() => [UserError], { description: 'Why the change was refused; empty on success.' })
  userErrors!: UserError[];
}

@InputType({ description: 'An organisation taking part in a programme.' })
export class ParticipantInput {
  @Field(() => ID, { description: 'The organisation.' })
  organisation!: string;

  @Field(() => ParticipantRole, { description: 'Its part in the programme.' })
  role!: ParticipantRole;
}

@InputType({ description: 'A new programme or changes to one; on a change, fields left out stay as they are and lists given replace the old ones.' })
export class ProgrammeInput {
  @Field(() => ID, { nullable: true, description: 'The programme to change; leave out to create one.' })
  id?: string | null;

  @Field(() => String, { nullable: true, description: 'A short, stable code (required to create), for example `down-to-zero`.' })
  code?: string | null;

  @Field(() => String, { nullable: true, description: 'The name in English (required to create).' })
  nameEn?: string | null;

  @Field(() => String, { nullable: true, description: 'The name in Dutch; English is used when it is missing.' })
  nameNl?: string | null;

  @Field(() => String, { nullable: true, description: 'What the programme does, in English (required to create).' })
  descriptionEn?: string | null;

  @Field(() => String, { nullable: true, description: 'What the programme does, in Dutch.' })
  descriptionNl?: string | null;

  @Field(() => ID, { nullable: true, description: 'The lead organisation (required to create).' })
  leadOrganisation?: string | null;

  @Field(() => ProgrammeKind, { nullable: true, description: 'A programme (the default when creating) or a campaign.' })
  kind?: ProgrammeKind | null;

  @Field(() => [ExploitationType], { nullable: true, description: 'The forms of exploitation of children it addresses; a list given replaces the old one.' })
  exploitationTypes?: ExploitationType[] | null;

  @Field(() => String, { nullable: true, description: 'The first day (ISO date).' })
  startDate?: string | null;

  @Field(() => String, { nullable: true, description: 'The last day (ISO date).' })
  endDate?: string | null;

  @Field(() => PeriodType, { nullable: true, description: 'The period length figures are reported in (required to create); it cannot change once figures exist.' })
  reportingPeriodType?: PeriodType | null;

  @Field(() => [CountryCodeResolver], { nullable: true, description: 'The countries it works in; a country with figures cannot be removed.' })
  countries?: string[] | null;

  @Field(() => [ParticipantInput], { nullable: true, description: 'The organisations taking part, with their roles.' })
  participants?: ParticipantInput[] | null;

  @Field(() => [String], { nullable: true, description: 'The codes of the indicators it reports on; an indicator with figures cannot be removed.' })
  indicators?: string[] | null;
}

@ObjectType({ description: 'The answer to creating or changing a programme.' })
export class ProgrammePayload {
  @Field(() => Programme, { nullable: true, description: 'The programme as it is now; empty when the change was refused.' })
  programme!: Programme | null;

  @Field(() => [UserError], { description: 'Why the change was refused; empty on success.' })
  userErrors!: UserError[];
}

@InputType({ description: 'A new indicator or changes to one; on a change, fields left out stay as they are.' })
export class IndicatorInput {
  @Field(() => ID, { nullable: true, description: 'The indicator to change; leave out to create one.' })
  id?: string | null;

  @Field(() => String, { nullable: true, description: 'A short, stable code (required to create), for example `CTA-CHANGE-AGENTS`: capitals, digits and hyphens.' })
  code?: string | null;

  @Field(() => String, { nullable: true, description: 'The name in English (required to create).' })
  nameEn?: string | null;

  @Field(() => String, { nullable: true, description: 'The name in Dutch.' })
  nameNl?: string | null;

  @Field(() => String, { nullable: true, description: 'What exactly it counts, in English (required to create).' })
  descriptionEn?: string | null;

  @Field(() => String, { nullable: true, description: 'What exactly it counts, in Dutch.' })
  descriptionNl?: string | null;

  @Field(() => IndicatorUnit, { nullable: true, description: 'What it counts (required to create); it cannot change once figures exist.' })
  unit?: IndicatorUnit | null;

  @Field(() => IndicatorCategory, { nullable: true, description: 'Its theme (required to create).' })
  category?: IndicatorCategory | null;

  @Field(() => PeriodAggregation, { nullable: true, description: 'How periods combine (default SUM); it cannot change once figures exist.' })
  periodAggregation?: PeriodAggregation | null;

  @Field(() => Boolean, { nullable: true, description: 'True (the default) when higher is better.' })
  ascending?: boolean | null;

  @Field(() => ID, { nullable: true, description: 'The breakdowns it accepts (a disaggregation set). Pointing it at a new version keeps old figures with the version they were reported in.' })
  disaggregationSet?: string | null;

  @Field(() => RegistryMeasure, {
    nullable: true,
    description: 'Let the case registry produce this indicator\'s figures (at most one indicator per measure). Programmes that report the indicator themselves keep their reported figures.',
  })
  registryMeasure?: RegistryMeasure | null;
}

@ObjectType({ description: 'The answer to creating or changing an indicator.' })
export class IndicatorPayload {
  @Field(() => Indicator, { nullable: true, description: 'The indicator as it is now; empty when the change was refused.' })
  indicator!: Indicator | null;

  @Field(() => [UserError], { description: 'Why the change was refused; empty on success.' })
  userErrors!: UserError[];
}

@InputType({ description: 'The breakdowns of a disaggregation set, by code.' })
export class DisaggregationSetInput {
  @Field(() => String, { description: 'The set\'s code, for example `children-sex-age`.' })
  code!: string;

  @Field(() => String, { description: 'The name in English.' })
  nameEn!: string;

  @Field(() => String, { nullable: true, description: 'The name in Dutch.' })
  nameNl?: string | null;

  @Field(() => [DisaggregationDimension], { description: 'The dimensions it breaks figures down by.' })
  dimensions!: DisaggregationDimension[];

  @Field(() => [Sex], { description: 'The sexes it distinguishes (empty without SEX).' })
  sexes!: Sex[];

  @Field(() => [String], { description: 'The codes of the age bands it distinguishes (empty without AGE_BAND).' })
  ageBands!: string[];
}

@ObjectType({ description: 'The answer to saving a disaggregation set.' })
export class DisaggregationSetPayload {
  @Field(() => DisaggregationSet, { nullable: true, description: 'The set as saved; empty when it was refused.' })
  disaggregationSet!: DisaggregationSet | null;

  @Field(() => Boolean, { description: 'True when a new version was made because figures already use the old one; point indicators at it to use it.' })
  newVersion!: boolean;

  @Field(() => [UserError], { description: 'Why the set was refused; empty on success.' })
  userErrors!: UserError[];
}
