import DataLoader from 'dataloader';
import type { Context } from '../../graphql/context.js';
import { UserInputError } from '../../graphql/errors.js';
import { pgArray } from '../../db/sql.js';
import { fromGlobalId, fromGlobalIntId, toGlobalId } from './global-id.js';

/** The types a filter may name by code as well as by global ID, with the table that holds their codes. */
const CODE_TABLES = { Programme: 'programme', Organisation: 'organisation', Indicator: 'indicator' } as const;
export type CodedType = keyof typeof CODE_TABLES;

/** No code is longer; a longer value is refused without a query. */
const MAX_CODE_LENGTH = 100;

/** Codes of one type to their keys; all codes asked for in one tick (every list of every filter) in one statement. */
function codeLoader(ctx: Context, type: CodedType): DataLoader<string, number | null> {
  return ctx.loaders.get(`codes:${type}`, () => new DataLoader<string, number | null>(async (codes) => {
    const rows = (await ctx.em.execute(`select id, code from ${CODE_TABLES[type]} where code = any(?::text[])`, [pgArray([...codes])])) as { id: number; code: string }[];
    const byCode = new Map(rows.map((r) => [r.code, Number(r.id)]));
    return codes.map((code) => byCode.get(code) ?? null);
  }));
}

/**
 * The integer keys of a filter list whose items are global IDs or codes (`down-to-zero`, `tdh-nl`, `CTA-CHANGE-AGENTS`)
 * of one type, in order. The codes are looked up in one statement. An ID of another type, or a code that
 * nothing has, fails with BAD_USER_INPUT naming the value and the field.
 */
export async function idsOrCodes(ctx: Context, values: readonly string[] | null | undefined, type: CodedType, field: string): Promise<number[] | null> {
  if (!values) return null;
  const isCode = (v: string) => fromGlobalId(v) === null;
  const codes = [...new Set(values.filter((v) => isCode(v) && v.length <= MAX_CODE_LENGTH))];
  const keys = await codeLoader(ctx, type).loadMany(codes);
  const found = new Map<string, number | null>();
  for (const [i, key] of keys.entries()) {
    if (key instanceof Error) throw key;
    found.set(codes[i], key);
  }
  return values.map((v) => {
    const id = isCode(v) ? found.get(v) : fromGlobalIntId(v, type);
    if (id == null) {
      const what = isCode(v) ? `, nor the code of any ${CODE_TABLES[type]}` : '';
      throw new UserInputError(`"${v}" is not a valid ${type} ID${what}.`, field);
    }
    return id;
  });
}

/**
 * A copy of a filter whose listed fields hold global IDs only: codes in them are looked up, so everything downstream decodes IDs as before.
 */
export async function withCodesAsIds<F extends object>(ctx: Context, filter: F | null | undefined, fields: Partial<Record<keyof F & string, CodedType>>): Promise<F | null | undefined> {
  if (!filter) return filter;
  const resolved = { ...filter } as Record<string, unknown>;
  for (const [field, type] of Object.entries(fields) as [string, CodedType][]) {
    const ids = await idsOrCodes(ctx, resolved[field] as string[] | null | undefined, type, field);
    if (ids) resolved[field] = ids.map((id) => toGlobalId(type, id));
  }
  return resolved as F;
}
