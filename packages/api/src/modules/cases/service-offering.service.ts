import { Conditions, pgArray } from '../../db/sql.js';
import type { Context } from '../../graphql/context.js';
import { sqlPage } from '../../graphql/batch.js';
import type { Page, PageRequest } from '../../graphql/pagination.js';
import { userError } from '../../graphql/user-error.js';
import { fromGlobalIntId, toGlobalId } from '../node/global-id.js';
import { adminRecord, recordAudit } from '../audit/audit.service.js';
import { Role } from '../access/role.enums.js';
import { ServiceOffering } from './case.entity.js';
import type { ServiceOfferingFilter, ServiceOfferingsPayload, SetServiceOfferingsInput } from './case.types.js';
import { writeOrRefuse } from '../../db/transaction.js';

/** Service providers: which organisation offers which service where. Public reference data. */
export const serviceOfferingService = {
  list(ctx: Context, filter: ServiceOfferingFilter | null | undefined, request: PageRequest, organisationId?: number): Promise<Page<ServiceOffering>> {
    const where = new Conditions();
    if (filter?.services) where.add('s.service = any(?::service_type[])', pgArray(filter.services));
    if (filter?.countries) where.add('s.country_code = any(?::text[])', pgArray(filter.countries.map((c) => c.toUpperCase())));
    if (organisationId !== undefined) where.add('s.organisation_id = ?', organisationId);
    return sqlPage(ctx, { entity: ServiceOffering, from: 'service_offering s', where, key: 's.id', keyOf: (s) => s.id, intKey: true }, request);
  },

  /** Replaces an organisation's offerings: alliance admins for any, partner admins for their own lane. */
  async set(ctx: Context, input: SetServiceOfferingsInput): Promise<ServiceOfferingsPayload> {
    const p = ctx.principal;
    if (p.kind !== 'apiKey' || (p.role !== Role.ALLIANCE_ADMIN && p.role !== Role.PARTNER_ADMIN)) {
      return { organisationId: null, userErrors: [userError('FORBIDDEN', 'Only admins set the services an organisation offers.')] };
    }
    const id = fromGlobalIntId(input.organisation, 'Organisation');
    return writeOrRefuse(ctx, async (tx) => {
      const [org] = id === null ? [] : ((await tx.execute('select id, path from organisation where id = ? for update', [id])) as { id: number; path: string }[]);
      if (!org || (p.role !== Role.ALLIANCE_ADMIN && !org.path.startsWith(p.organisationPath))) {
        return { organisationId: null, userErrors: [userError('NOT_FOUND', 'No such organisation in your lane.', ['input', 'organisation'])] };
      }
      const pairs = input.offerings.flatMap((o) => o.countries.map((c) => [o.service, c.toUpperCase()] as const));
      const unique = [...new Map(pairs.map((x) => [x.join('|'), x])).values()];
      const countries = [...new Set(unique.map(([, c]) => c))];
      const known = (await tx.execute('select code from country where code = any(?::text[])', [pgArray(countries)])) as { code: string }[];
      const missing = countries.filter((c) => !known.some((k) => k.code === c));
      if (missing.length) return { organisationId: null, userErrors: [userError('NOT_FOUND', `Unknown countries: ${missing.join(', ')}.`, ['input', 'offerings'])] };
      const before = (await tx.execute('select service, country_code from service_offering where organisation_id = ? order by 1, 2', [org.id])) as { service: string; country_code: string }[];
      await tx.execute('delete from service_offering where organisation_id = ?', [org.id]);
      if (unique.length) {
        await tx.execute(
          'insert into service_offering (organisation_id, service, country_code) select ?, s::service_type, c from unnest(?::text[], ?::text[]) as x(s, c)',
          [org.id, pgArray(unique.map(([s]) => s)), pgArray(unique.map(([, c]) => c))],
        );
      }
      await recordAudit(tx, ctx, [
        {
          action: 'organisation.services',
          entity: 'Organisation',
          entityId: toGlobalId('Organisation', org.id),
          before: { services: before.map((b) => `${b.service}@${b.country_code}`) },
          after: { services: unique.map(([s, c]) => `${s}@${c}`).sort() },
          owner: adminRecord(org.id),
        },
      ]);
      return { organisationId: org.id, userErrors: [] };
    }, (e) => ({ organisationId: null, userErrors: [e] }));
  },
};
