import type { EntityManager } from '@mikro-orm/postgresql';
import { AgeBand, Disaggregation, DisaggregationSet } from './disaggregation.entity.js';
import type { Indicator } from './indicator.entity.js';
import { DisaggregationDimension, Sex } from './disaggregation.enums.js';
import { UserInputError } from '../../graphql/errors.js';

/**
 * Creates every valid combination of a set's dimension values: for each non-empty subset of its
 * dimensions, the cross product of their values. A partner can therefore report "girls" without an
 * age band, or "girls aged 10–14", but never a value the set does not define.
 */
export async function generateCombinations(em: EntityManager, set: DisaggregationSet): Promise<void> {
  const sexes: (Sex | null)[] = set.dimensions.includes(DisaggregationDimension.SEX) ? [null, ...set.sexes] : [null];
  const bands: (string | null)[] = set.dimensions.includes(DisaggregationDimension.AGE_BAND) ? [null, ...set.ageBandCodes] : [null];
  for (const sex of sexes) {
    for (const band of bands) {
      if (sex === null && band === null) continue;
      em.create(Disaggregation, { set, sex, ageBand: band ? em.getReference(AgeBand, band) : null });
    }
  }
  await em.flush();
}

/** The combination of an indicator's set for the given values; rejects values the set does not define. */
export async function findCombination(
  em: EntityManager,
  indicator: Indicator,
  values: { sex?: Sex | null; ageBand?: string | null },
): Promise<Disaggregation> {
  if (!indicator.disaggregationSet) {
    throw new UserInputError(`Indicator ${indicator.code} is not broken down by sex or age.`, 'disaggregation');
  }
  const found = await em.findOne(Disaggregation, {
    set: indicator.disaggregationSet.id,
    sex: values.sex ?? null,
    ageBand: values.ageBand ?? null,
  });
  if (!found) throw new UserInputError(`Indicator ${indicator.code} does not accept that breakdown.`, 'disaggregation');
  return found;
}
