import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../graphql/context.js';
import { PageArgs, pageRequest, toConnection } from '../../graphql/pagination.js';
import { Organisation } from '../organisations/organisation.entity.js';
import { ApiKey } from '../access/api-key.entity.js';
import { AuditEntry } from './audit-entry.entity.js';
import { AuditEntryConnection, AuditFilter } from './audit.types.js';
import { auditService } from './audit.service.js';

@Resolver(() => AuditEntry)
export class AuditResolver {
  @Query(() => AuditEntryConnection, {
    description: 'The audit trail, newest first: every change, who made it and the values before and after, shown by whose record it is. '
      + 'Alliance admins see every entry except case work; '
      + 'partner admins those about records of their organisation and its local partners; '
      + 'case workers only those about their organisation\'s case records (and referrals sent to it) and case-worker keys.',
  })
  async auditEntries(
    @Args() page: PageArgs,
    @Arg('filter', () => AuditFilter, { nullable: true, description: 'Conditions the entries must meet.' }) filter: AuditFilter | null,
    @Ctx() ctx: Context,
  ) {
    return toConnection(await auditService.list(ctx, filter, pageRequest(page)));
  }

  @FieldResolver(() => String, { nullable: true, description: 'The public prefix of the API key that made the change; empty when it was made without one.' })
  async apiKeyPrefix(@Root() entry: AuditEntry, @Ctx() ctx: Context): Promise<string | null> {
    return entry.apiKey ? ((await ctx.loaders.byKey(ApiKey).load(entry.apiKey.id))?.prefix ?? null) : null;
  }

  @FieldResolver(() => Organisation, { nullable: true, description: 'The organisation of the key that made the change.' })
  organisation(@Root() entry: AuditEntry, @Ctx() ctx: Context) {
    return entry.organisation ? ctx.loaders.byKey(Organisation).load(entry.organisation.id) : null;
  }

  @FieldResolver(() => Organisation, {
    nullable: true,
    description: 'The organisation whose record changed, which decides who sees the entry; empty for reference data no organisation owns.',
  })
  recordOrganisation(@Root() entry: AuditEntry, @Ctx() ctx: Context) {
    return entry.recordOrganisation ? ctx.loaders.byKey(Organisation).load(entry.recordOrganisation.id) : null;
  }
}
