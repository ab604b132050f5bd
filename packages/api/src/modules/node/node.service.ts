import type { EntityName } from '@mikro-orm/core';
import type { Context } from '../../graphql/context.js';
import { NotFoundError, UserInputError } from '../../graphql/errors.js';
import { fromGlobalId, type NodeTypeName } from './global-id.js';
import { Organisation } from '../organisations/organisation.entity.js';
import { Programme } from '../programmes/programme.entity.js';
import { Indicator } from '../indicators/indicator.entity.js';
import { DisaggregationSet } from '../indicators/disaggregation.entity.js';
import { Result } from '../results/result.entity.js';
import { resultService } from '../results/result.service.js';
import { Target } from '../results/target.entity.js';
import { SourceDocument } from '../sources/source-document.entity.js';
import { Country } from '../countries/country.entity.js';
import { Place } from '../places/place.entity.js';
import { Period } from '../periods/period.entity.js';
import { Case, LegalAction, Referral } from '../cases/case.entity.js';
import { caseService } from '../cases/case.service.js';

type Loadable = EntityName<object> & { name: string };

/** Where each kind of node lives: its entity, primary key and key type. */
const NODE_SOURCES: Partial<Record<NodeTypeName, { entity: Loadable; pk: string; intKey: boolean; load?: (ctx: Context, key: number) => Promise<object | null> }>> = {
  Organisation: { entity: Organisation, pk: 'id', intKey: true },
  Programme: { entity: Programme, pk: 'id', intKey: true },
  Indicator: { entity: Indicator, pk: 'id', intKey: true },
  DisaggregationSet: { entity: DisaggregationSet, pk: 'id', intKey: true },
  // Figures go through the results service, which hides unpublished figures outside the caller's lane.
  Result: { entity: Result, pk: 'id', intKey: true, load: (ctx, key) => resultService.load(ctx, key) },
  Target: { entity: Target, pk: 'id', intKey: true },
  SourceDocument: { entity: SourceDocument, pk: 'id', intKey: true },
  Place: { entity: Place, pk: 'id', intKey: true },
  Country: { entity: Country, pk: 'code', intKey: false },
  Period: { entity: Period, pk: 'code', intKey: false },
  // Case records go through the case service: only case workers who may see them get them, and each read is audited.
  Case: { entity: Case, pk: 'id', intKey: true, load: (ctx, key) => caseService.load(ctx, key) },
  Referral: { entity: Referral, pk: 'id', intKey: true, load: (ctx, key) => caseService.loadReferral(ctx, key) },
  LegalAction: { entity: LegalAction, pk: 'id', intKey: true, load: (ctx, key) => caseService.loadLegalAction(ctx, key) },
};

/** Loads any node by its global ID (batched per type). Malformed IDs are BAD_USER_INPUT, unknown ones NOT_FOUND. */
export async function loadNode(ctx: Context, id: string): Promise<object> {
  const decoded = fromGlobalId(id);
  if (!decoded) throw new UserInputError(`"${id}" is not a valid ID; use an \`id\` value the API returned.`, 'id');
  const source = NODE_SOURCES[decoded.type];
  // Kinds without a node source (API keys) are never fetched through node(id:).
  if (!source) throw new NotFoundError(`No object has the ID "${id}".`, 'id');
  if (source.intKey && !/^[1-9]\d{0,9}$/.test(decoded.key)) {
    throw new UserInputError(`"${id}" is not a valid ID; use an \`id\` value the API returned.`, 'id');
  }
  const key = source.intKey ? Number(decoded.key) : decoded.key;
  const found = source.load ? await source.load(ctx, key as number) : await ctx.loaders.byKey(source.entity, source.pk).load(key);
  if (!found) throw new NotFoundError(`No ${decoded.type} has the ID "${id}".`, 'id');
  return found;
}
