import { registerEnumType } from 'type-graphql';
import { PeriodType } from './period-code.js';

registerEnumType(PeriodType, {
  name: 'PeriodType',
  description: 'The length of a reporting period.',
  valuesConfig: {
    MONTH: { description: 'A calendar month, written `2017-05`.' },
    QUARTER: { description: 'A calendar quarter, written `2017Q2`.' },
    SEMESTER: { description: 'A half year, written `2017S1` (January–June) or `2017S2` (July–December).' },
    YEAR: { description: 'A calendar year, written `2017`.' },
    MULTI_YEAR: { description: 'Several whole calendar years, written `2016/2020`; used for targets set for a whole programme.' },
  },
});
