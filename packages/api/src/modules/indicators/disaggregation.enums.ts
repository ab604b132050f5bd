import { registerEnumType } from 'type-graphql';

export enum Sex {
  GIRL = 'GIRL',
  BOY = 'BOY',
  WOMAN = 'WOMAN',
  MAN = 'MAN',
  OTHER = 'OTHER',
  UNKNOWN = 'UNKNOWN',
}

registerEnumType(Sex, {
  name: 'Sex',
  description: 'The sex (and, for girl/boy and woman/man, whether child or adult) of the people a figure counts.',
  valuesConfig: {
    GIRL: { description: 'Girls (under 18).' },
    BOY: { description: 'Boys (under 18).' },
    WOMAN: { description: 'Women (18 and over).' },
    MAN: { description: 'Men (18 and over).' },
    OTHER: { description: 'People who identify otherwise.' },
    UNKNOWN: { description: 'Sex not recorded.' },
  },
});

export enum DisaggregationDimension {
  SEX = 'SEX',
  AGE_BAND = 'AGE_BAND',
}

registerEnumType(DisaggregationDimension, {
  name: 'DisaggregationDimension',
  description: 'A dimension a figure can be broken down by.',
  valuesConfig: {
    SEX: { description: 'Broken down by sex.' },
    AGE_BAND: { description: 'Broken down by age band.' },
  },
});
