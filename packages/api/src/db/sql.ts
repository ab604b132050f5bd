/**
 * A list as one bound parameter: a PostgreSQL array literal. Knex expands a JavaScript array bound to `?`
 * into `?, ?, ?`, which breaks `= any(?)` and is invalid for an empty list; cast the literal in SQL
 * instead, e.g. `id = any(?::int[])` or `codes <@ ?::text[]`.
 */
export function pgArray(values: readonly (string | number)[]): string {
  const items = values.map((v) => (typeof v === 'number' ? String(v) : `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`));
  return `{${items.join(',')}}`;
}
