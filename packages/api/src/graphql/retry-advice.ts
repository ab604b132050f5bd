import type { ApolloServerPlugin } from '@apollo/server';
import type { NextFunction, Request, Response } from 'express';
import { GraphQLError, Kind, valueFromASTUntyped, type DocumentNode, type FieldNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';
import type { Context } from './context.js';

/**
 * The mutations that honour idempotency keys: the same key and input a second time gets the stored first answer
 * and writes nothing. This is the one place that says so; whether a retry of a mutation is safe follows from it.
 * A test checks it against the schema: exactly these mutations take `input.idempotencyKey`.
 */
export const MUTATIONS_HONOURING_KEYS: ReadonlySet<string> = new Set(['submitResults', 'submitTargets', 'reportCase', 'referCase', 'recordLegalAction']);

/** The response header (like Stripe-Should-Retry): `true` when sending the identical request again is safe and may succeed. */
export const SHOULD_RETRY_HEADER = 'alliance-should-retry';

/** Failures a later identical request could fix. */
const TRANSIENT_CODES: ReadonlySet<string> = new Set(['DATABASE_UNAVAILABLE', 'RATE_LIMITED', 'CONFLICT', 'SHUTTING_DOWN']);
/** Of those, the ones refused before anything of the request ran. */
const REFUSED_BEFORE_RUNNING: ReadonlySet<string> = new Set(['RATE_LIMITED', 'SHUTTING_DOWN']);
/** A racing write: its transaction was rolled back whole, so nothing of that field was written. */
const ROLLED_BACK = 'CONFLICT';

type FormattedError = { path?: readonly (string | number)[]; extensions?: Record<string, unknown> };
type Payload = { userErrors?: { code?: unknown }[] } | null | undefined;

const codeOf = (error: FormattedError) => String(error.extensions?.code ?? '');

/** The top-level fields of an operation, fragments included (a field under @skip counts too: the safe side). */
function topLevelFields(selectionSet: SelectionSetNode, document: DocumentNode): FieldNode[] {
  const fragments = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
  const fields: FieldNode[] = [];
  const seen = new Set<string>();
  const collect = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) fields.push(selection);
      else if (selection.kind === Kind.INLINE_FRAGMENT) collect(selection.selectionSet);
      else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) collect(fragment.selectionSet);
      }
    }
  };
  collect(selectionSet);
  return fields;
}

/** The idempotency key a field runs under: `input.idempotencyKey`, else the `Idempotency-Key` header (as the services take it). */
function keyOf(field: FieldNode, variables: Record<string, unknown> | undefined, headerKey: string | undefined): string | undefined {
  const input = field.arguments?.find((a) => a.name.value === 'input');
  let fromInput: unknown;
  try {
    fromInput = input ? (valueFromASTUntyped(input.value, variables) as Record<string, unknown> | null)?.idempotencyKey : undefined;
  } catch {
    fromInput = undefined;
  }
  if (typeof fromInput === 'string' && fromInput.length > 0) return fromInput;
  return headerKey || undefined;
}

/**
 * Whether every top-level field of a mutation honours idempotency keys and runs under one: the only documents whose
 * identical repeat can write nothing twice, and so the only ones whose first answer may stand for a repeat.
 */
export function everyFieldKeyed(operation: { selectionSet: SelectionSetNode }, document: DocumentNode, variables: Record<string, unknown> | undefined, headerKey: string | undefined): boolean {
  const fields = topLevelFields(operation.selectionSet, document).filter((f) => f.name.value !== '__typename');
  return fields.length > 0 && fields.every((f) => MUTATIONS_HONOURING_KEYS.has(f.name.value) && keyOf(f, variables, headerKey) !== undefined);
}

export interface AdviceInput {
  /** The operation, once resolved; undefined when the request was refused before that. */
  operation?: { operation: string; selectionSet: SelectionSetNode };
  document?: DocumentNode;
  variables?: Record<string, unknown>;
  headerKey?: string;
  errors: readonly FormattedError[];
  data?: Record<string, unknown> | null;
}

/**
 * Whether the identical request (same body, same Idempotency-Key) may be sent again: undefined when the answer
 * did not fail in a way a repeat could fix; true when it could and nothing can be applied twice; false otherwise.
 */
export function retryAdvice(input: AdviceInput): boolean | undefined {
  const { operation, document, errors } = input;
  const mutation = operation?.operation === 'mutation' && document ? operation : undefined;
  const fields = mutation ? topLevelFields(mutation.selectionSet, document!).filter((f) => f.name.value !== '__typename') : [];
  const payloadCodes = (field: FieldNode): string[] => {
    const payload = input.data?.[field.alias?.value ?? field.name.value] as Payload;
    return Array.isArray(payload?.userErrors) ? payload.userErrors.map((e) => String(e?.code ?? '')) : [];
  };
  const refusals = fields.flatMap(payloadCodes);
  const failures = [...errors.map(codeOf), ...refusals];
  if (!failures.some((code) => TRANSIENT_CODES.has(code))) return undefined;
  // Another failure in the same answer would come back the same: repeating does not help.
  if (!failures.every((code) => TRANSIENT_CODES.has(code))) return false;
  // A query changes nothing; an answer before the operation was known ran nothing.
  if (!mutation) return true;
  if (errors.some((e) => !e.path?.length && REFUSED_BEFORE_RUNNING.has(codeOf(e)))) return true;
  return fields.every((field) => {
    const key = field.alias?.value ?? field.name.value;
    const rolledBack = errors.some((e) => e.path?.[0] === key && codeOf(e) === ROLLED_BACK) || payloadCodes(field).includes(ROLLED_BACK);
    if (rolledBack) return true;
    // It may have been written (or be written in the end): a repeat is safe only under an idempotency key.
    return MUTATIONS_HONOURING_KEYS.has(field.name.value) && keyOf(field, input.variables, input.headerKey) !== undefined;
  });
}

/** Puts the advice on the errors it concerns (`extensions.retryable`). */
function annotate(errors: readonly FormattedError[], retryable: boolean): void {
  for (const error of errors) {
    if (TRANSIENT_CODES.has(codeOf(error)) && error.extensions) (error.extensions as Record<string, unknown>).retryable = retryable;
  }
}

/**
 * Sets `Alliance-Should-Retry` and `extensions.retryable` on every GraphQL answer that failed in a way a later
 * identical request could fix. Registered last, so that it sees the codes every other plugin has settled.
 */
export function retryAdvicePlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, operation, document, request, contextValue }) {
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          const errors = (result.errors ?? []) as readonly FormattedError[];
          const advice = retryAdvice({ operation: operation ?? undefined, document, variables: request.variables, headerKey: contextValue.idempotencyKey, errors, data: result.data as Record<string, unknown> | null | undefined });
          if (advice === undefined) return;
          response.http.headers.set(SHOULD_RETRY_HEADER, String(advice));
          annotate(errors, advice);
        },
      };
    },
  };
}

/**
 * For a refusal thrown before the operation runs (in the context function: authentication while the database is
 * down, the admission rate limit): nothing ran, so the identical request is safe to repeat. Returns the error.
 */
export function refusedBeforeRunning<E>(error: E): E {
  if (!(error instanceof GraphQLError) || !TRANSIENT_CODES.has(String(error.extensions.code))) return error;
  const extensions = error.extensions as Record<string, unknown> & { http?: { status?: number; headers?: Map<string, string> } };
  extensions.retryable = true;
  const http = (extensions.http ??= {});
  http.headers = new Map([...(http.headers ?? []), [SHOULD_RETRY_HEADER, 'true']]);
  return error;
}

/**
 * Express middleware for the GraphQL path, registered before any other: answers written outside Apollo (a refusal
 * while shutting down, say) ran nothing, so a JSON answer whose errors carry one of the codes above gets the header
 * `true` and `extensions.retryable: true`, and a bare 503 or 429 the header `true`. Apollo's own answers are left
 * to the plugin.
 */
export function retryAdviceOutsideApollo(_req: Request, res: Response, next: NextFunction): void {
  const json = res.json;
  res.json = function (this: Response, body: unknown) {
    const errors = (body as { errors?: unknown } | null)?.errors;
    if (Array.isArray(errors) && !this.getHeader(SHOULD_RETRY_HEADER)) {
      const codes = errors.map((e) => codeOf((e ?? {}) as FormattedError));
      if (codes.some((c) => TRANSIENT_CODES.has(c))) {
        const advice = codes.every((c) => TRANSIENT_CODES.has(c));
        this.setHeader(SHOULD_RETRY_HEADER, String(advice));
        annotate(errors as FormattedError[], advice);
      }
    }
    return json.call(this, body);
  } as typeof res.json;
  const writeHead = res.writeHead;
  res.writeHead = function (this: Response, ...args: Parameters<Response['writeHead']>) {
    const status = typeof args[0] === 'number' ? args[0] : this.statusCode;
    if ((status === 503 || status === 429) && !this.headersSent && !this.getHeader(SHOULD_RETRY_HEADER) && !res.locals.graphqlAdvised) this.setHeader(SHOULD_RETRY_HEADER, 'true');
    return writeHead.apply(this, args);
  } as typeof res.writeHead;
  next();
}

/** Marks a request Apollo has taken over (its context was created): its advice comes from the plugin, not from the status. */
export function handledByApollo(res: Response): void {
  res.locals.graphqlAdvised = true;
}
