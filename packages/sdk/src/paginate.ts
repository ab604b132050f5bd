export interface Connection<T> {
  nodes: T[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** Every page of a connection, in order; fails clearly when the query lacks `pageInfo` or the cursor stops moving. */
export async function* pages<C extends Connection<unknown>>(fetchPage: (after: string | null) => Promise<C>): AsyncGenerator<C, void, undefined> {
  let after: string | null = null;
  for (;;) {
    const page = await fetchPage(after);
    if (!page || !Array.isArray(page.nodes) || !page.pageInfo) throw new TypeError('paginate: the page has no `nodes` and `pageInfo { hasNextPage endCursor }`; ask for them in the query.');
    yield page;
    if (!page.pageInfo.hasNextPage) return;
    if (!page.pageInfo.endCursor || page.pageInfo.endCursor === after) throw new Error('paginate: the cursor did not move; pass `after` to the query.');
    after = page.pageInfo.endCursor;
  }
}

/** Every item of a connection, fetching page after page. */
export async function* paginate<T>(fetchPage: (after: string | null) => Promise<Connection<T>>): AsyncGenerator<T, void, undefined> {
  for await (const page of pages(fetchPage)) yield* page.nodes;
}
