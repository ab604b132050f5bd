/**
 * @alliance/sdk — the typed client for the Alliance Data API: typed operations generated from the
 * committed schema, retries with idempotency keys, pagination, and one error hierarchy.
 */
export { createAllianceClient, type AllianceClient, type AllianceClientOptions, type CallOptions } from './client.js';
export { pages, paginate, type Connection } from './paginate.js';
export * from './errors.js';
export * as operations from './__generated__/graphql.js';
export type * from './__generated__/graphql.js';
