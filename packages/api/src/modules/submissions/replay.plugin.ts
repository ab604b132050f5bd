import { createHmac } from 'node:crypto';
import { getNamedType, Kind, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../../graphql/context.js';
import { selectsFieldWhere } from '../../graphql/document-fields.js';
import type { Logger } from '../../logger.js';
import { rateLimitKey } from '../access/principal.js';
import { everyFieldKeyed, retryAdvice } from '../../graphql/retry-advice.js';

/**
 * Idempotent replays answer with the first answer as it was sent. When a mutation sent with an idempotency key wrote
 * something, its response body is added to the key's record (written with the write) as the answer is sent; the
 * same request again (same key, document and variables, same API key) gets that body back byte for byte — with its
 * `replayed` fields true and the header `Idempotent-Replayed: true` — not the figures as they are now.
 *
 * Not for the case registry: its answers are never copied out of it (consent withdrawn or a case closed would not
 * reach the copy), nor are counts drawn from it. A case-registry replay is answered by its resolvers, which check access again.
 * A request whose body could not be kept (the database went away just after the write) is replayed by the resolvers too.
 */

/** How long sending an answer may wait for its body to be kept; past it, the answer goes and the resolvers replay. */
const STORE_WAIT_MS = 250;

function fingerprint(ctx: Context, request: { query?: string; operationName?: string | null; variables?: Record<string, unknown> }): string {
  const secret = ctx.principal.kind === 'apiKey' ? (ctx.principal.idempotencySecret ?? '') : '';
  const parts = [ctx.idempotencyKey ?? null, request.operationName ?? null, request.query ?? '', request.variables ?? {}];
  return createHmac('sha256', secret).update(JSON.stringify(parts)).digest('hex');
}

/** The response keys of the `replayed` fields of each top-level field: `[["submitResults", "replayed"], …]`. */
function replayedPaths(document: DocumentNode, operation: OperationDefinitionNode): [string, string][] {
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]),
  );
  const fieldsOf = (set: SelectionSetNode | undefined, seen = new Set<string>()): { key: string; name: string; set?: SelectionSetNode }[] =>
    (set?.selections ?? []).flatMap((s) => {
      if (s.kind === Kind.FIELD) return [{ key: s.alias?.value ?? s.name.value, name: s.name.value, set: s.selectionSet }];
      if (s.kind === Kind.INLINE_FRAGMENT) return fieldsOf(s.selectionSet, seen);
      if (seen.has(s.name.value)) return [];
      seen.add(s.name.value);
      return fieldsOf(fragments.get(s.name.value)?.selectionSet, seen);
    });
  return fieldsOf(operation.selectionSet).flatMap((top) => fieldsOf(top.set).filter((f) => f.name === 'replayed').map((f): [string, string] => [top.key, f.key]));
}

/**
 * The types whose numbers are counted from the case registry (protected): headline figures draw on it, and the
 * statistics tables are made of it. A payload can reach them (`result { programme { headlineFigures … } }`); such an
 * answer is not kept either, so a withdrawn consent or a closed case reaches every later answer.
 */
const REGISTRY_COUNTED = /^(HeadlineFigures|FigureShare|ProtectedCount|\w+Statistics(Table|Row))$/;

const drawsOnCaseRegistry = selectsFieldWhere((_parent, field) => REGISTRY_COUNTED.test(getNamedType(field.type).name));

export function replayPlugin(logger: Logger, selectsCaseRegistry: (document: DocumentNode) => boolean): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      let eligible = false;
      let print = '';
      return {
        async responseForOperation({ contextValue: ctx, operation, document, request, source, schema }) {
          // Only a request that carries an idempotency key (in the header or in its input) can have a kept answer.
          // Every top-level field must honour its key: a field that honours none (lockPeriod beside submitResults, say)
          // runs again on a repeat, so no stored body may answer for it.
          eligible =
            operation.operation === 'mutation' &&
            ctx.principal.kind === 'apiKey' &&
            everyFieldKeyed(operation, document, request.variables, ctx.idempotencyKey) &&
            !selectsCaseRegistry(document) &&
            !drawsOnCaseRegistry(schema, document);
          if (!eligible) return null;
          // The document as run: a persisted query sends its hash alone, and `request.query` is then empty.
          print = fingerprint(ctx, { query: source, operationName: request.operationName, variables: request.variables });
          try {
            const [stored] = (await ctx.em.fork().execute(
              'select response_body from idempotency_key where principal = ? and response_fingerprint = ? and response_body is not null and expires_at > now() limit 1',
              [rateLimitKey(ctx.principal), print],
            )) as { response_body: string }[];
            if (!stored) return null;
            return { http: { status: 200, headers: new HeaderMap([['idempotent-replayed', 'true']]) }, body: { kind: 'single', singleResult: JSON.parse(stored.response_body) } };
          } catch {
            // The lookup could not be made (the database is away): the resolvers answer, and meet the same outage.
            return null;
          }
        },
        async willSendResponse({ contextValue: ctx, response, document, operation, request }) {
          const writes = ctx.idempotentWrites ?? [];
          if (!eligible || !writes.length || !document || !operation || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          if (result.errors?.length || !result.data) return;
          // A field refused for a reason a repeat can fix (CONFLICT) wrote nothing: the advised repeat must run it again.
          if (retryAdvice({ operation, document, variables: request.variables, headerKey: ctx.idempotencyKey, errors: [], data: result.data as Record<string, unknown> }) !== undefined) return;
          // The body a replay sends: the first answer, with every `replayed` field true.
          const data = structuredClone(result.data) as Record<string, Record<string, unknown> | null>;
          for (const [top, key] of replayedPaths(document, operation)) if (data[top] && key in data[top]!) data[top]![key] = true;
          const store = ctx.em.fork().execute(
            'update idempotency_key set response_body = ?, response_fingerprint = ? where principal = ? and key_hash = any(?::text[])',
            [JSON.stringify({ data }), print, writes[0].principal, `{${writes.map((w) => w.keyHash).join(',')}}`],
          );
          const kept = await Promise.race([store.then(() => true), new Promise<false>((resolve) => setTimeout(() => resolve(false), STORE_WAIT_MS).unref())]).catch(() => false);
          if (!kept) {
            store.catch(() => {});
            logger.warn('The first answer of an idempotent request could not be kept for replays; a replay shows the figures as they are then', { requestId: ctx.requestId });
          }
        },
      };
    },
  };
}
