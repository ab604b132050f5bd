import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { CountryCodeResolver } from 'graphql-scalars';
import type { PublishedCount } from './disclosure.js';
import { averageOverShown, type StatisticsRowData } from './statistics.service.js';
import { ChildAgeBand, ChildSex, ExploitationType, LegalActionType, ServiceType } from './case.enums.js';

const RULES =
  'Counted from the case registry and protected: a group of fewer than 11 children (or referrals, or legal actions) is never shown and never added into a total, nor is a group that would reveal one by subtraction; shown numbers are rounded to the nearest 5 (never below 15). Every case counts in the year it was reported.';

@ObjectType({ description: 'A count from the case registry, protected against identifying children.' })
export class ProtectedCount {
  constructor(readonly count: PublishedCount) {}

  @Field(() => Int, { nullable: true, description: 'The number, rounded to the nearest 5; empty when every group in it was too small to show.' })
  get value(): number | null {
    return this.count.value;
  }

  @Field(() => Boolean, { description: 'True when groups too small to show were left out, so the real number is higher than `value`.' })
  get suppressed(): boolean {
    return this.count.suppressed;
  }
}

export enum CaseDimension {
  PROGRAMME = 'PROGRAMME',
  ORGANISATION = 'ORGANISATION',
  COUNTRY = 'COUNTRY',
  YEAR = 'YEAR',
  EXPLOITATION_TYPE = 'EXPLOITATION_TYPE',
  SEX = 'SEX',
  AGE_BAND = 'AGE_BAND',
}
registerEnumType(CaseDimension, {
  name: 'CaseDimension',
  description: 'What case statistics can be grouped by. Exploitation type, sex and age band: one of them at a time.',
  valuesConfig: {
    PROGRAMME: { description: 'By programme (cases outside any programme form their own group).' },
    ORGANISATION: { description: 'By the organisation that owns the records.' },
    COUNTRY: { description: 'By country.' },
    YEAR: { description: 'By year (cases: the year reported; legal actions: the year they happened).' },
    EXPLOITATION_TYPE: { description: 'By the main kind of exploitation.' },
    SEX: { description: 'By the sex of the child.' },
    AGE_BAND: { description: 'By the age band of the child.' },
  },
});

export enum ReferralDimension {
  PROGRAMME = 'PROGRAMME',
  ORGANISATION = 'ORGANISATION',
  COUNTRY = 'COUNTRY',
  YEAR = 'YEAR',
  SERVICE = 'SERVICE',
}
registerEnumType(ReferralDimension, {
  name: 'ReferralDimension',
  description: 'What referral statistics can be grouped by.',
  valuesConfig: {
    PROGRAMME: { description: 'By programme (cases outside any programme form their own group).' },
    ORGANISATION: { description: 'By the organisation that owns the records.' },
    COUNTRY: { description: 'By country.' },
    YEAR: { description: 'By year (cases: the year reported; legal actions: the year they happened).' },
    SERVICE: { description: 'By the service referred for.' },
  },
});

export enum LegalActionDimension {
  PROGRAMME = 'PROGRAMME',
  ORGANISATION = 'ORGANISATION',
  COUNTRY = 'COUNTRY',
  YEAR = 'YEAR',
  ACTION_TYPE = 'ACTION_TYPE',
}
registerEnumType(LegalActionDimension, {
  name: 'LegalActionDimension',
  description: 'What legal-action statistics can be grouped by.',
  valuesConfig: {
    PROGRAMME: { description: 'By programme (cases outside any programme form their own group).' },
    ORGANISATION: { description: 'By the organisation that owns the records.' },
    COUNTRY: { description: 'By country.' },
    YEAR: { description: 'By year (cases: the year reported; legal actions: the year they happened).' },
    ACTION_TYPE: { description: 'By the kind of legal action.' },
  },
});

@InputType()
export abstract class BaseStatisticsFilter {
  @Field(() => [ID], { nullable: true, description: 'Only these programmes.' })
  programmes?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'Only records of these organisations or the organisations under them.' })
  organisations?: string[] | null;

  @Field(() => [CountryCodeResolver], { nullable: true, description: 'Only these countries.' })
  countries?: string[] | null;

  @Field(() => Int, { nullable: true, description: 'Only this year and later.' })
  yearFrom?: number | null;

  @Field(() => Int, { nullable: true, description: 'Only this year and earlier.' })
  yearTo?: number | null;
}

@InputType({ description: 'Which cases to count. Exploitation types, sexes and age bands: at most one of them, and not a different one than you group by.' })
export class CaseStatisticsFilter extends BaseStatisticsFilter {
  @Field(() => [ExploitationType], { nullable: true, description: 'Only cases with these main exploitation types.' })
  exploitationTypes?: ExploitationType[] | null;

  @Field(() => [ChildSex], { nullable: true, description: 'Only cases of children of these sexes.' })
  sexes?: ChildSex[] | null;

  @Field(() => [ChildAgeBand], { nullable: true, description: 'Only cases of children in these age bands.' })
  ageBands?: ChildAgeBand[] | null;
}

@InputType({ description: 'Which referrals to count.' })
export class ReferralStatisticsFilter extends BaseStatisticsFilter {
  @Field(() => [ServiceType], { nullable: true, description: 'Only referrals for these services.' })
  services?: ServiceType[] | null;
}

@InputType({ description: 'Which legal actions to count.' })
export class LegalActionStatisticsFilter extends BaseStatisticsFilter {
  @Field(() => [LegalActionType], { nullable: true, description: 'Only these kinds of legal action.' })
  types?: LegalActionType[] | null;
}

/** The base dimensions every statistics row has. */
@ObjectType()
export abstract class StatisticsRowBase {
  constructor(readonly data: StatisticsRowData) {}

  @Field(() => Int, { nullable: true, description: 'The year of this group, when grouped by YEAR.' })
  get year(): number | null {
    return this.data.keys.year ?? null;
  }

  /** The value of the further dimension, when the rows are grouped by that one. */
  protected extra(dimension: string): string | null {
    return this.data.keys.extraDimension === dimension ? (this.data.keys.extra ?? null) : null;
  }
}

@ObjectType({ description: `Case counts for one group (or for all, as a table's total). ${RULES}` })
export class CaseStatisticsRow extends StatisticsRowBase {
  @Field(() => ExploitationType, { nullable: true, description: 'The main exploitation type of this group, when grouped by EXPLOITATION_TYPE.' })
  get exploitationType(): ExploitationType | null {
    return this.extra('EXPLOITATION_TYPE') as ExploitationType | null;
  }

  @Field(() => ChildSex, { nullable: true, description: 'The sex of the children of this group, when grouped by SEX.' })
  get sex(): ChildSex | null {
    return this.extra('SEX') as ChildSex | null;
  }

  @Field(() => ChildAgeBand, { nullable: true, description: 'The age band of the children of this group, when grouped by AGE_BAND.' })
  get ageBand(): ChildAgeBand | null {
    return this.extra('AGE_BAND') as ChildAgeBand | null;
  }

  @Field(() => ProtectedCount, { description: 'Cases reported.' })
  get casesReported(): ProtectedCount {
    return new ProtectedCount(this.data.counts[0]);
  }

  @Field(() => ProtectedCount, { description: 'Cases whose child was referred to at least one service (revoked referrals do not count).' })
  get casesReferred(): ProtectedCount {
    return new ProtectedCount(this.data.counts[1]);
  }

  @Field(() => ProtectedCount, { description: 'Victims assisted: cases whose child received at least one service to the end, successfully.' })
  get victimsAssisted(): ProtectedCount {
    return new ProtectedCount(this.data.counts[2]);
  }

  @Field(() => Float, { nullable: true, description: 'Of the cases referred that are shown, the share whose child was assisted to the end (0 to 1), from the shown numbers.' })
  get referralCompletionRate(): number | null {
    const referred = this.data.counts[1].value;
    const assisted = this.data.counts[2].value;
    return referred && assisted !== null ? Math.round((assisted / referred) * 1000) / 1000 : null;
  }

  @Field(() => Int, { nullable: true, description: 'Average days from the report to the first referral, over the referred cases in groups that are shown (cases past their retention period left out).' })
  get averageDaysToReferral(): number | null {
    return averageOverShown(this.data.cells, 1, 0, (c) => c.sums?.[1] ?? 0);
  }
}

@ObjectType({ description: `Referral counts for one group (or for all). ${RULES}` })
export class ReferralStatisticsRow extends StatisticsRowBase {
  @Field(() => ServiceType, { nullable: true, description: 'The service of this group, when grouped by SERVICE.' })
  get service(): ServiceType | null {
    return this.extra('SERVICE') as ServiceType | null;
  }

  @Field(() => ProtectedCount, { description: 'Referrals made (revoked ones do not count).' })
  get referralsMade(): ProtectedCount {
    return new ProtectedCount(this.data.counts[0]);
  }

  @Field(() => ProtectedCount, { description: 'Services delivered: referrals that ended (DONE) successfully.' })
  get servicesDelivered(): ProtectedCount {
    return new ProtectedCount(this.data.counts[1]);
  }

  @Field(() => Float, { nullable: true, description: 'Services delivered as a share of referrals made (0 to 1), from the shown numbers.' })
  get completionRate(): number | null {
    const made = this.data.counts[0].value;
    const delivered = this.data.counts[1].value;
    return made && delivered !== null ? Math.round((delivered / made) * 1000) / 1000 : null;
  }
}

@ObjectType({ description: `Legal-action counts for one group (or for all). ${RULES}` })
export class LegalActionStatisticsRow extends StatisticsRowBase {
  @Field(() => LegalActionType, { nullable: true, description: 'The kind of legal action of this group, when grouped by ACTION_TYPE.' })
  get type(): LegalActionType | null {
    return this.extra('ACTION_TYPE') as LegalActionType | null;
  }

  @Field(() => ProtectedCount, { description: 'Legal actions.' })
  get legalActions(): ProtectedCount {
    return new ProtectedCount(this.data.counts[0]);
  }
}

@ObjectType()
export abstract class StatisticsTableBase {
  @Field(() => Int, { description: 'The smallest group shown: 11.' })
  minimumCellSize!: number;

  @Field(() => Int, { description: 'Shown numbers are rounded to a multiple of this: 5.' })
  roundingBase!: number;
}

@ObjectType({ description: `Case statistics grouped as asked, with their total. ${RULES}` })
export class CaseStatisticsTable extends StatisticsTableBase {
  @Field(() => [CaseDimension], { description: 'What the rows are grouped by.' })
  groupBy!: CaseDimension[];

  @Field(() => [CaseStatisticsRow], { description: 'One row per group, largest first.' })
  rows!: CaseStatisticsRow[];

  @Field(() => CaseStatisticsRow, { description: 'All cases the filter matches.' })
  total!: CaseStatisticsRow;
}

@ObjectType({ description: `Referral statistics grouped as asked, with their total. ${RULES}` })
export class ReferralStatisticsTable extends StatisticsTableBase {
  @Field(() => [ReferralDimension], { description: 'What the rows are grouped by.' })
  groupBy!: ReferralDimension[];

  @Field(() => [ReferralStatisticsRow], { description: 'One row per group, largest first.' })
  rows!: ReferralStatisticsRow[];

  @Field(() => ReferralStatisticsRow, { description: 'All referrals the filter matches.' })
  total!: ReferralStatisticsRow;
}

@ObjectType({ description: `Legal-action statistics grouped as asked, with their total. ${RULES}` })
export class LegalActionStatisticsTable extends StatisticsTableBase {
  @Field(() => [LegalActionDimension], { description: 'What the rows are grouped by.' })
  groupBy!: LegalActionDimension[];

  @Field(() => [LegalActionStatisticsRow], { description: 'One row per group, largest first.' })
  rows!: LegalActionStatisticsRow[];

  @Field(() => LegalActionStatisticsRow, { description: 'All legal actions the filter matches.' })
  total!: LegalActionStatisticsRow;
}
