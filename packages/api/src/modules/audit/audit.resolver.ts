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
  @Query(() => AuditEntryConnection, { description: 'The audit trail, newest first: every change, who made it and the values before and after. Alliance admins see all; partner admins their own organisation\'s.' })
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
}
