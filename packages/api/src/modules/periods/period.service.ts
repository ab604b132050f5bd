import type { EntityManager } from '@mikro-orm/postgresql';
import { Period } from './period.entity.js';
import { parsePeriodCode, PERIOD_CODE_FORMATS } from './period-code.js';
import { UserInputError } from '../../graphql/errors.js';

/** Finds or creates the period row for a period code. */
export async function ensurePeriod(em: EntityManager, code: string): Promise<Period> {
  const parsed = parsePeriodCode(code);
  if (!parsed) throw new UserInputError(`"${code}" is not a period; use ${PERIOD_CODE_FORMATS}.`, 'period');
  const existing = await em.findOne(Period, { code });
  if (existing) return existing;
  return em.upsert(Period, { code: parsed.code, type: parsed.type, startDate: parsed.startDate, endDate: parsed.endDate });
}
