import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { Connection } from '../../graphql/pagination.js';
import { UserError } from '../../graphql/user-error.js';
import { PeriodCodeScalar } from './period.scalar.js';
import type { Period } from './period.entity.js';

@ObjectType({ description: 'A reporting period of one programme, and whether figures for it can still be written.' })
export class ProgrammePeriod {
  constructor(
    readonly period: Period,
    readonly lockedAt: Date | null,
  ) {}

  @Field(() => Boolean, { description: 'True while figures for this period can be submitted and changed.' })
  get open(): boolean {
    return this.lockedAt === null || this.lockedAt.getTime() > Date.now();
  }

  @Field(() => Date, { nullable: true, description: 'When the period closes (in the future) or closed (in the past); empty when no closing is set.' })
  get closesAt(): Date | null {
    return this.lockedAt;
  }
}

@ObjectType({ description: 'A page of a programme\'s reporting periods.' })
export class ProgrammePeriodConnection extends Connection(ProgrammePeriod, 'periods') {}

@InputType({ description: 'Which programme period to close, and when.' })
export class LockPeriodInput {
  @Field(() => ID, { description: 'The programme.' })
  programme!: string;

  @Field(() => PeriodCodeScalar, { description: 'The period, for example `2017`.' })
  period!: string;

  @Field(() => Date, { nullable: true, description: 'When the period closes; now when empty. Until then it stays open.' })
  closesAt?: Date | null;
}

@InputType({ description: 'Which programme period to open again.' })
export class UnlockPeriodInput {
  @Field(() => ID, { description: 'The programme.' })
  programme!: string;

  @Field(() => PeriodCodeScalar, { description: 'The period.' })
  period!: string;
}

@ObjectType({ description: 'The answer to closing or opening a period.' })
export class PeriodLockPayload {
  @Field(() => ProgrammePeriod, { nullable: true, description: 'The period as it is now; empty when the change was refused.' })
  programmePeriod!: ProgrammePeriod | null;

  @Field(() => [UserError], { description: 'Why the change was refused; empty on success.' })
  userErrors!: UserError[];
}
