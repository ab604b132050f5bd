import { Field, Float, ObjectType } from 'type-graphql';
import { Connection } from '../../graphql/pagination.js';
import { IndicatorCategory, IndicatorUnit } from '../indicators/indicator.enums.js';
import { Sex } from '../indicators/disaggregation.enums.js';
import type { ResultFilter } from '../results/result-filter.js';
import { AnalyticsDimension, ExclusionReason } from './analytics.enums.js';
import type { FigureGroup, FigureTable } from './analytics.service.js';
import { FigureSource } from '../cases/case.enums.js';
import type { RegistryShare } from '../cases/registry-figures.js';

/** The `includeSyntheticRegistry` argument of every headline-figures field. */
export const INCLUDE_SYNTHETIC_DESCRIPTION =
  'Also count the case registry\'s synthetic demo records (made-up cases, such as the demo registry of the Bangladesh programme). They are left out by default: the published reports are the truth. When counted, the registry source says `synthetic: true`.';

@ObjectType({ description: 'The part of a total that comes from one source.' })
export class FigureShare {
  @Field(() => FigureSource, { description: 'Where this part comes from.' })
  source!: FigureSource;

  @Field(() => Float, { description: 'How much of the total it is.' })
  value!: number;

  @Field(() => Boolean, {
    description: 'For the case registry: true when groups of fewer than 11 children were left out, so the registry\'s real number is higher.',
  })
  suppressed!: boolean;

  @Field(() => Boolean, {
    description:
      'True when part of this value comes from synthetic demo records (made-up cases of the demo registry), which are counted only when `includeSyntheticRegistry` asks for them. Always false for reported figures.',
  })
  synthetic!: boolean;
}

@ObjectType({
  description:
    'One total: the sum of the figures in one group (or of all figures, for a table\'s total), without double counting. The dimension fields say which group it is; those not grouped by are empty.',
})
export class AnalyticsRow {
  constructor(
    readonly group: FigureGroup,
    /** The case registry's share (headline figures only). */
    readonly registry?: RegistryShare,
  ) {}

  @Field(() => Float, { description: 'The total, in `unit`.' })
  get value(): number {
    return this.group.value + (this.registry?.value ?? 0);
  }

  @Field(() => IndicatorUnit, { nullable: true, description: 'What the total counts; empty when no figure matched.' })
  get unit(): IndicatorUnit | null {
    return ((this.group.units[0] ?? this.registry?.unit) as IndicatorUnit | undefined) ?? null;
  }

  @Field(() => [FigureShare], {
    description:
      'Where the total comes from: reported figures and, for headline figures, the case registry. For one programme, indicator and period only one source ever counts: a reported figure, when there is one, else the registry.',
  })
  get sources(): FigureShare[] {
    const shares: FigureShare[] = [{ source: FigureSource.REPORTED_RESULTS, value: this.group.value, suppressed: false, synthetic: false }];
    if (this.registry) {
      shares.push({ source: FigureSource.CASE_REGISTRY, value: this.registry.value ?? 0, suppressed: this.registry.suppressed, synthetic: this.registry.synthetic });
    }
    return shares;
  }

  @Field(() => IndicatorCategory, { nullable: true, description: 'The indicator category of this group, when grouped by CATEGORY.' })
  get category(): IndicatorCategory | null {
    return (this.group.keys.category as IndicatorCategory | null | undefined) ?? null;
  }

  @Field(() => Sex, { nullable: true, description: 'The sex of this group, when grouped by SEX; empty for figures not broken down by sex.' })
  get sex(): Sex | null {
    return (this.group.keys.sex as Sex | null | undefined) ?? null;
  }
}

@ObjectType({ description: 'A page of analytics rows.' })
export class AnalyticsRowConnection extends Connection(AnalyticsRow, 'rows') {}

@ObjectType({ description: 'A figure that matched but was left out of the totals, and the figure that was counted instead.' })
export class ExcludedResult {
  constructor(
    readonly resultId: number,
    readonly countedInsteadId: number,
    reason: ExclusionReason,
  ) {
    this.reason = reason;
  }

  @Field(() => ExclusionReason, { description: 'Why the figure was left out.' })
  reason: ExclusionReason;
}

@ObjectType({ description: 'A page of figures left out of a total.' })
export class ExcludedResultConnection extends Connection(ExcludedResult, 'excluded figures') {}

@ObjectType({
  description:
    'Totals of reported figures, grouped by the dimensions asked for. Figures are counted once: where a figure for a group of countries, a longer period, a coarser breakdown or a parent organisation covers the same people as another figure of the same programme and indicator, only the covering figure is counted (see `excludedResults`).',
})
export class AnalyticsTable {
  constructor(
    readonly table: FigureTable,
    readonly filter: ResultFilter | null | undefined,
  ) {}

  @Field(() => [AnalyticsDimension], { description: 'The dimensions the rows are grouped by.' })
  get groupBy(): AnalyticsDimension[] {
    return this.table.groupBy;
  }

  @Field(() => AnalyticsRow, { nullable: true, description: 'The total over all rows; empty when the rows count different units (for example children and families).' })
  get total(): AnalyticsRow | null {
    return this.table.total ? new AnalyticsRow(this.table.total) : null;
  }
}

@ObjectType({
  description:
    'The figures dashboards always show, each the total of approved figures of the indicators in its category, without double counting within an indicator. Different indicators count different activities, so a child reached by two activities of a programme is counted in both, as the partners report it. Victims assisted and prosecutions also draw on the case registry (protected counts) for programmes and years without a reported figure of the same indicator; `sources` says how much came from where. Synthetic demo records of the registry are left out unless `includeSyntheticRegistry` asks for them.',
})
export class HeadlineFigures {
  constructor(readonly byCategory: Map<IndicatorCategory, AnalyticsRow>) {}

  private get(category: IndicatorCategory): AnalyticsRow {
    return this.byCategory.get(category)!;
  }

  @Field(() => AnalyticsRow, { description: 'Children reached directly by prevention, awareness, empowerment or education activities.' })
  get childrenReached(): AnalyticsRow {
    return this.get(IndicatorCategory.CHILDREN_REACHED);
  }

  @Field(() => AnalyticsRow, { description: 'Families supported, for example with other sources of income or with legal and emotional support.' })
  get familiesSupported(): AnalyticsRow {
    return this.get(IndicatorCategory.FAMILIES_SUPPORTED);
  }

  @Field(() => AnalyticsRow, { description: 'Police officers, judges, prosecutors and other government officials trained.' })
  get officialsTrained(): AnalyticsRow {
    return this.get(IndicatorCategory.OFFICIALS_TRAINED);
  }

  @Field(() => AnalyticsRow, { description: 'Offenders traced, arrested, prosecuted or convicted.' })
  get prosecutions(): AnalyticsRow {
    return this.get(IndicatorCategory.PROSECUTIONS);
  }

  @Field(() => AnalyticsRow, { description: 'Victims who received shelter, medical, psychosocial, legal or educational help.' })
  get victimsAssisted(): AnalyticsRow {
    return this.get(IndicatorCategory.VICTIMS_ASSISTED);
  }
}
