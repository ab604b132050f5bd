import fc from 'fast-check';
import {
  getNamedType,
  isAbstractType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  parse,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';
import { createSchema } from '@alliance/api';
import { startTestApi, type TestApi } from './api.js';
import { bearer, createTestKeys } from './keys.js';

/**
 * The fuzzer behind `npm run test:fuzz` and test/fuzz-smoke.test.ts: fast-check builds requests from the schema's real
 * fields and arguments (with valid, near-miss and hostile values, as literals or variables), broken documents, hostile
 * bodies and persisted-query envelopes, and sends them anonymously and with every demo role's key to an api in
 * production mode. A violation is an HTTP 5xx, an error without a code or with INTERNAL_SERVER_ERROR, a stack trace,
 * SQL or a file path in a response (beyond what the request itself contained), an error in the server's log, or any
 * write: callers that may write send queries only, and only the case worker's audited case reads may add rows.
 */

type G = fc.GeneratorValue;

/**
 * fc.gen() keeps every (factory, arguments) pair it is given and compares new arguments with each: draws go through
 * one argument-free factory per range, and schema objects (cyclic) are picked by index.
 */
const ranges = new Map<string, () => fc.Arbitrary<number>>();
function int(g: G, min: number, max: number): number {
  let factory = ranges.get(`${min}:${max}`);
  if (!factory) {
    const arb = fc.integer({ min, max });
    ranges.set(`${min}:${max}`, (factory = () => arb));
  }
  return g(factory);
}
const pick = <T>(g: G, items: readonly T[]): T => items[int(g, 0, items.length - 1)];

export interface FuzzTotals {
  requests: number;
  byStatus: Record<string, number>;
  byCode: Record<string, number>;
  byCaller: Record<string, number>;
  byShape: Record<string, number>;
  /** Connections the server closed as the client reused them (its keep-alive timeout), each request then sent again. */
  resent: number;
  violations: number;
  examples: string[];
  seconds: number;
}

const HOSTILE_STRINGS = [
  '\u0000',
  'a\u0000b',
  '\uD800',
  '\uDFFF',
  'x\uD83Dy',
  '\u202E\u0000',
  '9'.repeat(400),
  '1e309',
  '-1e309',
  '0x7fffffff',
  'NaN',
  "' or 1=1 --",
  "'; drop table result; --",
  '1; select pg_sleep(5)',
  "x' union select secret_hash from api_key --",
  '$1',
  '?',
  '%',
  '_',
  '\\',
  '../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '/work/main/.data/demo-keys.txt',
  'file:///etc/passwd',
  '%2e%2e%2f%2e%2e%2f',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  '<script>alert(1)</script>',
  '${process.env}',
  '{{7*7}}',
  'Q2FzZTox',
  'UmVzdWx0OjE',
  'QXBpS2V5OjE',
  'T3JnYW5pc2F0aW9uOjE',
  'UHJvZ3JhbW1lOjE',
  'Y3Vyc29yOjE',
  'ak_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
  '2017S3',
  '2017Q5',
  '2017-13',
  '0000',
  '99999',
  'BD',
  'XX',
  'bd',
  'BD-99',
  '',
  ' ',
  '\r\n',
  '😀'.repeat(50),
  'é',
];
const HOSTILE_NUMBERS = [0, -1, 1, 101, 2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 1, 1e308, -1e308, 0.5, Number.MIN_VALUE, 1e21];
const GARBAGE_TOKENS = [
  '{',
  '}',
  '(',
  ')',
  '[',
  ']',
  ':',
  '...',
  '@include',
  '@skip',
  '$v',
  '!',
  '=',
  'on',
  'query',
  'mutation',
  'fragment',
  '"x"',
  '1',
  'null',
  '__schema',
  '__type',
  '#',
];

// Arbitraries are built once: fc.gen() remembers each factory it is given, and a new closure per draw fills its memory.
const HOSTILE_STRING = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 2, arbitrary: fc.string({ maxLength: 30 }) },
  // Any code points, lone surrogates included.
  {
    weight: 1,
    arbitrary: fc.array(fc.integer({ min: 0, max: 0x10ffff }), { maxLength: 60 }).map((points) => String.fromCodePoint(...points)),
  },
  // Long strings are short ones repeated: fast-check's own long strings are slow to draw.
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.string({ minLength: 1, maxLength: 20 }), fc.integer({ min: 100, max: 1_000 }))
      .map(([text, n]) => text.repeat(n)),
  },
);
const INT_VALUE = fc.oneof(fc.integer({ min: -5, max: 120 }), fc.constantFrom(...HOSTILE_NUMBERS));
const FLOAT_VALUE = fc.oneof(fc.double({ noNaN: true }), fc.constantFrom(...HOSTILE_NUMBERS));
const PERSISTED_QUERY = fc.oneof(
  fc.record({
    version: fc.constantFrom(1, 2, '1', null),
    sha256Hash: fc.oneof(
      fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 }),
      fc.constantFrom(42, null, '', 'x'),
    ),
  }),
  fc.constantFrom('yes', 1, [], null),
);
const GARBAGE_QUERY = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc
    .array(fc.constantFrom(...GARBAGE_TOKENS, 'programmes', 'nodes', 'cases', 'reportCase', 'first:', 'results'), { maxLength: 80 })
    .map((t) => t.join(' ')),
  fc.constantFrom(
    'fragment F on Query { ...F } { ...F }',
    '{ a: __typename '.repeat(40),
    `{ results(filter: ${'{ a: '.repeat(1_000)}1${' }'.repeat(1_000)}) { totalCount } }`,
    'subscription { x }',
    '{ __typename @skip }',
  ),
);
/** 300,000 levels of JSON arrays, about 600 KB: JSON.parse takes it, any recursive walk would not. */
const DEEP_ARRAY_JSON = `${'['.repeat(300_000)}${']'.repeat(300_000)}`;
const arbitrary =
  <T>(arb: fc.Arbitrary<T>) =>
  () =>
    arb;
const hostileStringOf = arbitrary(HOSTILE_STRING);
const hostileString = (g: G): string => g(hostileStringOf);
const intValueOf = arbitrary(INT_VALUE);
const floatValueOf = arbitrary(FLOAT_VALUE);
const persistedQueryOf = arbitrary(PERSISTED_QUERY);
const garbageQueryOf = arbitrary(GARBAGE_QUERY);

/** Deeply nested or enormous values: what overflowed a recursive check before. */
function monster(g: G): unknown {
  // Deeper values go in raw bodies: JSON.stringify itself recurses.
  const depth = g(fc.constantFrom, 33, 100, 1_000, 4_000);
  const kind = g(fc.constantFrom, 'object', 'array', 'long-array', 'wide-object', 'proto');
  if (kind === 'long-array') return Array.from({ length: g(fc.constantFrom, 1_000, 50_000, 150_000) }, (_, i) => (i % 2 ? 'x' : i));
  if (kind === 'wide-object') return Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`k${i}`, i]));
  if (kind === 'proto') return JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}');
  let value: unknown = hostileString(g);
  for (let i = 0; i < depth; i++) value = kind === 'object' ? { a: value } : [value];
  return value;
}

function anyValue(g: G): unknown {
  switch (int(g, 0, 9)) {
    case 0:
      return monster(g);
    case 1:
      return g(fc.constantFrom, ...HOSTILE_NUMBERS);
    case 2:
      return g(fc.jsonValue, { maxDepth: 4 });
    case 3:
      return null;
    case 4:
      return g(fc.boolean);
    case 5:
      return [hostileString(g), hostileString(g)];
    default:
      return hostileString(g);
  }
}

/** Values the demo data holds (global IDs, codes), so many generated requests reach a resolver and SQL. */
export interface Pools {
  ids: string[];
  codes: string[];
}

function scalarValue(g: G, name: string, pools: Pools, corrupt: boolean): unknown {
  if (corrupt && int(g, 0, 5) === 0) return anyValue(g);
  switch (name) {
    case 'Int':
    case 'NonNegativeInt':
    case 'PositiveInt':
      return g(intValueOf);
    case 'Float':
    case 'NonNegativeFloat':
      return g(floatValueOf);
    case 'Boolean':
      return g(fc.boolean);
    case 'ID':
      return g(fc.constantFrom, ...pools.ids);
    case 'CountryCode':
      return g(fc.constantFrom, 'BD', 'NL', 'IN', 'NP', 'KH', 'BR', 'XX', 'bd', 'NLD');
    case 'Date':
      return g(fc.constantFrom, '2022-01-01', '2024-03-04', '2999-12-31', '2022-02-30', '0000-00-00');
    case 'DateTime':
      return g(fc.constantFrom, '2022-01-01T00:00:00Z', '2030-01-01T00:00:00.000Z', '2022-13-01T00:00:00Z', 'yesterday');
    default:
      return int(g, 0, 1) === 0 ? pick(g, pools.codes) : pick(g, ['2017', '2017S1', '2017Q2', '2017-05', '2016/2020', 'en', 'NL']);
  }
}

/** A value for an input type: of the right shape, or (corrupt) sometimes a near miss, sometimes anything at all. */
function inputValue(g: G, type: GraphQLInputType, pools: Pools, corrupt: boolean, depth = 0): unknown {
  if (corrupt && int(g, 0, 11) === 0) return anyValue(g);
  if (isNonNullType(type)) return corrupt && int(g, 0, 30) === 0 ? null : inputValue(g, type.ofType, pools, corrupt, depth);
  if (isListType(type)) {
    if (int(g, 0, 8) === 0) return inputValue(g, type.ofType, pools, corrupt, depth + 1);
    return Array.from({ length: int(g, 0, 4) }, () => inputValue(g, type.ofType, pools, corrupt, depth + 1));
  }
  if (isEnumType(type)) {
    const values = type.getValues().map((v) => v.name);
    if (!corrupt) return pick(g, values);
    const value = pick(g, values);
    // Mostly a real value; now and then one letter short, or in lower case.
    return [value, value, value, value, value.slice(0, -1), value.toLowerCase()][int(g, 0, 5)];
  }
  if (isInputObjectType(type)) {
    const out: Record<string, unknown> = {};
    if (depth > 4) return out;
    for (const field of Object.values(type.getFields())) {
      if (isNonNullType(field.type) || g(fc.boolean)) out[field.name] = inputValue(g, field.type, pools, corrupt, depth + 1);
    }
    if (corrupt && int(g, 0, 6) === 0)
      out[g(fc.constantFrom, 'unknownField', '__proto__', 'constructor', `${Object.keys(type.getFields())[0] ?? 'x'}s`)] = anyValue(g);
    return out;
  }
  return scalarValue(g, type.name, pools, corrupt);
}

/** A value printed as a GraphQL literal for its input type (enum values bare), cut off 500 levels down. */
function literal(value: unknown, type: GraphQLInputType | undefined, depth = 0): string {
  if (value === null || value === undefined || depth > 500) return 'null';
  const inner = type && isNonNullType(type) ? type.ofType : type;
  if (typeof value === 'string')
    return inner && isEnumType(inner) && /^[_A-Za-z][_0-9A-Za-z]*$/.test(value) ? value : JSON.stringify(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '1e999';
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value))
    return `[${value
      .slice(0, 200)
      .map((v) => literal(v, inner && isListType(inner) ? inner.ofType : inner, depth + 1))
      .join(', ')}]`;
  const fields = inner && isInputObjectType(inner) ? inner.getFields() : {};
  return `{ ${Object.entries(value as Record<string, unknown>)
    .filter(([k]) => /^[_A-Za-z][_0-9A-Za-z]*$/.test(k))
    .map(([k, v]) => `${k}: ${literal(v, fields[k]?.type, depth + 1)}`)
    .join(', ')} }`;
}

/** The document being built: its variables, and whether it is meant to be broken. */
interface Doc {
  defs: string[];
  values: Record<string, unknown>;
  corrupt: boolean;
}

interface Built {
  query: string;
  variables: Record<string, unknown>;
}

const subselection = (g: G, schema: GraphQLSchema, type: GraphQLOutputType, pools: Pools, vars: Doc, depth: number) =>
  selection(g, schema, type, pools, vars, depth) || '{ __typename }';

/** A selection set for an output type, from its real fields, to a random depth. */
function selection(g: G, schema: GraphQLSchema, type: GraphQLOutputType, pools: Pools, vars: Doc, depth: number): string {
  const named = getNamedType(type) as GraphQLNamedType;
  if (isLeafType(named)) return '';
  if (isAbstractType(named)) {
    const possible = schema.getPossibleTypes(named);
    const picks = Array.from({ length: int(g, 1, 2) }, () => pick(g, possible));
    const fragments = picks.map((p) => `... on ${p.name} ${selection(g, schema, p, pools, vars, depth + 1) || '{ __typename }'}`);
    return `{ __typename ${fragments.join(' ')} }`;
  }
  if (!isObjectType(named)) return '';
  const fields = Object.values(named.getFields());
  const count = int(g, 1, 4);
  const parts: string[] = [];
  const used = new Set<string>();
  for (let i = 0; i < count; i++) {
    const field = pick(g, fields);
    const leaf = isLeafType(getNamedType(field.type));
    if (!leaf && depth >= 4) {
      parts.push('__typename');
      continue;
    }
    // A field asked for twice needs an alias, or its two selections conflict.
    const alias = used.has(field.name) || int(g, 0, 5) === 0 ? `a${depth}_${i}: ` : '';
    used.add(field.name);
    parts.push(
      `${alias}${field.name}${args(g, field, pools, vars)} ${leaf ? '' : subselection(g, schema, field.type, pools, vars, depth + 1)}`,
    );
  }
  if (vars.corrupt && int(g, 0, 9) === 0)
    parts.push(
      g(fc.constantFrom, 'nam', 'totalCont', 'secretHash', 'password', '__schema { types { name } }', '__type(name: "Case") { name }'),
    );
  return `{ ${parts.join(' ')} }`;
}

function args(g: G, field: GraphQLField<unknown, unknown>, pools: Pools, vars: Doc): string {
  const out: string[] = [];
  for (const arg of field.args) {
    if (!isNonNullType(arg.type) && !g(fc.boolean)) continue;
    const value = inputValue(g, arg.type, pools, vars.corrupt);
    // A hostile value goes in a variable: as a literal, validation would refuse most of it.
    if (vars.corrupt || int(g, 0, 9) < 6) {
      const name = `v${vars.defs.length}`;
      // Now and then a variable of the wrong type, which validation must refuse.
      const declared =
        vars.corrupt && int(g, 0, 14) === 0
          ? g(fc.constantFrom, 'String', 'Int!', '[ID!]!', 'ResultFilter', 'CaseStatus', 'Case')
          : String(arg.type);
      vars.defs.push(`$${name}: ${declared}`);
      vars.values[name] = value;
      out.push(`${arg.name}: $${name}`);
    } else {
      out.push(`${arg.name}: ${literal(value, arg.type)}`);
    }
  }
  if (vars.corrupt && int(g, 0, 12) === 0)
    out.push(`${g(fc.constantFrom, 'bogus', 'limit', 'where', 'orderBy')}: ${literal(anyValue(g), undefined)}`);
  return out.length ? `(${out.join(', ')})` : '';
}

/** A document over the real schema: one operation with a few root fields, perhaps damaged afterwards. */
function schemaDocument(g: G, schema: GraphQLSchema, pools: Pools, kind: 'query' | 'mutation'): Built {
  const root = kind === 'query' ? schema.getQueryType()! : schema.getMutationType()!;
  // Most documents are valid with plausible values; a corrupt one gets near misses, hostile values and damage.
  const vars: Doc = { defs: [], values: {}, corrupt: int(g, 0, 9) < 4 };
  const fields = Object.values(root.getFields());
  const picks = Array.from({ length: int(g, 1, kind === 'query' ? 3 : 1) }, () => pick(g, fields));
  const body = picks
    .map((field, i) => {
      const sel = isLeafType(getNamedType(field.type)) ? '' : selection(g, schema, field.type, pools, vars, 1) || '{ __typename }';
      return `${picks.length > 1 ? `r${i}: ` : ''}${field.name}${args(g, field, pools, vars)} ${sel}`;
    })
    .join(' ');
  const name = g(fc.constantFrom, '', 'Fuzz', 'ReportCase', 'case_registry', 'x'.repeat(80));
  let query = `${kind} ${name}${vars.defs.length ? `(${vars.defs.join(', ')})` : ''} { ${body} }`;
  const damage = vars.corrupt ? int(g, 0, 5) : -1;
  if (damage === 0) {
    const at = int(g, 0, query.length);
    query = query.slice(0, at) + g(fc.constantFrom, ...GARBAGE_TOKENS) + query.slice(at);
  } else if (damage === 1) {
    const at = int(g, 0, query.length - 1);
    query = query.slice(0, at) + query.slice(at + 1);
  }
  return { query, variables: vars.values };
}

function garbageDocument(g: G): Built {
  const query = g(garbageQueryOf);
  return { query, variables: int(g, 0, 2) === 0 ? (monster(g) as Record<string, unknown>) : {} };
}

/** The demo roles and the shapes of unauthenticated callers. */
interface Caller {
  name: string;
  headers: Record<string, string>;
  /** May this caller's role write anything? Then it sends queries only. */
  writes: boolean;
}

export interface FuzzRequest {
  caller: string;
  shape: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  search?: string;
  /** The strings of the request, which the response may quote back. */
  echoes: string[];
}

function hasMutation(query: string): boolean {
  try {
    return parse(query).definitions.some((d) => d.kind === 'OperationDefinition' && d.operation === 'mutation');
  } catch {
    return false;
  }
}

function stringsOf(value: unknown, out: string[] = []): string[] {
  const stack = [value];
  while (stack.length) {
    const v = stack.pop();
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) stack.push(...v.slice(0, 500));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v).slice(0, 500)) (out.push(k), stack.push(x));
  }
  return out;
}

export function requestArbitrary(schema: GraphQLSchema, pools: Pools, callers: Caller[]): fc.Arbitrary<FuzzRequest> {
  return fc.gen().map((g) => {
    let caller = pick(g, callers);
    const shape = g(fc.constantFrom, 'query', 'query', 'query', 'query', 'mutation', 'mutation', 'garbage', 'apq', 'get', 'raw');
    let built: Built;
    if (shape === 'mutation' && caller.writes) caller = callers.find((c) => !c.writes)!;
    if (shape === 'garbage' || shape === 'raw') built = garbageDocument(g);
    else built = schemaDocument(g, schema, pools, shape === 'mutation' ? 'mutation' : 'query');
    if (caller.writes && hasMutation(built.query)) caller = callers.find((c) => !c.writes)!;
    const headers: Record<string, string> = { 'content-type': 'application/json', ...caller.headers };
    const echoes = [built.query, ...stringsOf(built.variables)];
    if (shape === 'get') {
      const search = new URLSearchParams({ query: built.query, variables: JSON.stringify(built.variables) }).toString();
      return {
        caller: caller.name,
        shape,
        method: 'GET',
        headers: { ...caller.headers, 'apollo-require-preflight': 'true' },
        search,
        echoes,
      };
    }
    let body: string;
    if (shape === 'apq') {
      const persisted = g(persistedQueryOf);
      body = JSON.stringify({
        ...(g(fc.boolean) ? { query: built.query } : {}),
        variables: built.variables,
        extensions: { persistedQuery: persisted },
      });
    } else if (shape === 'raw') {
      // graphql-js quotes an unknown operation name back: what the request said, not a leak.
      const hostileName = hostileString(g);
      echoes.push(hostileName);
      body = g(
        fc.constantFrom,
        built.query,
        `{"query": ${JSON.stringify(built.query)}, "variables": ${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}}`,
        `{"query": "query($a: ResultFilter) { results(filter: $a) { totalCount } }", "variables": {"a": ${DEEP_ARRAY_JSON}}}`,
        `{"query": "{ __typename }", "variables": {"__proto__": {"admin": true}}, "extensions": {"__proto__": 1}}`,
        `[{"query": "{ __typename }"}, {"query": "{ __typename }"}]`,
        `{"query": ${JSON.stringify(built.query)}, "operationName": ${JSON.stringify(hostileName)}}`,
        `{"query": ${JSON.stringify(built.query)}`,
        `{"query": 42, "variables": "x"}`,
        `{"query": ${JSON.stringify(built.query)}, "variables": [1, 2]}`,
        '\u0000',
        '',
      );
      if (g(fc.boolean))
        headers['content-type'] = g(
          fc.constantFrom,
          'text/plain',
          'application/graphql',
          'application/json; charset=latin1',
          'multipart/form-data',
        );
    } else {
      body = JSON.stringify({ query: built.query, variables: built.variables });
    }
    return { caller: caller.name, shape, method: 'POST', headers, body, echoes };
  });
}

// What a response may never contain (after the request's own strings are removed from it).
const LEAKS: [string, RegExp][] = [
  ['stack trace', /\bat (?:async )?[\w$.<>[\] ]+ \((?:file:|node:|\/)|\bat (?:file:|node:)|\n\s+at \S/],
  [
    'SQL',
    new RegExp(
      [
        String.raw`\bselect\b[^"]{0,200}\bfrom\b`,
        String.raw`\binsert into\b`,
        String.raw`\bupdate\b \S+ \bset\b`,
        String.raw`\bdelete from\b`,
        'syntax error at or near',
        String.raw`\bSQLSTATE\b`,
        String.raw`violates [\w ]*constraint`,
        String.raw`\brelation "`,
      ].join('|'),
      'i',
    ),
  ],
  [
    'relation name',
    new RegExp(
      String.raw`\b(child_case|api_key|audit_entry|idempotency_key|legal_action|service_offering|programme_participant|programme_country|` +
        String.raw`programme_indicator|period_lock|disaggregation_set|source_document|mikro_orm_migrations)\b`,
    ),
  ],
  ['file path', /\/work\/|node_modules|\.ts:\d|\.js:\d|file:\/\/|\/root\/|\/tmp\//],
];

function scrub(text: string, echoes: string[]): string {
  const forms = (s: string) => [JSON.stringify(JSON.stringify(s).slice(1, -1)).slice(1, -1), JSON.stringify(s).slice(1, -1), s];
  const sorted = [...new Set(echoes.flatMap((e) => [e, ...e.split(/\s+/)]))]
    .filter((e) => e.length >= 3)
    .sort((a, b) => b.length - a.length);
  let out = text;
  for (const echo of sorted) for (const form of forms(echo)) if (form.length >= 3) out = out.split(form).join('');
  return out;
}

/** Rows of every table, with what may change without a write (a key's last use) left out. */
async function fingerprint(t: TestApi): Promise<Map<string, string>> {
  const em = t.api.orm.em.fork();
  const tables = (await em.execute(
    `select table_name as name from information_schema.tables
     where table_schema = current_schema() and table_type = 'BASE TABLE' order by 1`,
  )) as { name: string }[];
  const out = new Map<string, string>();
  for (const { name } of tables) {
    if (name === 'audit_entry') continue;
    const [row] = (await em.execute(
      `select count(*)::int as n, md5(coalesce(string_agg(r, '|' order by r), '')) as h
       from (select (to_jsonb(t) - 'last_used_at')::text as r from "${name}" t) rows`,
    )) as { n: number; h: string }[];
    out.set(name, `${row.n}:${row.h}`);
  }
  return out;
}

export async function runFuzz(options: {
  requests: number;
  seed?: number;
  concurrency?: number;
  progress?: (done: number) => void;
}): Promise<FuzzTotals> {
  const started = Date.now();
  // Production settings, with budgets no run reaches, so every request goes through the whole pipeline.
  const t = await startTestApi({
    env: 'production',
    introspection: false,
    metricsToken: 'fuzz-metrics-token-0123456789',
    authFailuresPerMinute: 1_000_000_000,
    rateLimit: { keyPerMinute: 1_000_000_000, anonymousPerMinute: 1_000_000_000, namespace: `fuzz-${process.pid}-${Date.now()}` },
  });
  const totals: FuzzTotals = {
    requests: 0,
    byStatus: {},
    byCode: {},
    byCaller: {},
    byShape: {},
    resent: 0,
    violations: 0,
    examples: [],
    seconds: 0,
  };
  try {
    const keys = await createTestKeys(t);
    const em = t.api.orm.em.fork();
    const caseWorkerKey = ((await em.execute(`select id from api_key where name = 'Test TdH case worker'`)) as { id: number }[])[0].id;
    const ids = (await em.execute(`select id from organisation limit 5`)) as { id: number }[];
    const pools: Pools = {
      ids: [
        ...ids.map((r) => Buffer.from(`Organisation:${r.id}`).toString('base64url')),
        ...['Programme:1', 'Result:1', 'Case:1', 'Referral:1', 'LegalAction:1', 'ApiKey:1', 'Target:1', 'Indicator:1'].map((s) =>
          Buffer.from(s).toString('base64url'),
        ),
      ],
      codes: ((await em.execute(`select code from programme union all select code from indicator limit 20`)) as { code: string }[])
        .map((r) => r.code)
        .concat(['tdh-nl', 'plan-nl']),
    };
    const callers: Caller[] = [
      { name: 'anonymous', headers: {}, writes: false },
      { name: 'viewer', headers: bearer(keys.tdhViewer), writes: false },
      { name: 'viewer (Plan)', headers: bearer(keys.planViewer), writes: false },
      { name: 'partner editor', headers: bearer(keys.tdhEditor), writes: true },
      { name: 'partner admin', headers: bearer(keys.ecpatAdmin), writes: true },
      { name: 'alliance admin', headers: bearer(keys.admin), writes: true },
      { name: 'case worker', headers: bearer(keys.tdhCaseWorker), writes: true },
      { name: 'forged key', headers: bearer('ak_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'), writes: false },
      { name: 'malformed header', headers: { authorization: 'Bearer \u00ff' }, writes: false },
    ];
    const schema = await createSchema();
    const before = await fingerprint(t);
    const [{ max: auditBefore }] = (await em.execute('select coalesce(max(id), 0)::bigint as max from audit_entry')) as { max: string }[];
    const logsBefore = t.logs.length;

    const violation = (request: FuzzRequest, what: string, detail: string) => {
      totals.violations++;
      const sent = (request.body ?? request.search ?? '').slice(0, 300);
      if (totals.examples.length < 10)
        totals.examples.push(`${what} [${request.caller}, ${request.shape}] ${sent} -> ${detail.slice(0, 300)}`);
    };
    const send = async (request: FuzzRequest) => {
      const url = request.method === 'GET' ? `${t.url}?${request.search}` : t.url;
      const attempt = async () => {
        const response = await fetch(url, { method: request.method, headers: request.headers, body: request.body });
        return { status: response.status, text: await response.text() };
      };
      let answer: { status: number; text: string };
      try {
        answer = await attempt();
      } catch {
        // A pooled connection the server closed after its 5-second keep-alive timeout while generating a batch kept the
        // event loop (which the api and this client share) busy: sent once more, and only a second failure counts.
        totals.resent++;
        try {
          answer = await attempt();
        } catch (error) {
          violation(request, 'no answer', `${String(error)} (${String((error as { cause?: { code?: string } }).cause?.code)})`);
          return;
        }
      }
      const { status, text } = answer;
      totals.requests++;
      const bump = (m: Record<string, number>, k: string) => (m[k] = (m[k] ?? 0) + 1);
      bump(totals.byStatus, String(status));
      bump(totals.byCaller, request.caller);
      bump(totals.byShape, request.shape);
      if (status >= 500) violation(request, `HTTP ${status}`, text);
      let parsed: { errors?: { message?: string; extensions?: { code?: string } }[] } | undefined;
      try {
        parsed = JSON.parse(text);
      } catch {
        bump(totals.byCode, '(not JSON)');
      }
      for (const error of parsed?.errors ?? []) {
        const code = error.extensions?.code;
        bump(totals.byCode, code ?? '(none)');
        if (!code) violation(request, 'error without a code', text);
        if (code === 'INTERNAL_SERVER_ERROR') violation(request, 'INTERNAL_SERVER_ERROR', text);
      }
      if (parsed && !parsed.errors) bump(totals.byCode, '(no error)');
      const scrubbed = scrub(text, request.echoes);
      for (const [what, pattern] of LEAKS)
        if (pattern.test(scrubbed)) violation(request, what, scrubbed.match(pattern)?.[0] + ' in ' + text);
    };

    // Small batches: generating one blocks the event loop the api shares with this client.
    const batch = 100;
    let generated = 0;
    while (generated < options.requests) {
      const n = Math.min(batch, options.requests - generated);
      const requests = fc.sample(requestArbitrary(schema, pools, callers), { numRuns: n, seed: (options.seed ?? 1) + generated });
      generated += n;
      const queue = [...requests];
      await Promise.all(
        Array.from({ length: options.concurrency ?? 6 }, async () => {
          for (let r = queue.shift(); r; r = queue.shift()) await send(r);
        }),
      );
      options.progress?.(generated);
    }

    const after = await fingerprint(t);
    for (const [table, value] of before)
      if (after.get(table) !== value)
        violation(
          { caller: '-', shape: 'database', method: 'POST', headers: {}, echoes: [] },
          'write',
          `${table}: ${value} -> ${after.get(table)}`,
        );
    const audit = (await em.execute('select action, api_key_id from audit_entry where id > ?', [auditBefore])) as {
      action: string;
      api_key_id: number | null;
    }[];
    const writes = audit.filter((a) => !(a.action.endsWith('.read') && a.api_key_id === caseWorkerKey));
    if (writes.length)
      violation(
        { caller: '-', shape: 'database', method: 'POST', headers: {}, echoes: [] },
        'write',
        `audit entries other than case reads: ${JSON.stringify(writes.slice(0, 5))}`,
      );
    for (const line of t.logs.slice(logsBefore)) {
      if (/"level":"(error|fatal)"/.test(line))
        violation({ caller: '-', shape: 'log', method: 'POST', headers: {}, echoes: [] }, 'error in the server log', line);
    }
  } finally {
    await t.stop();
  }
  totals.seconds = Math.round((Date.now() - started) / 100) / 10;
  return totals;
}
