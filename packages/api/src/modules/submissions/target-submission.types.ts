import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { CountryCodeResolver } from 'graphql-scalars';
import { PeriodCodeScalar } from '../periods/period.scalar.js';
import { Sex } from '../indicators/disaggregation.enums.js';
import { UserError } from '../../graphql/user-error.js';
import { MAX_ROWS, RowOutcome } from './submission.types.js';

@InputType({ description: 'One target: what a programme aims for on one indicator, in one place, for one period or the whole programme.' })
export class TargetRowInput {
  @Field(() => String, { description: 'The indicator\'s code; it must belong to the programme.' })
  indicator!: string;

  @Field(() => [CountryCodeResolver], { description: 'The country, or the countries of a target set for a group of countries together.' })
  countries!: string[];

  @Field(() => PeriodCodeScalar, { nullable: true, description: 'The period, of the programme\'s reporting period type; leave it out for a target for the whole programme.' })
  period?: string | null;

  @Field(() => Sex, { nullable: true, description: 'The sex the target counts, when it is broken down by sex.' })
  sex?: Sex | null;

  @Field(() => String, { nullable: true, description: 'The age band the target counts, for example `10-14`.' })
  ageBand?: string | null;

  @Field(() => Float, { description: 'The value to reach: a whole number, zero or more.' })
  value!: number;

  @Field(() => Float, { nullable: true, description: 'The value at the start, when known: a whole number, zero or more.' })
  baseline?: number | null;

  @Field(() => String, { nullable: true, description: 'A remark about the target, at most 2,000 characters. Public as soon as the target ' +
    'is set: it must never describe a child or anyone else who could be recognised.' })
  comment?: string | null;

  @Field(() => Int, { nullable: true, description: 'The `version` you last read of this target; if it changed since, the row is rejected with VERSION_CONFLICT.' })
  expectedVersion?: number | null;
}

@InputType({ description: `A batch of up to ${MAX_ROWS} targets of one programme.` })
export class SubmitTargetsInput {
  @Field(() => ID, { description: 'The programme the targets belong to.' })
  programme!: string;

  @Field(() => [TargetRowInput], { description: `The targets, 1 to ${MAX_ROWS}. A target that already exists (same indicator, place, period and breakdown) is replaced.` })
  rows!: TargetRowInput[];

  @Field(() => Boolean, { nullable: true, defaultValue: true, description: 'True (the default): if any row is rejected, nothing is written.' })
  atomic?: boolean | null;

  @Field(() => String, { nullable: true, description: 'Makes retries safe, as for `submitResults`.' })
  idempotencyKey?: string | null;
}

@ObjectType({ description: 'What happened to one row of a target submission.' })
export class TargetRowOutcome {
  @Field(() => Int, { description: 'The row\'s position in `rows`, from 0.' })
  index!: number;

  @Field(() => RowOutcome, { description: 'What happened to the row.' })
  outcome!: RowOutcome;

  @Field(() => String, { nullable: true, description: 'Why the row was rejected; empty otherwise.' })
  code!: string | null;

  @Field(() => [String], { nullable: true, description: 'The input field at fault.' })
  field!: string[] | null;

  @Field(() => String, { nullable: true, description: 'What is wrong with the row and how to fix it.' })
  message!: string | null;

  targetId!: number | null;
}

@ObjectType({ description: 'The answer to a target submission.' })
export class SubmitTargetsPayload {
  @Field(() => Int, { description: 'Rows that created a target.' })
  created!: number;

  @Field(() => Int, { description: 'Rows that changed a target.' })
  updated!: number;

  @Field(() => Int, { description: 'Rows identical to the recorded target.' })
  unchanged!: number;

  @Field(() => Int, { description: 'Rows rejected.' })
  rejected!: number;

  @Field(() => Boolean, { description: 'True when this answer is a replay of an earlier submission with the same idempotency key.' })
  replayed!: boolean;

  @Field(() => [TargetRowOutcome], { description: 'One outcome per row, in the order of the input.' })
  rows!: TargetRowOutcome[];

  @Field(() => [UserError], { description: 'Why the whole submission was refused; empty otherwise.' })
  userErrors!: UserError[];
}
