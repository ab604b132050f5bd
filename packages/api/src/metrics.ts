import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { MikroORM } from '@mikro-orm/postgresql';
import { accessFor } from './modules/access/access-policy.js';
import { CASE_WORKERS } from './modules/access/role.enums.js';
import { selectsFieldWhere } from './graphql/document-fields.js';

/** How a request ended, as the metrics and the request log count it. */
export type Outcome = 'success' | 'client_error' | 'rate_limited' | 'database_unavailable' | 'server_error' | 'aborted' | 'shutting_down';

/** Operation names come from clients: only well-formed names are kept, and only so many, so the label set stays small. */
const MAX_OPERATION_NAMES = 200;
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** The one label of every operation on the case registry, so metrics and logs never count case work by name. */
export const CASE_REGISTRY_LABEL = 'case_registry';

/**
 * Whether a document selects any field that a case-work role may resolve and others may not: the case registry's
 * records and writes, reached directly or through `node`. Decided from the access table, so a new case field or
 * mutation (which cannot start without an entry there) is covered without a list of names.
 */
export const selectsCaseRegistry = selectsFieldWhere((parent, field) => {
  const access = accessFor(parent.name, field.name);
  return Array.isArray(access) && access.some((role) => CASE_WORKERS.includes(role));
});

interface TarnPool {
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
  numPendingCreates(): number;
  max: number;
}

/**
 * The api's Prometheus metrics (`GET /metrics`), one registry per running api: GraphQL requests and their
 * latency by operation and outcome, the database pool, rate-limit rejections, database outages, and the
 * process (CPU, memory, event loop, garbage collection) from prom-client's default metrics.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly operations = new Set<string>();
  readonly requests: Counter<'operation' | 'outcome'>;
  readonly duration: Histogram<'operation' | 'outcome'>;
  readonly rateLimitRejections: Counter<'principal'>;
  readonly databaseUnavailable: Counter;

  constructor(orm: MikroORM) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.requests = new Counter({ name: 'alliance_graphql_requests_total', help: 'GraphQL requests answered, by operation name and outcome.', labelNames: ['operation', 'outcome'], registers });
    this.duration = new Histogram({
      name: 'alliance_graphql_request_duration_seconds',
      help: 'Time from receiving a GraphQL request to the end of its response, by operation name and outcome.',
      labelNames: ['operation', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.rateLimitRejections = new Counter({
      name: 'alliance_rate_limit_rejections_total',
      help: 'Requests refused with RATE_LIMITED, by caller: apiKey, anonymous, or failedAuthentication (an address sending bad keys).',
      labelNames: ['principal'],
      registers,
    });
    this.databaseUnavailable = new Counter({ name: 'alliance_database_unavailable_total', help: 'Requests that failed fast with DATABASE_UNAVAILABLE because PostgreSQL could not be reached.', registers });
    const pool = () => (orm.em.getConnection().getKnex().client as { pool?: TarnPool }).pool;
    new Gauge({
      name: 'alliance_db_pool_connections',
      help: 'Connections of the PostgreSQL pool: in use, idle, and requests waiting for one (pending_acquires) or being opened (pending_creates).',
      labelNames: ['state'],
      registers,
      collect() {
        const p = pool();
        this.set({ state: 'used' }, p?.numUsed() ?? 0);
        this.set({ state: 'free' }, p?.numFree() ?? 0);
        this.set({ state: 'pending_acquires' }, p?.numPendingAcquires() ?? 0);
        this.set({ state: 'pending_creates' }, p?.numPendingCreates() ?? 0);
      },
    });
    new Gauge({
      name: 'alliance_db_pool_max',
      help: 'The most connections the PostgreSQL pool opens.',
      registers,
      collect() {
        this.set(pool()?.max ?? 0);
      },
    });
  }

  /**
   * The label of an operation: CASE_REGISTRY_LABEL for case-registry work whatever its name; else the client's
   * operation name, `anonymous` without one, `other` past the cap, when malformed or when it poses as case work.
   */
  operationLabel(name: string | null | undefined, caseRegistry: boolean): string {
    if (caseRegistry) return CASE_REGISTRY_LABEL;
    if (!name) return 'anonymous';
    if (!OPERATION_NAME.test(name) || name === CASE_REGISTRY_LABEL) return 'other';
    if (this.operations.has(name)) return name;
    if (this.operations.size >= MAX_OPERATION_NAMES) return 'other';
    this.operations.add(name);
    return name;
  }

  observe(operation: string, outcome: Outcome, seconds: number): void {
    this.requests.inc({ operation, outcome });
    this.duration.observe({ operation, outcome }, seconds);
    if (outcome === 'database_unavailable') this.databaseUnavailable.inc();
  }
}
