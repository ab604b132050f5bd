import { registerEnumType } from 'type-graphql';
import { IndicatorCategory } from '../indicators/indicator.enums.js';

export enum AnalyticsDimension {
  COUNTRY = 'COUNTRY',
  ORGANISATION = 'ORGANISATION',
  PROGRAMME = 'PROGRAMME',
  PERIOD = 'PERIOD',
  INDICATOR = 'INDICATOR',
  CATEGORY = 'CATEGORY',
  SEX = 'SEX',
  AGE_BAND = 'AGE_BAND',
}

registerEnumType(AnalyticsDimension, {
  name: 'AnalyticsDimension',
  description: 'A dimension to break totals down by.',
  valuesConfig: {
    COUNTRY: {
      description:
        'By place: a single country, or the group of countries a figure was reported for. A group figure is never split over its countries, so it gets a row of its own.',
    },
    ORGANISATION: { description: 'By reporting organisation.' },
    PROGRAMME: { description: 'By programme.' },
    PERIOD: { description: 'By reporting period, as reported (a year, half year, quarter or month).' },
    INDICATOR: { description: 'By indicator. Needed when the figures count different units.' },
    CATEGORY: { description: 'By indicator category, such as children reached.' },
    SEX: { description: 'By sex; figures that are not broken down by sex form a row with an empty sex.' },
    AGE_BAND: { description: 'By age band; figures that are not broken down by age form a row with an empty age band.' },
  },
});

export const HEADLINE_CATEGORIES = [
  IndicatorCategory.CHILDREN_REACHED,
  IndicatorCategory.FAMILIES_SUPPORTED,
  IndicatorCategory.OFFICIALS_TRAINED,
  IndicatorCategory.PROSECUTIONS,
  IndicatorCategory.VICTIMS_ASSISTED,
];

export enum ExclusionReason {
  OVERLAPPED = 'OVERLAPPED',
  LATER_VALUE = 'LATER_VALUE',
}

registerEnumType(ExclusionReason, {
  name: 'ExclusionReason',
  description: 'Why a figure was left out of a total.',
  valuesConfig: {
    OVERLAPPED: {
      description:
        'Another figure for the same programme and indicator covers the same people: its place includes these countries, its period includes this period, or it was reported by the parent organisation. The larger figure is counted instead.',
    },
    LATER_VALUE: { description: 'The indicator is a running total, and a later figure of the same series is counted instead.' },
  },
});
