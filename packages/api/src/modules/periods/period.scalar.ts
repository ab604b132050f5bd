import { GraphQLScalarType, Kind } from 'graphql';
import { parsePeriodCode, PERIOD_CODE_FORMATS } from './period-code.js';

function check(value: unknown): string {
  if (typeof value !== 'string' || parsePeriodCode(value) === null) {
    throw new TypeError(`Not a period code: use ${PERIOD_CODE_FORMATS.replace(/`/g, '')}.`);
  }
  return value;
}

/** Period codes are checked before any resolver runs, like the graphql-scalars types. */
export const PeriodCodeScalar = new GraphQLScalarType({
  name: 'PeriodCode',
  description:
    'A reporting period code: `2017` (year), `2017S1` or `2017S2` (half year), `2017Q2` (quarter), `2017-05` (month), or `2016/2020` (several whole years).',
  serialize: check,
  parseValue: check,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new TypeError('A period code must be a string, for example "2017S1".');
    return check(ast.value);
  },
});
