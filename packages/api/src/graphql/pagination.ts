import { ArgsType, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { UserInputError } from './errors.js';

/** Page-size rules, one home for all connections. */
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

@ObjectType({ description: 'Where a page sits in a list: whether there is more, and the cursors to ask for it.' })
export class PageInfo {
  @Field(() => Boolean, { description: 'True when there are more items after this page; ask for them with `after: endCursor`.' })
  hasNextPage!: boolean;

  @Field(() => Boolean, { description: 'True when this page was asked for with `after`, so items come before it.' })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: 'The cursor of the first item on this page.' })
  startCursor!: string | null;

  @Field(() => String, { nullable: true, description: 'The cursor of the last item on this page; pass it as `after` for the next page.' })
  endCursor!: string | null;
}

@ArgsType()
export class PageArgs {
  @Field(() => Int, {
    nullable: true,
    defaultValue: DEFAULT_PAGE_SIZE,
    description: `How many items to return, from 0 to ${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE}).`,
  })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'Return the items after this cursor (the `endCursor` of the previous page).' })
  after?: string | null;
}

export interface PageRequest {
  limit: number;
  /** The key of the last item already seen, or null for the first page. */
  afterKey: string | null;
}

export function encodeCursor(key: string | number): string {
  return Buffer.from(`cursor:${key}`, 'utf8').toString('base64url');
}

/** Checks page arguments up front so a bad request fails before any query runs. */
export function pageRequest(args: PageArgs): PageRequest {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw new UserInputError(`"first" must be between 0 and ${MAX_PAGE_SIZE}; page through longer lists with "after".`, 'first');
  }
  let afterKey: string | null = null;
  if (args.after != null) {
    const decoded = /^[A-Za-z0-9_-]{1,200}$/.test(args.after) ? Buffer.from(args.after, 'base64url').toString('utf8') : '';
    const m = /^cursor:(.{1,120})$/.exec(decoded);
    if (!m || encodeCursor(m[1]) !== args.after) {
      throw new UserInputError('"after" is not a cursor from this list; use a `pageInfo.endCursor` you received.', 'after');
    }
    afterKey = m[1];
  }
  return { limit: first, afterKey };
}

/** An integer key from a cursor, for lists ordered by an integer id. */
export function intAfterKey(request: PageRequest): number | null {
  if (request.afterKey === null) return null;
  if (!/^\d{1,10}$/.test(request.afterKey)) throw new UserInputError('"after" is not a cursor from this list.', 'after');
  return Number(request.afterKey);
}

/** One page of a list: the items (at most `limit`), whether more follow, and a lazily computed total. */
export interface Page<T> {
  items: T[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  keyOf: (item: T) => string | number;
  totalCount: () => Promise<number>;
}

/** Builds a page from `limit + 1` fetched rows. */
export function pageFrom<T>(
  rows: T[],
  request: PageRequest,
  keyOf: (item: T) => string | number,
  totalCount: () => Promise<number>,
): Page<T> {
  return {
    items: rows.slice(0, request.limit),
    hasNextPage: rows.length > request.limit,
    hasPreviousPage: request.afterKey !== null,
    keyOf,
    totalCount,
  };
}

export interface ConnectionShape<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: PageInfo;
  totalCount: Promise<number> | number;
}

/** Turns a page into the GraphQL connection object; `totalCount` runs only when asked for. */
export function toConnection<T>(page: Page<T>): ConnectionShape<T> {
  const edges = page.items.map((node) => ({ cursor: encodeCursor(page.keyOf(node)), node }));
  return {
    edges,
    nodes: page.items,
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: page.hasPreviousPage,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
    get totalCount() {
      return page.totalCount();
    },
  };
}

/** Creates the Relay connection and edge types for a node type. */
export function Connection<T extends object>(nodeType: ClassType<T>, plural: string) {
  const name = nodeType.name;

  @ObjectType(`${name}Edge`, { description: `One ${name.toLowerCase()} in a list, with its cursor.` })
  class Edge {
    @Field(() => String, { description: 'Pass this as `after` to continue the list after this item.' })
    cursor!: string;

    @Field(() => nodeType, { description: `The ${name.toLowerCase()}.` })
    node!: T;
  }

  @ObjectType()
  abstract class ConnectionClass {
    @Field(() => [Edge], { description: `The ${plural} on this page, each with its cursor.` })
    edges!: Edge[];

    @Field(() => [nodeType], { description: `The ${plural} on this page, without cursors.` })
    nodes!: T[];

    @Field(() => PageInfo, { description: 'Whether there are more pages, and the cursors to get them.' })
    pageInfo!: PageInfo;

    @Field(() => Int, { description: `How many ${plural} match in total, over all pages.` })
    totalCount!: number;
  }
  return ConnectionClass;
}
