import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { CountryCodeResolver } from 'graphql-scalars';
import { PeriodCodeScalar } from '../periods/period.scalar.js';
import { Sex } from '../indicators/disaggregation.enums.js';
import { UserError } from '../../graphql/user-error.js';

export const MAX_ROWS = 5000;

export enum SubmissionStatus {
  DRAFT = 'DRAFT',
  SUBMITTED = 'SUBMITTED',
}

registerEnumType(SubmissionStatus, {
  name: 'SubmissionStatus',
  description: 'The review state submitted figures get.',
  valuesConfig: {
    DRAFT: { description: 'Keep them as drafts, visible only in your lane, to submit later.' },
    SUBMITTED: { description: 'Submit them for review by the alliance.' },
  },
});

export enum RowOutcome {
  CREATED = 'CREATED',
  UPDATED = 'UPDATED',
  UNCHANGED = 'UNCHANGED',
  REJECTED = 'REJECTED',
  NOT_WRITTEN = 'NOT_WRITTEN',
}

registerEnumType(RowOutcome, {
  name: 'RowOutcome',
  description: 'What happened to one row of a submission.',
  valuesConfig: {
    CREATED: { description: 'A new figure was recorded.' },
    UPDATED: { description: 'The figure already existed and its value, comment or state changed.' },
    UNCHANGED: { description: 'The figure already existed exactly like this; nothing was written.' },
    REJECTED: { description: 'The row is invalid; `code`, `field` and `message` say why.' },
    NOT_WRITTEN: { description: 'The row is valid, but another row was rejected, and an atomic submission writes all rows or none.' },
  },
});

@InputType({ description: 'One figure to record: what (indicator), where (one or more countries), when (period), for whom (optional breakdown) and how many.' })
export class ResultRowInput {
  @Field(() => String, { description: 'The indicator\'s code, for example `CTA-CHANGE-AGENTS`; it must belong to the programme.' })
  indicator!: string;

  @Field(() => [CountryCodeResolver], { description: 'The country, or the countries of a figure reported for a group of countries together; all must be programme countries.' })
  countries!: string[];

  @Field(() => PeriodCodeScalar, { description: 'The period, of the programme\'s reporting period type, for example `2017` or `2017S1`.' })
  period!: string;

  @Field(() => Sex, { nullable: true, description: 'The sex the figure counts, when the indicator is broken down by sex.' })
  sex?: Sex | null;

  @Field(() => String, { nullable: true, description: 'The age band the figure counts, for example `10-14`, when the indicator is broken down by age.' })
  ageBand?: string | null;

  @Field(() => Float, { description: 'The value: a whole number, zero or more.' })
  value!: number;

  @Field(() => String, {
    nullable: true,
    description: 'A remark for the reviewers, at most 2,000 characters. Published with the figure once it is approved: it must never ' +
      'describe a child or anyone else who could be recognised.',
  })
  comment?: string | null;

  @Field(() => Int, { nullable: true, description: 'The `version` you last read of this figure. If it changed since, the row is rejected with VERSION_CONFLICT instead of overwriting that change.' })
  expectedVersion?: number | null;
}

@InputType({ description: `A batch of up to ${MAX_ROWS} figures of one programme and one reporting organisation.` })
export class SubmitResultsInput {
  @Field(() => ID, { description: 'The programme the figures belong to.' })
  programme!: string;

  @Field(() => ID, { nullable: true, description: 'The organisation reporting the figures: yours (the default) or one of your local partners.' })
  reportingOrganisation?: string | null;

  @Field(() => [ResultRowInput], { description: `The figures, 1 to ${MAX_ROWS}. A figure that already exists (same indicator, place, period and breakdown) is replaced.` })
  rows!: ResultRowInput[];

  @Field(() => SubmissionStatus, { nullable: true, defaultValue: SubmissionStatus.SUBMITTED, description: 'The state the figures get (default SUBMITTED).' })
  status?: SubmissionStatus | null;

  @Field(() => Boolean, {
    nullable: true,
    defaultValue: true,
    description: 'True (the default): if any row is rejected, nothing is written. False: valid rows are written and rejected rows reported.',
  })
  atomic?: boolean | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Any unique string, 1 to 200 characters (or send the `Idempotency-Key` header). Sending the same submission again with the same ' +
        'key within 24 hours returns the first answer and writes nothing again. Only a SHA-256 hash of the key is kept; make it random ' +
        '(the SDK sends a UUID), never anything about a child.',
  })
  idempotencyKey?: string | null;
}

@ObjectType({ description: 'What happened to one row of a submission.' })
export class ResultRowOutcome {
  @Field(() => Int, { description: 'The row\'s position in `rows`, from 0.' })
  index!: number;

  @Field(() => RowOutcome, { description: 'What happened to the row.' })
  outcome!: RowOutcome;

  @Field(() => String, { nullable: true, description: 'Why the row was rejected, for example `PERIOD_LOCKED`; empty otherwise.' })
  code!: string | null;

  @Field(() => [String], { nullable: true, description: 'The input field at fault, for example `["input", "rows", "3", "value"]`.' })
  field!: string[] | null;

  @Field(() => String, { nullable: true, description: 'What is wrong with the row and how to fix it.' })
  message!: string | null;

  resultId!: number | null;
}

@ObjectType({ description: 'The answer to a submission: counts, one outcome per row, and request-level refusals.' })
export class SubmitResultsPayload {
  @Field(() => Int, { description: 'Rows that created a figure.' })
  created!: number;

  @Field(() => Int, { description: 'Rows that changed a figure.' })
  updated!: number;

  @Field(() => Int, { description: 'Rows identical to the recorded figure.' })
  unchanged!: number;

  @Field(() => Int, { description: 'Rows rejected.' })
  rejected!: number;

  @Field(() => Boolean, { description: 'True when this answer is a replay of an earlier submission with the same idempotency key; nothing was written this time.' })
  replayed!: boolean;

  @Field(() => [ResultRowOutcome], { description: 'One outcome per row, in the order of the input.' })
  rows!: ResultRowOutcome[];

  @Field(() => [UserError], { description: 'Why the whole submission was refused (for example an unknown programme); empty otherwise.' })
  userErrors!: UserError[];
}
