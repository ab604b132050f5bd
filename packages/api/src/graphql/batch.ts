import type { EntityName } from '@mikro-orm/core';
import DataLoader from 'dataloader';
import { pgArray } from '../db/sql.js';
import type { Context } from './context.js';
import { intAfterKey, pageFrom, type Page, type PageRequest } from './pagination.js';

/**
 * Pages of child rows for many parents in one statement, so a nested connection costs one query however
 * many parents the outer list has. Counts come from one GROUP BY.
 * The statement is a UNION ALL of one `… where parent = $n order by key limit n+1` per parent: each reads
 * only its first rows, and each is planned for its own parent's statistics (a programme with 30 figures
 * and one with 25,000 need different plans). A ROW_NUMBER() window over all children read and sorted
 * every child first (2.3 s for a page of programmes' results at a million figures); one LATERAL subquery
 * got one generic plan for all parents, which scanned the whole table for the small ones (1.2 s).
 */
export interface ChildListSpec<T> {
  /** The list's name, for reading logs; the loader's cache key is derived from the whole statement (`statementKey`). */
  name: string;
  entity: EntityName<T>;
  /** SQL FROM clause; the child table is aliased `t` (or `alias`), and may join a link table. */
  from: string;
  /** The child table's alias in `from`, when not `t`. */
  alias?: string;
  /** SQL expression of the parent key, e.g. `t.programme_id`. */
  parent: string;
  /** The parent key's type: an integer id (default) or a text code such as a country code. */
  parentType?: 'int' | 'text';
  /** SQL expression of the ordering key, unique per parent, e.g. `t.id`. */
  key: string;
  /** Extra condition with its bindings. */
  where?: { sql: string; bindings: unknown[] };
  /** Reads the ordering key back from a hydrated entity (for cursors). */
  keyOf: (item: T) => string | number;
  /** True when the ordering key is an integer, so cursors are checked as such. */
  intKey?: boolean;
}

function parentArray(spec: { parentType?: 'int' | 'text' }, parents: readonly (string | number)[]): string {
  return pgArray(spec.parentType === 'text' ? parents.map(String) : parents.map(Number));
}

/** The cursor's key, checked against the key type so a forged cursor cannot reach SQL as a bad value. */
function afterValue(request: PageRequest, intKey: boolean | undefined): string | number | null {
  return intKey ? intAfterKey(request) : request.afterKey;
}

function whereSql(spec: ChildListSpec<unknown>): { sql: string; bindings: unknown[] } {
  return spec.where ? { sql: ` and (${spec.where.sql})`, bindings: spec.where.bindings } : { sql: '', bindings: [] };
}

/**
 * The cache key of a list's loader: everything that determines its answer — the entity, every SQL fragment of the
 * statement, the bindings and the page — so two lists share a loader only when they would send the same statement.
 * (Keyed by name and bindings alone, two aliased lists whose filters bound the same values shared one page.)
 */
function statementKey(kind: string, spec: ChildListSpec<unknown>, page?: { limit: number; afterKey: unknown }): string {
  const { entity, from, alias, parent, parentType, key, where, intKey } = spec;
  const entityName = typeof entity === 'function' ? entity.name : String(entity);
  return JSON.stringify([kind, entityName, from, alias ?? 't', parent, parentType ?? 'int', key, intKey ?? false, where?.sql ?? '', where?.bindings ?? [], page ?? null]);
}

export function childPages<T extends object>(ctx: Context, spec: ChildListSpec<T>, request: PageRequest): DataLoader<string | number, Page<T>> {
  const afterKey = afterValue(request, spec.intKey);
  const cacheKey = statementKey('page', spec as ChildListSpec<unknown>, { limit: request.limit, afterKey: request.afterKey ?? null });
  return ctx.loaders.get(cacheKey, () => {
    return new DataLoader<string | number, Page<T>>(async (parents) => {
      const extra = whereSql(spec as ChildListSpec<unknown>);
      const after = afterKey !== null ? ` and ${spec.key} > ?` : '';
      const type = spec.parentType ?? 'int';
      const one =
        `(select ${spec.alias ?? 't'}.*, ?::${type} as "__parent", ${spec.key} as "__key" ` +
        `from ${spec.from} where ${spec.parent} = ?::${type}${extra.sql}${after} order by ${spec.key} limit ?)`;
      const sql = `select * from (${parents.map(() => one).join(' union all ')}) x order by x."__parent", x."__key"`;
      const bindings: unknown[] = [];
      for (const parent of parents) {
        const value = type === 'text' ? String(parent) : Number(parent);
        bindings.push(value, value, ...extra.bindings);
        if (afterKey !== null) bindings.push(afterKey);
        bindings.push(request.limit + 1);
      }
      const rows = request.limit === 0 ? [] : await ctx.em.execute(sql, bindings);
      const grouped = new Map<string, T[]>();
      for (const row of rows as Record<string, unknown>[]) {
        const parent = String(row.__parent);
        delete row.__parent;
        delete row.__key;
        const list = grouped.get(parent) ?? [];
        list.push(ctx.em.map(spec.entity, row as never) as T);
        grouped.set(parent, list);
      }
      const counts = childCounts(ctx, spec);
      return parents.map((p) =>
        pageFrom(grouped.get(String(p)) ?? [], request, spec.keyOf, () => counts.load(p)),
      );
    });
  });
}

function childCounts<T>(ctx: Context, spec: ChildListSpec<T>): DataLoader<string | number, number> {
  return ctx.loaders.get(statementKey('count', spec as ChildListSpec<unknown>), () => {
    return new DataLoader<string | number, number>(async (parents) => {
      const extra = whereSql(spec as ChildListSpec<unknown>);
      const rows = (await ctx.em.execute(
        `select ${spec.parent} as parent, count(*)::int as n from ${spec.from} where ${spec.parent} = any(?::${spec.parentType ?? 'int'}[])${extra.sql} group by ${spec.parent}`,
        [parentArray(spec, parents), ...extra.bindings],
      )) as { parent: unknown; n: number }[];
      const byParent = new Map(rows.map((r) => [String(r.parent), r.n]));
      return parents.map((p) => byParent.get(String(p)) ?? 0);
    });
  });
}

/** A page over a list already in memory (small, computed lists such as analytics rows); the cursor is the position. */
export function pageOfArray<T>(all: readonly T[], request: PageRequest): Page<T> {
  const after = intAfterKey(request) ?? 0;
  const indexed = all.map((item, i) => ({ item, position: i + 1 }));
  const rows = indexed.slice(after, after + request.limit + 1);
  const page = pageFrom(rows, request, (x) => x.position, async () => all.length);
  return { ...page, items: page.items.map((x) => x.item), keyOf: (item: T) => indexed.find((x) => x.item === item)!.position };
}

/** A page over ascending integer ids already in hand (for example the figures a total was built from). */
export async function pageOfIds<T>(ids: readonly number[], request: PageRequest, load: (id: number) => Promise<T | null>, keyOf: (item: T) => number): Promise<Page<T>> {
  const after = intAfterKey(request) ?? 0;
  const slice = ids.filter((id) => id > after).slice(0, request.limit + 1);
  const items = (await Promise.all(slice.map(load))).filter((x): x is Awaited<T> => x !== null) as T[];
  return pageFrom(items, request, keyOf, async () => ids.length);
}


/**
 * One page of a top-level list by keyset (`key > after order by key limit n+1`), in SQL so that
 * any filter can be expressed; the total is counted only when the client asks for it.
 */
export async function sqlPage<T extends object>(
  ctx: Context,
  spec: {
    entity: EntityName<T>;
    /** FROM clause whose first table alias is the entity's row, e.g. `programme p`. */
    from: string;
    where: { sql: string; bindings: unknown[] };
    key: string;
    keyOf: (item: T) => string | number;
    intKey?: boolean;
    /** Newest (largest key) first. */
    descending?: boolean;
  },
  request: PageRequest,
): Promise<Page<T>> {
  const afterKey = afterValue(request, spec.intKey);
  const after = afterKey !== null ? ` and ${spec.key} ${spec.descending ? '<' : '>'} ?` : '';
  const bindings = [...spec.where.bindings, ...(afterKey !== null ? [afterKey] : []), request.limit + 1];
  const alias = spec.from.trim().split(/\s+/)[1];
  const rows =
    request.limit === 0
      ? []
      : ((await ctx.em.execute(
          `select ${alias}.* from ${spec.from} where (${spec.where.sql})${after} order by ${spec.key}${spec.descending ? ' desc' : ''} limit ?`,
          bindings,
        )) as Record<string, unknown>[]);
  const items = rows.map((row) => ctx.em.map(spec.entity, row as never) as T);
  return pageFrom(items, request, spec.keyOf, async () => {
    const [row] = (await ctx.em.execute(`select count(*)::int as n from ${spec.from} where (${spec.where.sql})`, spec.where.bindings)) as { n: number }[];
    return row.n;
  });
}
