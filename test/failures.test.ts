import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { IsolationLevel } from '@mikro-orm/core';
import { classifyDatabaseError, ConflictError, errorFormatter, openOrm, writeTransaction } from '@alliance/api';
import { dataOf, startTestApi, type GraphQLResponse, type TestApi } from './support/api.js';
import { bearer, createTestKeys, type TestKeys } from './support/keys.js';

/**
 * Every failure class of db/failures.ts provoked for real against PostgreSQL: a deadlock, a serialization failure,
 * a unique key written by a racing request, and connections lost before, during and after a transaction.
 */

const SUBMIT = `mutation($input: SubmitResultsInput!) { submitResults(input: $input) {
  created updated unchanged rejected replayed
  rows { index outcome code result { id value version } }
  userErrors { code field message }
} }`;

const INDICATOR = 'DTZ-CP-COMMITTEES';
const PERIOD = '2019';

/** A small TCP proxy in front of PostgreSQL, so that a test can make the database unreachable and bring it back. */
class TcpProxy {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  port = 0;
  constructor(private readonly target: { host: string; port: number }) {}

  async start(): Promise<void> {
    this.server = net.createServer((client) => {
      const upstream = net.connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => {});
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  /** Nothing listens any more and every connection through the proxy is cut. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

describe('failure classes against real PostgreSQL', () => {
  let t: TestApi;
  let keys: TestKeys;
  let databaseUrl: string;
  let programme: string;
  const clients: pg.Client[] = [];

  /** A connection of the test's own to the api's database, as another client of PostgreSQL would have. */
  const connect = async () => {
    const client = new pg.Client({ connectionString: databaseUrl, application_name: 'failures-test' });
    await client.connect();
    clients.push(client);
    return client;
  };
  const one = async <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => {
    const client = await connect();
    try {
      return (await client.query(sql, params)).rows[0] as T;
    } finally {
      await client.end();
      clients.splice(clients.indexOf(client), 1);
    }
  };
  const figure = (country: string) =>
    one<{ id: number; value: number; version: number } | undefined>(
      `select r.id, r.value::float8 as value, r.version from result r join place pl on pl.id = r.place_id join indicator i on i.id = r.indicator_id
       where i.code = $1 and pl.key = $2 and r.period_code = $3`,
      [INDICATOR, country, PERIOD],
    );
  const auditCount = async (country: string) =>
    Number(
      (
        await one<{ n: number }>(
          `select count(*)::int as n from audit_entry a where a.entity = 'Result' and a.action in ('result.create', 'result.update')
           and a.after->>'place' = $1 and a.after->>'period' = $2`,
          [country, PERIOD],
        )
      ).n,
    );
  const input = (country: string, value: number) => ({ programme, rows: [{ indicator: INDICATOR, countries: [country], period: PERIOD, value }] });
  const submit = (api: TestApi, country: string, value: number, key?: string) =>
    api.query(SUBMIT, { input: input(country, value) }, { ...bearer(keys.tdhEditor), ...(key ? { 'idempotency-key': key } : {}) });

  /** The api's backend that waits for a lock (the test holds it); it is the only one that can be waiting. */
  const waitingBackend = async (observer: pg.Client): Promise<number> => {
    for (let i = 0; i < 400; i++) {
      const { rows } = await observer.query(
        `select pid from pg_stat_activity where datname = current_database() and application_name <> 'failures-test' and wait_event_type = 'Lock'`,
      );
      if (rows[0]) return Number(rows[0].pid);
      await sleep(25);
    }
    throw new Error('the api never waited for the lock the test holds');
  };
  const noInternalErrors = (api: TestApi) => {
    assert.deepEqual(api.logs.filter((line) => /Unexpected error/.test(line)), [], 'no unexpected errors in the server log');
  };
  const assertUnavailable = (response: GraphQLResponse) => {
    assert.equal(response.status, 503, response.text);
    assert.equal(response.headers.get('retry-after'), '1');
    const [error] = response.body.errors ?? [];
    assert.equal(error?.extensions?.code, 'DATABASE_UNAVAILABLE', response.text);
    assert.equal(error?.extensions?.retryAfterSeconds, 1);
    assert.equal(error?.extensions?.requestId, response.headers.get('x-request-id'));
    assert.doesNotMatch(response.text, /INTERNAL_SERVER_ERROR|select |insert |update |pg_|\bat .*\.js/i, 'no SQL and no stack in the answer');
  };

  before(async () => {
    t = await startTestApi();
    keys = await createTestKeys(t);
    databaseUrl = String(t.api.orm.config.get('clientUrl'));
    programme = dataOf(await t.query('{ programmes { nodes { id code } } }')).programmes.nodes.find((p: { code: string }) => p.code === 'down-to-zero').id;
  });
  after(async () => {
    for (const client of clients) await client.end().catch(() => {});
    await t?.stop();
  });

  describe('deadlock (40P01)', () => {
    /**
     * The test holds the figure's row, the api's submission takes its idempotency lock and waits for the row, then the
     * test asks for the idempotency lock: a real deadlock. The test's deadlock_timeout is 10 s, so PostgreSQL finds the
     * cycle in the api's backend (1 s) and rolls the api's transaction back.
     */
    const deadlock = async (api: TestApi, country: string, value: number, key: string) => {
      const holder = await connect();
      await holder.query('begin');
      await holder.query(`set local deadlock_timeout = '10s'`);
      const row = await figure(country);
      await holder.query('select id from result where id = $1 for update', [row!.id]);
      const answer = submit(api, country, value, key);
      const apiPid = await waitingBackend(holder);
      const { rows: advisory } = await holder.query(`select classid::bigint as high, objid::bigint as low from pg_locks where pid = $1 and locktype = 'advisory' and granted`, [apiPid]);
      assert.equal(advisory.length, 1, 'the api holds its idempotency lock while it waits');
      // Granted only once the api's transaction has ended: PostgreSQL chose it as the deadlock's victim.
      await holder.query('select pg_advisory_xact_lock(($1::bigint << 32) | $2::bigint)', [advisory[0].high, advisory[0].low]);
      await holder.query('commit');
      return answer;
    };

    it('re-runs the whole transaction and answers success, with the figure written once', async () => {
      const country = 'BO';
      const first = dataOf(await submit(t, country, 10));
      assert.equal(first.submitResults.created, 1, JSON.stringify(first));
      const was = (await figure(country))!;
      const audits = await auditCount(country);
      const deadlocksBefore = Number((await one<{ n: string }>('select deadlocks as n from pg_stat_database where datname = current_database()')).n);

      const response = await deadlock(t, country, 11, 'deadlock-retried-1');
      const answer = dataOf(response).submitResults;
      assert.deepEqual([answer.updated, answer.created, answer.userErrors], [1, 0, []], JSON.stringify(answer));
      const now = (await figure(country))!;
      assert.deepEqual([now.value, now.version], [11, was.version + 1], 'changed once');
      assert.equal(await auditCount(country), audits + 1, 'one audit entry');
      // The same key again is a replay: the re-run stored its answer once.
      const replay = dataOf(await submit(t, country, 11, 'deadlock-retried-1')).submitResults;
      assert.equal(replay.replayed, true);
      assert.equal((await figure(country))!.version, was.version + 1);

      // PostgreSQL's statistics count the deadlock (they are flushed within about a second).
      let deadlocks = deadlocksBefore;
      for (let i = 0; i < 40 && deadlocks === deadlocksBefore; i++) {
        await sleep(100);
        deadlocks = Number((await one<{ n: string }>('select deadlocks as n from pg_stat_database where datname = current_database()')).n);
      }
      assert.ok(deadlocks > deadlocksBefore, 'a real deadlock happened');
      assert.ok(t.logs.some((line) => /Write transaction runs again/.test(line) && /40P01/.test(line)), 'the server ran it again');
      noInternalErrors(t);
    });

    it('answers CONFLICT in userErrors, with Retry-After and nothing written, when the re-runs are used up', async () => {
      const once = await startTestApi({ dbWriteAttempts: 1 }, { url: databaseUrl });
      try {
        const country = 'PE';
        assert.equal(dataOf(await submit(t, country, 20)).submitResults.created, 1);
        const was = (await figure(country))!;
        const audits = await auditCount(country);

        const response = await deadlock(once, country, 21, 'deadlock-exhausted-1');
        const answer = dataOf(response).submitResults;
        assert.deepEqual(answer.userErrors.map((e: { code: string }) => e.code), ['CONFLICT'], JSON.stringify(answer));
        assert.deepEqual([answer.created, answer.updated], [0, 0]);
        assert.equal(response.headers.get('retry-after'), '1');
        const now = (await figure(country))!;
        assert.deepEqual([now.value, now.version], [was.value, was.version], 'nothing written');
        assert.equal(await auditCount(country), audits);
        assert.ok(once.logs.some((line) => /Write conflict: re-runs used up/.test(line)), 'logged as a conflict');

        // Nothing was stored under the key either: sending it again writes it, once.
        const again = dataOf(await submit(once, country, 21, 'deadlock-exhausted-1')).submitResults;
        assert.deepEqual([again.updated, again.replayed], [1, false]);
        assert.equal((await figure(country))!.version, was.version + 1);
        noInternalErrors(once);
      } finally {
        await once.stop();
      }
    });
  });

  describe('serialization failure (40001)', () => {
    /** Reads a figure, lets a concurrent writer change it, then updates it: at REPEATABLE READ that cannot serialize. */
    const readModifyWrite = (holderQuery: (attempt: number) => Promise<void> | undefined, id: number, attempts?: number) => {
      let runs = 0;
      const done = writeTransaction(
        t.api.orm.em.fork(),
        async (tx) => {
          runs++;
          const [row] = (await tx.execute('select value::float8 as value from result where id = ?', [id])) as { value: number }[];
          await holderQuery(runs);
          await tx.execute('update result set value = ?, version = version + 1 where id = ?', [row.value + 100, id]);
          return row.value;
        },
        { isolationLevel: IsolationLevel.REPEATABLE_READ, ...(attempts ? { attempts } : {}) },
      );
      return { done, runs: () => runs };
    };

    it('is retried and then succeeds, on the data the other writer committed', async () => {
      assert.equal(dataOf(await submit(t, 'CO', 1)).submitResults.created, 1);
      const { id } = (await figure('CO'))!;
      const writer = await connect();
      const run = readModifyWrite((attempt) => (attempt === 1 ? writer.query('update result set value = value + 1 where id = $1', [id]).then(() => {}) : undefined), id);
      const read = await run.done;
      assert.equal(run.runs(), 2, 'ran twice');
      assert.equal(read, 2, 'the re-run read what the other writer committed');
      assert.equal((await figure('CO'))!.value, 102);
    });

    it('becomes a ConflictError (CONFLICT, retryable) when every attempt fails, and writes nothing', async () => {
      const { id, value } = (await figure('CO'))!;
      const writer = await connect();
      const run = readModifyWrite(() => writer.query('update result set value = value + 1 where id = $1', [id]).then(() => {}), id, 3);
      const error = await run.done.then(
        () => assert.fail('expected a conflict'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof ConflictError, String(error));
      assert.equal(run.runs(), 3);
      assert.equal(classifyDatabaseError(error.lastError), 'retry');
      assert.deepEqual([error.extensions.code, error.extensions.retryable, error.extensions.retryAfterSeconds], ['CONFLICT', true, 1]);
      assert.equal((await figure('CO'))!.value, value + 3, 'only the other writer wrote');
    });
  });

  describe('nothing of a failed attempt reaches the next', () => {
    it('re-runs on a fresh fork: entities changed, flushed or persisted in the failed attempt are gone', async () => {
      assert.equal(dataOf(await submit(t, 'TH', 1)).submitResults.created, 1);
      const { id } = (await figure('TH'))!;
      const writer = await connect();
      // The caller's EntityManager already holds the organisation, as a request's would after authentication.
      const em = t.api.orm.em.fork();
      type Org = { id: number; code: string; name: string };
      const held = (await em.findOneOrFail('Organisation', { code: 'plan-nl' })) as Org;
      const name = held.name;
      let runs = 0;
      const seen = await writeTransaction(
        em,
        async (tx) => {
          runs++;
          // By primary key: an entity in the attempt's identity map would be returned as it is, without a query.
          const org = (await tx.findOneOrFail('Organisation', held.id)) as Org;
          const seenName = org.name;
          if (runs === 1) {
            org.name = 'Changed in the failed attempt';
            tx.create('Organisation', { code: 'failed-attempt-org', name: 'Persisted in the failed attempt', kind: 'NGO', path: '/failed/' });
            await tx.flush();
            // Then a real serialization failure: the snapshot is older than the other writer's commit.
            await tx.execute('select value from result where id = ?', [id]);
            await writer.query('update result set value = value + 1 where id = $1', [id]);
            await tx.execute('update result set value = value + 1 where id = ?', [id]);
          }
          return seenName;
        },
        { isolationLevel: IsolationLevel.REPEATABLE_READ },
      );
      assert.equal(runs, 2);
      assert.equal(seen, name, 'the re-run did not see the failed attempt\'s change');
      assert.equal(held.name, name, 'the caller\'s entity was not touched');
      assert.equal((await one<{ name: string }>(`select name from organisation where code = 'plan-nl'`)).name, name);
      assert.equal(await one(`select 1 from organisation where code = 'failed-attempt-org'`), undefined, 'the persisted entity was rolled back');
      assert.equal(await em.findOne('Organisation', { code: 'failed-attempt-org' }), null);
    });
  });

  describe('unique key written by a racing request (23505)', () => {
    it('re-runs the loser, which then sees the winner\'s row: nothing counted twice', async () => {
      await one('create table failures_probe (id int primary key)');
      const holder = await connect();
      await holder.query('begin');
      await holder.query('insert into failures_probe values (1)');
      let runs = 0;
      const done = writeTransaction(t.api.orm.em.fork(), async (tx) => {
        runs++;
        const [exists] = (await tx.execute('select 1 as x from failures_probe where id = 1')) as unknown[];
        if (exists) return 'seen';
        // Waits for the test's uncommitted row with the same key, then fails with 23505 when the test commits.
        await tx.execute('insert into failures_probe values (1)');
        return 'inserted';
      });
      await waitingBackend(holder);
      await holder.query('commit');
      assert.equal(await done, 'seen');
      assert.equal(runs, 2);
    });
  });

  describe('connection loss', () => {
    it('before a transaction: the database cannot be reached, DATABASE_UNAVAILABLE with Retry-After, then service again', async () => {
      const target = new URL(databaseUrl);
      const proxy = new TcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
      await proxy.start();
      const proxied = new URL(databaseUrl);
      proxied.port = String(proxy.port);
      const api = await startTestApi({ dbAcquireTimeoutMs: 500 }, { url: proxied.toString() });
      try {
        assert.equal(dataOf(await submit(api, 'NI', 5)).submitResults.created, 1);
        await proxy.stop();
        const audits = await auditCount('NI');
        // A write, a read with a key, and an anonymous read: none of them can reach the database.
        assertUnavailable(await submit(api, 'NI', 6, 'before-1'));
        assertUnavailable(await api.query('{ programmes { nodes { id } } }', {}, bearer(keys.tdhViewer)));
        assertUnavailable(await api.query('{ programmes { nodes { id } } }'));
        assert.equal((await figure('NI'))!.value, 5, 'nothing written');
        assert.equal(await auditCount('NI'), audits);

        await proxy.start();
        let answer: GraphQLResponse | undefined;
        for (let i = 0; i < 40; i++) {
          answer = await submit(api, 'NI', 6, 'before-1');
          if (answer.status !== 503) break;
          await sleep(100);
        }
        assert.equal(dataOf(answer!).submitResults.updated, 1, 'served again once the database is back, without a restart');
        assert.equal(await auditCount('NI'), audits + 1);
        noInternalErrors(api);
      } finally {
        await api.stop();
        await proxy.stop();
      }
    });

    it('during a transaction: the api\'s backend is terminated while it waits, DATABASE_UNAVAILABLE and nothing written', async () => {
      const country = 'DO';
      assert.equal(dataOf(await submit(t, country, 30)).submitResults.created, 1);
      const was = (await figure(country))!;
      const audits = await auditCount(country);
      const holder = await connect();
      await holder.query('begin');
      await holder.query('select id from result where id = $1 for update', [was.id]);
      const pending = submit(t, country, 31, 'during-1');
      const apiPid = await waitingBackend(holder);
      await holder.query('select pg_terminate_backend($1)', [apiPid]);
      const response = await pending;
      await holder.query('rollback');
      assertUnavailable(response);
      const now = (await figure(country))!;
      assert.deepEqual([now.value, now.version], [was.value, was.version], 'nothing written');
      assert.equal(await auditCount(country), audits);

      // Sent again with the same key once the database answers: written once.
      const again = dataOf(await submit(t, country, 31, 'during-1')).submitResults;
      assert.deepEqual([again.updated, again.replayed], [1, false]);
      assert.equal(await auditCount(country), audits + 1);
      noInternalErrors(t);
    });

    it('after a transaction: connections killed right after a committed write; answers are right or DATABASE_UNAVAILABLE, a retry is not counted twice', async () => {
      const country = 'BD';
      const first = dataOf(await submit(t, country, 40, 'after-1')).submitResults;
      assert.equal(first.created, 1);
      const audits = await auditCount(country);
      const killer = await connect();
      const { rows: killed } = await killer.query(
        `select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and application_name <> 'failures-test' and pid <> pg_backend_pid()`,
      );
      assert.ok(killed.length > 0, 'the api had connections to kill');
      const answers = await Promise.all([
        submit(t, country, 40, 'after-1'),
        submit(t, country, 40, 'after-1'),
        t.query('{ programmes { nodes { id } } }', {}, bearer(keys.tdhViewer)),
        submit(t, 'IN', 41),
      ]);
      for (const response of answers) {
        if (response.status === 503) assertUnavailable(response);
        else {
          assert.equal(response.status, 200, response.text);
          assert.equal(response.body.errors, undefined, response.text);
        }
      }
      for (const response of answers.slice(0, 2)) {
        if (response.status === 200) assert.equal(dataOf(response).submitResults.replayed, true, 'the retry gets the stored answer');
      }
      // Retried until answered: still one write.
      let replay: GraphQLResponse | undefined;
      for (let i = 0; i < 40; i++) {
        replay = await submit(t, country, 40, 'after-1');
        if (replay.status !== 503) break;
        await sleep(100);
      }
      assert.equal(dataOf(replay!).submitResults.replayed, true);
      assert.equal((await figure(country))!.version, 1);
      assert.equal(await auditCount(country), audits, 'not counted twice');
      noInternalErrors(t);
    });

    it('"Transaction query already complete" after a lost connection is DATABASE_UNAVAILABLE', async () => {
      // One pooled connection, whose backend is terminated while its socket is not read: the pool still hands it
      // out, BEGIN fails on it, and knex returns the transaction as begun but already completed.
      const orm = await openOrm({ url: databaseUrl, poolMax: 1 });
      try {
        const [{ pid }] = (await orm.em.fork().execute('select pg_backend_pid() as pid')) as { pid: number }[];
        const pool = (orm.em.getConnection().getKnex().client as unknown as { pool: { free: { resource: { processID: number; connection: { stream: net.Socket } } }[] } }).pool;
        const pooled = pool.free[0].resource;
        assert.equal(pooled.processID, pid);
        pooled.connection.stream.pause();
        const killer = await connect();
        await killer.query('select pg_terminate_backend($1)', [pid]);
        for (let i = 0; i < 200 && (await killer.query('select 1 from pg_stat_activity where pid = $1', [pid])).rowCount; i++) await sleep(10);
        const attempt = writeTransaction(orm.em.fork(), (tx) => tx.execute('select 1')).then(
          () => assert.fail('expected the transaction to fail'),
          (e: unknown) => e as Error,
        );
        await sleep(100);
        pooled.connection.stream.resume();
        const error = await attempt;
        assert.match(error.message, /^Transaction query already complete/);
        assert.equal(classifyDatabaseError(error), 'unavailable');
        const formatted = errorFormatter({ hideSchemaDetails: true })({ message: error.message, extensions: { code: 'INTERNAL_SERVER_ERROR' } }, error);
        assert.equal(formatted.extensions?.code, 'DATABASE_UNAVAILABLE');
        assert.doesNotMatch(formatted.message, /Transaction query/);
      } finally {
        await orm.close(true);
      }
    });
  });

  it('puts the request id on every error', async () => {
    const response = await t.query('{ node(id: "not-an-id") { id } }');
    const requestId = response.headers.get('x-request-id');
    assert.ok(requestId);
    assert.ok(response.body.errors?.length, response.text);
    for (const error of response.body.errors ?? []) assert.equal(error.extensions?.requestId, requestId, response.text);
    const unknownField = await t.query('{ noSuchField }');
    for (const error of unknownField.body.errors ?? []) assert.equal(error.extensions?.requestId, unknownField.headers.get('x-request-id'), unknownField.text);
  });
});
