import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { CountryCodeResolver } from 'graphql-scalars';
import type { PublishedCount } from './disclosure.js';
import type { StatisticsRowData } from './statistics.service.js';
import { ChildAgeBand, ChildSex, ExploitationType, LegalActionType, ReferralDelay, ServiceType } from './case.enums.js';

const RULES =
  'Counted from the case registry and protected: every row the filter can have is listed, whether or not any child is in it; each number is a sum of small fixed groups (one programme, organisation, country and year, one class of records), and a group is shown only when it holds at least 11 children (or referrals, or legal actions) — an empty group and a group of 1 to 10 look the same. Each shown group is moved by a small fixed amount (−2 to +2, always the same for the same records) and rounded to the nearest 5 (never below 15), so numbers from different queries do not add up exactly and repeating a query reveals nothing new. Every case counts in the year it was reported.';

@ObjectType({ description: 'A count from the case registry, protected against identifying children: the sum of the groups in it that may be shown.' })
export class ProtectedCount {
  constructor(readonly count: PublishedCount) {}

  @Field(() => Int, { nullable: true, description: 'The sum of the shown groups, each perturbed and rounded to the nearest 5; empty when no group in it can be shown (none of them has 11 or more).' })
  get value(): number | null {
    return this.count.value;
  }

  @Field(() => Boolean, { description: 'True when some of its groups were left out because they hold fewer than 11 — which may mean none at all: an empty group is left out exactly like a small one, so the real number may be higher than `value`, or not.' })
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
  DAYS_TO_REFERRAL = 'DAYS_TO_REFERRAL',
}
registerEnumType(CaseDimension, {
  name: 'CaseDimension',
  description: 'What case statistics can be grouped by. Exploitation type, sex, age band and days to referral: one of them at a time.',
  valuesConfig: {
    PROGRAMME: { description: 'By programme.' },
    ORGANISATION: { description: 'By the organisation that owns the records.' },
    COUNTRY: { description: 'By country.' },
    YEAR: { description: 'By year (cases: the year reported; legal actions: the year they happened).' },
    EXPLOITATION_TYPE: { description: 'By the main kind of exploitation.' },
    SEX: { description: 'By the sex of the child.' },
    AGE_BAND: { description: 'By the age band of the child.' },
    DAYS_TO_REFERRAL: { description: 'By how soon the child was first referred after the report: within 7 days, 8–30, 31–90, later, or not referred.' },
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
    PROGRAMME: { description: 'By programme.' },
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
    PROGRAMME: { description: 'By programme.' },
    ORGANISATION: { description: 'By the organisation that owns the records.' },
    COUNTRY: { description: 'By country.' },
    YEAR: { description: 'By year (cases: the year reported; legal actions: the year they happened).' },
    ACTION_TYPE: { description: 'By the kind of legal action.' },
  },
});

@InputType()
export abstract class BaseStatisticsFilter {
  @Field(() => [ID], { nullable: true, description: 'Only these programmes, by ID or by code (for example `bangladesh-referral`).' })
  programmes?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'Only records of these organisations or the organisations under them, by ID or by code (for example `tdh-nl`).' })
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

  @Field(() => [ReferralDelay], { nullable: true, description: 'Only cases first referred this soon after the report (or not referred).' })
  daysToReferral?: ReferralDelay[] | null;
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

  protected count(measure: keyof StatisticsRowData['counts']): PublishedCount {
    const count = this.data.counts[measure];
    if (!count) throw new Error(`${measure} is not a measure of this table`);
    return count;
  }
}

/** A share of two published numbers, to three decimals; never from exact counts. */
function rate(part: number | null, whole: number | null): number | null {
  return part !== null && whole ? Math.round((part / whole) * 1000) / 1000 : null;
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

  @Field(() => ReferralDelay, { nullable: true, description: 'How soon the children of this group were first referred, when grouped by DAYS_TO_REFERRAL.' })
  get daysToReferral(): ReferralDelay | null {
    return this.extra('DAYS_TO_REFERRAL') as ReferralDelay | null;
  }

  @Field(() => ProtectedCount, { description: 'Cases reported.' })
  get casesReported(): ProtectedCount {
    return new ProtectedCount(this.count('casesReported'));
  }

  @Field(() => ProtectedCount, { description: 'Cases whose child was referred to at least one service (revoked referrals do not count).' })
  get casesReferred(): ProtectedCount {
    return new ProtectedCount(this.count('casesReferred'));
  }

  @Field(() => ProtectedCount, { description: 'Victims assisted: cases whose child received at least one service to the end, successfully.' })
  get victimsAssisted(): ProtectedCount {
    return new ProtectedCount(this.count('victimsAssisted'));
  }

  @Field(() => Float, { nullable: true, description: 'Victims assisted as a share of cases referred (0 to 1), computed from the two published numbers only; empty when either is empty.' })
  get referralCompletionRate(): number | null {
    return rate(this.count('victimsAssisted').value, this.count('casesReferred').value);
  }

  @Field(() => Int, {
    nullable: true,
    deprecationReason: 'Always empty: an average over exact records can reveal one child. Group by DAYS_TO_REFERRAL instead.',
    description: 'Always empty (see the deprecation).',
  })
  get averageDaysToReferral(): number | null {
    return null;
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
    return new ProtectedCount(this.count('referralsMade'));
  }

  @Field(() => ProtectedCount, { description: 'Services delivered: referrals that ended (DONE) successfully.' })
  get servicesDelivered(): ProtectedCount {
    return new ProtectedCount(this.count('servicesDelivered'));
  }

  @Field(() => Float, { nullable: true, description: 'Services delivered as a share of referrals made (0 to 1), computed from the two published numbers only; empty when either is empty.' })
  get completionRate(): number | null {
    return rate(this.count('servicesDelivered').value, this.count('referralsMade').value);
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
    return new ProtectedCount(this.count('legalActions'));
  }
}

@ObjectType()
export abstract class StatisticsTableBase {
  @Field(() => Int, { description: 'The smallest group shown: 11.' })
  minimumCellSize!: number;

  @Field(() => Int, { description: 'Shown numbers are rounded to a multiple of this: 5.' })
  roundingBase!: number;

  @Field(() => Int, { description: 'The most a shown group is moved up or down before rounding: 2.' })
  maximumPerturbation!: number;
}

@ObjectType({ description: `Case statistics grouped as asked, with their total. ${RULES}` })
export class CaseStatisticsTable extends StatisticsTableBase {
  @Field(() => [CaseDimension], { description: 'What the rows are grouped by.' })
  groupBy!: CaseDimension[];

  @Field(() => [CaseStatisticsRow], { description: 'One row for every group the filter can have, empty or not, in a fixed order (by programme, organisation, country, year, then the further dimension); never in an order that depends on the numbers.' })
  rows!: CaseStatisticsRow[];

  @Field(() => CaseStatisticsRow, { description: 'All cases the filter matches.' })
  total!: CaseStatisticsRow;
}

@ObjectType({ description: `Referral statistics grouped as asked, with their total. ${RULES}` })
export class ReferralStatisticsTable extends StatisticsTableBase {
  @Field(() => [ReferralDimension], { description: 'What the rows are grouped by.' })
  groupBy!: ReferralDimension[];

  @Field(() => [ReferralStatisticsRow], { description: 'One row for every group the filter can have, empty or not, in a fixed order (by programme, organisation, country, year, then the further dimension); never in an order that depends on the numbers.' })
  rows!: ReferralStatisticsRow[];

  @Field(() => ReferralStatisticsRow, { description: 'All referrals the filter matches.' })
  total!: ReferralStatisticsRow;
}

@ObjectType({ description: `Legal-action statistics grouped as asked, with their total. ${RULES}` })
export class LegalActionStatisticsTable extends StatisticsTableBase {
  @Field(() => [LegalActionDimension], { description: 'What the rows are grouped by.' })
  groupBy!: LegalActionDimension[];

  @Field(() => [LegalActionStatisticsRow], { description: 'One row for every group the filter can have, empty or not, in a fixed order (by programme, organisation, country, year, then the further dimension); never in an order that depends on the numbers.' })
  rows!: LegalActionStatisticsRow[];

  @Field(() => LegalActionStatisticsRow, { description: 'All legal actions the filter matches.' })
  total!: LegalActionStatisticsRow;
}
