import { Check, Entity, Enum, ManyToOne, OptionalProps, PrimaryKey, Property, Unique, type Ref } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { Node } from '../node/node.type.js';
import { toGlobalId } from '../node/global-id.js';
import { Organisation } from '../organisations/organisation.entity.js';
import { Country } from '../countries/country.entity.js';
import { Indicator } from '../indicators/indicator.entity.js';
import { PeriodType } from '../periods/period-code.js';
import { ExploitationType } from '../cases/case.enums.js';
import { ParticipantRole, ProgrammeKind } from './programme.enums.js';

@Entity({ tableName: 'programme' })
@Check({ name: 'programme_exploitation_types_check', expression: 'exploitation_types <@ enum_range(null::exploitation_type)::text[]' })
@ObjectType({
  implements: Node,
  description: 'A programme, such as "Down to Zero" (2016–2020): who leads it, who takes part, where it works, what it aims for and what it achieved.',
})
export class Programme {
  [OptionalProps]?: 'nodeId' | 'kind' | 'exploitationTypes';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Field(() => ID, { name: 'id', description: 'Opaque global identifier; use it with `node(id:)`.' })
  get nodeId(): string {
    return toGlobalId('Programme', this.id);
  }

  @Property({ type: 'text', unique: true })
  @Field(() => String, { description: 'A short, stable code, for example `down-to-zero`.' })
  code!: string;

  @Property({ type: 'text' })
  nameEn!: string;

  @Property({ type: 'text' })
  nameNl!: string;

  @Property({ type: 'text' })
  descriptionEn!: string;

  @Property({ type: 'text' })
  descriptionNl!: string;

  @ManyToOne(() => Organisation, { ref: true, index: true })
  leadOrganisation!: Ref<Organisation>;

  @Enum({ items: () => ProgrammeKind, nativeEnumName: 'programme_kind', default: ProgrammeKind.PROGRAMME })
  @Field(() => ProgrammeKind, { description: 'A programme (or project), or a campaign.' })
  kind: ProgrammeKind = ProgrammeKind.PROGRAMME;

  @Property({ type: 'text[]', default: '{}' })
  @Field(() => [ExploitationType], { description: 'The forms of exploitation of children the programme addresses, as its documents name them; empty when they name none.' })
  exploitationTypes: ExploitationType[] = [];

  @Property({ type: 'date', nullable: true })
  @Field(() => String, {
    nullable: true,
    description: 'The first day of the programme (ISO date), when its documents give it; the description says so when they do not. Cases can be recorded from this day on.',
  })
  startDate?: string | null;

  @Property({ type: 'date', nullable: true })
  @Field(() => String, {
    nullable: true,
    description: 'The last day of the programme (ISO date): the horizon of its whole-programme targets, when its documents give it; the description says so when they do not.',
  })
  endDate?: string | null;

  @Enum({ items: () => PeriodType, nativeEnumName: 'period_type' })
  @Field(() => PeriodType, { description: 'The period length the programme reports its results in, for example `YEAR` or `SEMESTER`.' })
  reportingPeriodType!: PeriodType;
}

@Entity({ tableName: 'programme_participant' })
@Unique({ properties: ['programme', 'organisation', 'role'] })
@ObjectType({ description: 'An organisation taking part in a programme, and the part it plays.' })
export class ProgrammeParticipant {
  @PrimaryKey({ type: 'integer' })
  id!: number;

  @ManyToOne(() => Programme, { ref: true, index: true })
  programme!: Ref<Programme>;

  @ManyToOne(() => Organisation, { ref: true, index: true })
  organisation!: Ref<Organisation>;

  @Enum({ items: () => ParticipantRole, nativeEnumName: 'participant_role' })
  @Field(() => ParticipantRole, { description: 'The part the organisation plays in the programme.' })
  role!: ParticipantRole;
}

@Entity({ tableName: 'programme_country' })
@Unique({ properties: ['programme', 'country'] })
export class ProgrammeCountry {
  @PrimaryKey({ type: 'integer' })
  id!: number;

  @ManyToOne(() => Programme, { ref: true, index: true })
  programme!: Ref<Programme>;

  @ManyToOne(() => Country, { ref: true, index: true, fieldName: 'country_code' })
  country!: Ref<Country>;
}

@Entity({ tableName: 'programme_indicator' })
@Unique({ properties: ['programme', 'indicator'] })
export class ProgrammeIndicator {
  @PrimaryKey({ type: 'integer' })
  id!: number;

  @ManyToOne(() => Programme, { ref: true, index: true })
  programme!: Ref<Programme>;

  @ManyToOne(() => Indicator, { ref: true, index: true })
  indicator!: Ref<Indicator>;
}
