/** What tests, scripts and tools import from the api package. */
export { loadConfig, type Config } from './config.js';
export { createLogger, type Logger } from './logger.js';
export { startApi, type RunningApi } from './server.js';
export { createSchema, printSortedSchema } from './graphql/schema.js';
export { compareSchemas } from './graphql/schema-contract.js';
export { startEmbeddedPostgres, type EmbeddedDatabase } from './db/embedded.js';
export { openOrm } from './db/orm.js';
export { seedCountries, seedPublishedData } from './db/seeds/seed.js';
export { issueKeyFor } from './modules/access/api-key.service.js';
export { Role } from './modules/access/role.enums.js';
export { ACCESS_POLICY, accessFor, allows, type Access } from './modules/access/access-policy.js';
export { DOCUMENT_LIMITS } from './graphql/protection.js';
export { MUTATIONS_HONOURING_KEYS, retryAdvice, retryAdviceOutsideApollo, SHOULD_RETRY_HEADER } from './graphql/retry-advice.js';
export { applyRetention } from './modules/cases/retention.js';
export { atomChangeBound, cellKey, perturbation, protectCount, publish, MINIMUM_CELL_SIZE, MAXIMUM_PERTURBATION, KEY_RANGE, type RawAtom } from './modules/cases/disclosure.js';
export { caseLaneError, caseLaneFrameSql, CASE_LANE_ROLES, type CaseLane } from './modules/cases/case-lanes.js';
