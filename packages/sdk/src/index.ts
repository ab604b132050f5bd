/**
 * @alliance/sdk — the typed client for the Alliance Data API.
 * The generated operations and the client (auth, retries, pagination, typed errors) arrive with the SDK issue;
 * until then this package only exports the path the API serves GraphQL on.
 */
export const GRAPHQL_PATH = '/graphql';
