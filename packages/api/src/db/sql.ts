/**
 * A list as one bound parameter: a PostgreSQL array literal. Knex expands a JavaScript array bound to `?`
 * into `?, ?, ?`, which breaks `= any(?)` and is invalid for an empty list; cast the literal in SQL
 * instead, e.g. `id = any(?::int[])` or `codes <@ ?::text[]`. A null becomes an SQL NULL.
 */
export function pgArray(values: readonly (string | number | null)[]): string {
  const items = values.map((v) => (v === null ? 'NULL' : typeof v === 'number' ? String(v) : `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`));
  return `{${items.join(',')}}`;
}

/** Conditions joined with AND, each with its bindings, built up one at a time; `true` when there are none. */
export class Conditions {
  private readonly parts: string[] = [];
  readonly bindings: unknown[] = [];

  add(sql: string, ...bindings: unknown[]): this {
    this.parts.push(sql);
    this.bindings.push(...bindings);
    return this;
  }

  get sql(): string {
    return this.parts.length ? this.parts.join(' and ') : 'true';
  }
}
