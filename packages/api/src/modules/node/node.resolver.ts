import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { Context } from '../../graphql/context.js';
import { UserInputError } from '../../graphql/errors.js';
import { MAX_PAGE_SIZE } from '../../graphql/pagination.js';
import { Node } from './node.type.js';
import { loadNode } from './node.service.js';

@Resolver()
export class NodeResolver {
  @Query(() => Node, {
    nullable: true,
    description: 'Fetches any object by its global ID, for example to refresh one item a client already has. An unknown ID gives a NOT_FOUND error.',
  })
  node(@Arg('id', () => ID, { description: 'The global ID, as returned in an object\'s `id` field.' }) id: string, @Ctx() ctx: Context): Promise<object> {
    return loadNode(ctx, id);
  }

  @Query(() => [Node], { nullable: 'items', description: `Fetches up to ${MAX_PAGE_SIZE} objects by their global IDs, in the order given.` })
  nodes(@Arg('ids', () => [ID], { description: 'The global IDs.' }) ids: string[], @Ctx() ctx: Context): Promise<object>[] {
    if (ids.length > MAX_PAGE_SIZE) throw new UserInputError(`Ask for at most ${MAX_PAGE_SIZE} IDs at once.`, 'ids');
    return ids.map((id) => loadNode(ctx, id));
  }
}
