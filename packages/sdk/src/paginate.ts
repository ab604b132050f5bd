export interface Connection<T> {
  nodes: T[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** Every item of a connection, fetching page after page; fails clearly when the cursor stops moving. */
export async function* paginate<T>(fetchPage: (after: string | null) => Promise<Connection<T>>): AsyncGenerator<T, void, undefined> {
  let after: string | null = null;
  for (;;) {
    const page = await fetchPage(after);
    if (!page || !Array.isArray(page.nodes) || !page.pageInfo) throw new TypeError('paginate: the page has no `nodes` and `pageInfo { hasNextPage endCursor }`; ask for them in the query.');
    yield* page.nodes;
    if (!page.pageInfo.hasNextPage) return;
    if (!page.pageInfo.endCursor || page.pageInfo.endCursor === after) throw new Error('paginate: the cursor did not move; pass `after` to the query.');
    after = page.pageInfo.endCursor;
  }
}
