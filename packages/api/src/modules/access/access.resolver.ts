import { Arg, Args, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../graphql/context.js';
import { PageArgs, pageRequest, toConnection } from '../../graphql/pagination.js';
import { Organisation } from '../organisations/organisation.entity.js';
import { ApiKey } from './api-key.entity.js';
import { apiKeyService } from './api-key.service.js';
import { ApiKeyConnection, CreateApiKeyInput, CreateApiKeyPayload, Me, RevokeApiKeyInput, RevokeApiKeyPayload } from './access.types.js';
import { accessService } from './access.service.js';

@Resolver(() => Me)
export class MeResolver {
  @Query(() => Me, { description: 'Who you are to the API (which key, organisation and role) and what you may do.' })
  me(@Ctx() ctx: Context): Promise<Me> {
    return accessService.me(ctx);
  }

  @FieldResolver(() => Organisation, { nullable: true, description: 'The organisation your key belongs to; empty when anonymous.' })
  organisation(@Root() me: Me, @Ctx() ctx: Context) {
    return me.organisationId === null ? null : ctx.loaders.byKey(Organisation).load(me.organisationId);
  }
}

@Resolver(() => ApiKey)
export class ApiKeyResolver {
  @Query(() => ApiKeyConnection, {
    description: 'The API keys you manage, without their secrets: exactly those you could create. '
      + 'An alliance admin every key but case-worker keys; a partner admin the PARTNER_ADMIN, PARTNER_EDITOR and VIEWER keys '
      + 'of its organisation and local partners; a case supervisor its organisation\'s case-worker keys.',
  })
  async apiKeys(@Args() page: PageArgs, @Ctx() ctx: Context) {
    return toConnection(await apiKeyService.list(ctx, pageRequest(page)));
  }

  @Mutation(() => CreateApiKeyPayload, { description: 'Creates an API key and returns its token once.' })
  createApiKey(@Arg('input', () => CreateApiKeyInput, { description: 'The new key.' }) input: CreateApiKeyInput, @Ctx() ctx: Context) {
    return apiKeyService.create(ctx, input);
  }

  @Mutation(() => RevokeApiKeyPayload, {
    description: 'Revokes an API key you manage at once and for good. Revoking a revoked key changes nothing; '
      + 'a key you do not manage is NOT_FOUND.',
  })
  revokeApiKey(@Arg('input', () => RevokeApiKeyInput, { description: 'The key to revoke.' }) input: RevokeApiKeyInput, @Ctx() ctx: Context) {
    return apiKeyService.revoke(ctx, input.id);
  }

  @FieldResolver(() => Organisation, { description: 'The organisation that owns the key.' })
  organisation(@Root() key: ApiKey, @Ctx() ctx: Context) {
    return ctx.loaders.byKey(Organisation).load(key.organisation.id);
  }
}
