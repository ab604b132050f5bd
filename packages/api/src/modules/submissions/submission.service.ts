import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { pgArray } from '../../db/sql.js';
import type { Context } from '../../graphql/context.js';
import { userError, type UserError } from '../../graphql/user-error.js';
import { fromGlobalIntId, toGlobalId } from '../node/global-id.js';
import { parsePeriodCode } from '../periods/period-code.js';
import { placeKey } from '../places/place.service.js';
import { recordAudit, type AuditRecord } from '../audit/audit.service.js';
import { Role, WRITERS } from '../access/role.enums.js';
import { rateLimitKey } from '../access/principal.js';
import { MAX_ROWS, RowOutcome, SubmissionStatus, type ResultRowInput, type ResultRowOutcome, type SubmitResultsInput, type SubmitResultsPayload } from './submission.types.js';

/** How long an idempotency key keeps its answer. */
export const IDEMPOTENCY_TTL_HOURS = 24;
/** The largest value a figure may have (numeric(14,2) holds less than 10^12). */
const MAX_VALUE = 999_999_999_999;

interface ValidRow {
  index: number;
  indicatorId: number;
  countryCodes: string[];
  placeKey: string;
  periodCode: string;
  disaggregationId: number | null;
  sex: string | null;
  ageBand: string | null;
  value: number;
  comment: string | null;
  expectedVersion: number | null;
}

interface ExistingRow {
  id: number;
  indicator_id: number;
  place_key: string;
  period_code: string;
  disaggregation_id: number | null;
  sex: string | null;
  age_band_code: string | null;
  value: number;
  status: string;
  comment: string | null;
  version: number;
}

const naturalKey = (r: { indicatorId: number; placeKey: string; periodCode: string; disaggregationId: number | null }) =>
  `${r.indicatorId}|${r.placeKey}|${r.periodCode}|${r.disaggregationId ?? ''}`;

function refused(error: UserError): SubmitResultsPayload {
  return { created: 0, updated: 0, unchanged: 0, rejected: 0, replayed: false, rows: [], userErrors: [error] };
}

/** The audit snapshot of a figure. */
function snapshot(r: { value: number; status: string; comment: string | null; version: number }, key: { programmeId: number; organisationId: number; indicatorId: number; placeKey: string; periodCode: string; disaggregationId: number | null }) {
  return {
    programme: toGlobalId('Programme', key.programmeId),
    indicator: toGlobalId('Indicator', key.indicatorId),
    reportingOrganisation: toGlobalId('Organisation', key.organisationId),
    place: key.placeKey,
    period: key.periodCode,
    disaggregationId: key.disaggregationId,
    value: Number(r.value),
    status: r.status,
    comment: r.comment,
    version: r.version,
  };
}

export const submissionService = {
  async submitResults(ctx: Context, input: SubmitResultsInput, headerKey: string | undefined): Promise<SubmitResultsPayload> {
    const p = ctx.principal;
    if (p.kind !== 'apiKey' || !WRITERS.includes(p.role)) return refused(userError('FORBIDDEN', 'Your key\'s role may not submit figures.'));
    if (input.rows.length === 0 || input.rows.length > MAX_ROWS) {
      return refused(userError('INVALID', `Send 1 to ${MAX_ROWS} rows per call; split larger batches.`, ['input', 'rows']));
    }
    const idempotencyKey = input.idempotencyKey ?? headerKey ?? null;
    if (idempotencyKey !== null && !/^[\x21-\x7e]{1,200}$/.test(idempotencyKey)) {
      return refused(userError('INVALID', 'An idempotency key is 1 to 200 visible ASCII characters.', ['input', 'idempotencyKey']));
    }
    const { idempotencyKey: _key, ...request } = input;
    const requestHash = createHash('sha256').update(JSON.stringify(request)).digest('hex');

    return ctx.em.transactional(async (tx) => {
      if (idempotencyKey !== null) {
        // Copies of one submission wait here for each other; the second then finds the first one's answer.
        await tx.execute('select pg_advisory_xact_lock(hashtextextended(?, 0))', [`${rateLimitKey(p)}|${idempotencyKey}`]);
        const [stored] = (await tx.execute(
          `select request_hash, response from idempotency_key where principal = ? and key = ? and expires_at > now()`,
          [rateLimitKey(p), idempotencyKey],
        )) as { request_hash: string; response: SubmitResultsPayload }[];
        if (stored) {
          if (stored.request_hash !== requestHash) {
            return refused(userError('IDEMPOTENCY_KEY_REUSED', 'This idempotency key was used for a different submission; use a new key for new data.', ['input', 'idempotencyKey']));
          }
          return { ...stored.response, replayed: true };
        }
      }

      const payload = await this.write(tx, ctx, input);
      if (idempotencyKey !== null && payload.created + payload.updated > 0) {
        await tx.execute(
          `insert into idempotency_key (principal, key, operation, request_hash, response, expires_at)
           values (?, ?, 'submitResults', ?, ?::jsonb, now() + make_interval(hours => ?))
           on conflict (principal, key) do update set request_hash = excluded.request_hash, response = excluded.response, created_at = now(), expires_at = excluded.expires_at`,
          [rateLimitKey(p), idempotencyKey, requestHash, JSON.stringify(payload), IDEMPOTENCY_TTL_HOURS],
        );
      }
      return payload;
    });
  },

  /** Validates every row, then writes them all (or, atomic and with a rejected row, none). */
  async write(tx: EntityManager, ctx: Context, input: SubmitResultsInput): Promise<SubmitResultsPayload> {
    const p = ctx.principal;
    if (p.kind !== 'apiKey') return refused(userError('FORBIDDEN', 'Sign in to submit figures.'));
    const programmeId = fromGlobalIntId(input.programme, 'Programme');
    const [programme] = programmeId === null ? [] : ((await tx.execute('select id, reporting_period_type from programme where id = ?', [programmeId])) as { id: number; reporting_period_type: string }[]);
    if (!programme) return refused(userError('NOT_FOUND', 'No such programme.', ['input', 'programme']));

    const organisationId = input.reportingOrganisation ? fromGlobalIntId(input.reportingOrganisation, 'Organisation') : p.organisationId;
    const [organisation] = organisationId === null ? [] : ((await tx.execute('select id, path from organisation where id = ?', [organisationId])) as { id: number; path: string }[]);
    if (!organisation) return refused(userError('NOT_FOUND', 'No such organisation.', ['input', 'reportingOrganisation']));
    if (p.role !== Role.ALLIANCE_ADMIN && !organisation.path.startsWith(p.organisationPath)) {
      return refused(userError('FORBIDDEN', 'You may submit figures only for your own organisation and its local partners.', ['input', 'reportingOrganisation']));
    }
    const [participates] = (await tx.execute(
      `select 1 from programme_participant pp join organisation po on po.id = pp.organisation_id where pp.programme_id = ? and starts_with(?, po.path)
       union all select 1 from programme pr join organisation lo on lo.id = pr.lead_organisation_id where pr.id = ? and starts_with(?, lo.path) limit 1`,
      [programme.id, organisation.path, programme.id, organisation.path],
    )) as unknown[];
    if (!participates) return refused(userError('ORGANISATION_NOT_IN_PROGRAMME', 'The reporting organisation (or the member above it) does not take part in this programme.', ['input', 'reportingOrganisation']));

    // Everything the rows are checked against, in a few statements.
    const indicators = new Map(
      ((await tx.execute(
        `select i.code, i.id, i.disaggregation_set_id from programme_indicator pi join indicator i on i.id = pi.indicator_id where pi.programme_id = ?`,
        [programme.id],
      )) as { code: string; id: number; disaggregation_set_id: number | null }[]).map((i) => [i.code, i]),
    );
    const countries = new Set(((await tx.execute('select country_code from programme_country where programme_id = ?', [programme.id])) as { country_code: string }[]).map((c) => c.country_code));
    const locked = new Set(((await tx.execute('select period_code from period_lock where programme_id = ? and locked_at <= now()', [programme.id])) as { period_code: string }[]).map((l) => l.period_code));
    const combinations = new Map(
      ((await tx.execute(`select id, set_id, sex, age_band_code from disaggregation`)) as { id: number; set_id: number; sex: string | null; age_band_code: string | null }[]).map((d) => [
        `${d.set_id}|${d.sex ?? ''}|${d.age_band_code ?? ''}`,
        d.id,
      ]),
    );

    const outcomes: ResultRowOutcome[] = input.rows.map((_, index) => ({ index, outcome: RowOutcome.NOT_WRITTEN, code: null, field: null, message: null, resultId: null }));
    const reject = (index: number, code: string, field: string, message: string) => {
      if (outcomes[index].outcome === RowOutcome.REJECTED) return;
      outcomes[index] = { index, outcome: RowOutcome.REJECTED, code, field: ['input', 'rows', String(index), field], message, resultId: null };
    };
    const valid: ValidRow[] = [];
    input.rows.forEach((row: ResultRowInput, index) => {
      const indicator = indicators.get(row.indicator);
      if (!indicator) return reject(index, 'INDICATOR_NOT_IN_PROGRAMME', 'indicator', `"${row.indicator}" is not an indicator of this programme.`);
      const codes = row.countries.map((c) => c.toUpperCase());
      if (codes.length === 0) return reject(index, 'INVALID', 'countries', 'Give at least one country.');
      const outside = codes.filter((c) => !countries.has(c));
      if (outside.length) return reject(index, 'PLACE_OUTSIDE_PROGRAMME', 'countries', `${outside.join(', ')} ${outside.length > 1 ? 'are' : 'is'} not among the programme's countries.`);
      const period = parsePeriodCode(row.period);
      if (!period) return reject(index, 'INVALID', 'period', `"${row.period}" is not a period.`);
      if (period.type !== programme.reporting_period_type) {
        return reject(index, 'PERIOD_TYPE_MISMATCH', 'period', `This programme reports per ${programme.reporting_period_type.toLowerCase().replace('_', '-')}; "${row.period}" is a ${period.type.toLowerCase().replace('_', '-')}.`);
      }
      if (locked.has(period.code)) return reject(index, 'PERIOD_LOCKED', 'period', `The period ${period.code} is closed for this programme; ask an alliance admin to reopen it.`);
      let disaggregationId: number | null = null;
      if (row.sex != null || row.ageBand != null) {
        const found = indicator.disaggregation_set_id === null ? undefined : combinations.get(`${indicator.disaggregation_set_id}|${row.sex ?? ''}|${row.ageBand ?? ''}`);
        if (found === undefined) return reject(index, 'INVALID_DISAGGREGATION', row.ageBand != null ? 'ageBand' : 'sex', `Indicator ${row.indicator} does not accept that breakdown.`);
        disaggregationId = found;
      }
      if (!Number.isInteger(row.value) || row.value < 0 || row.value > MAX_VALUE) {
        return reject(index, 'INVALID_VALUE', 'value', 'The value must be a whole number from 0 up: figures count people, organisations or events.');
      }
      if (row.comment != null && row.comment.length > 2000) return reject(index, 'INVALID', 'comment', 'A comment has at most 2,000 characters.');
      valid.push({
        index,
        indicatorId: indicator.id,
        countryCodes: codes,
        placeKey: placeKey(codes),
        periodCode: period.code,
        disaggregationId,
        sex: row.sex ?? null,
        ageBand: row.ageBand ?? null,
        value: row.value,
        comment: row.comment ?? null,
        expectedVersion: row.expectedVersion ?? null,
      });
    });

    const seen = new Map<string, number>();
    for (const row of valid) {
      const key = naturalKey(row);
      if (seen.has(key)) reject(row.index, 'DUPLICATE_ROW', 'indicator', `Row ${seen.get(key)} already gives this figure (same indicator, countries, period and breakdown).`);
      else seen.set(key, row.index);
    }

    // The recorded figures of the same series (indicator, place, period), whatever their breakdown.
    const series = [...new Map(valid.map((r) => [`${r.indicatorId}|${r.placeKey}|${r.periodCode}`, r])).values()];
    const existing = series.length
      ? ((await tx.execute(
          `select r.id, r.indicator_id, pl.key as place_key, r.period_code, r.disaggregation_id, d.sex, d.age_band_code, r.value::float8 as value, r.status, r.comment, r.version
           from result r join place pl on pl.id = r.place_id left join disaggregation d on d.id = r.disaggregation_id
           join unnest(?::int[], ?::text[], ?::text[]) as s(indicator_id, place_key, period_code)
             on r.indicator_id = s.indicator_id and pl.key = s.place_key and r.period_code = s.period_code
           where r.programme_id = ? and r.reporting_organisation_id = ?
           for update of r`,
          [pgArray(series.map((r) => r.indicatorId)), pgArray(series.map((r) => r.placeKey)), pgArray(series.map((r) => r.periodCode)), programme.id, organisation.id],
        )) as ExistingRow[])
      : [];
    const existingByKey = new Map(existing.map((e) => [naturalKey({ indicatorId: e.indicator_id, placeKey: e.place_key, periodCode: e.period_code, disaggregationId: e.disaggregation_id }), e]));

    const status = input.status ?? SubmissionStatus.SUBMITTED;
    for (const row of valid) {
      if (outcomes[row.index].outcome === RowOutcome.REJECTED) continue;
      const current = existingByKey.get(naturalKey(row));
      if (current?.status === 'APPROVED') {
        reject(row.index, 'RESULT_APPROVED', 'value', 'This figure is approved; an alliance admin must reopen it before it can change.');
      } else if (row.expectedVersion !== null && row.expectedVersion !== (current?.version ?? null)) {
        reject(row.index, 'VERSION_CONFLICT', 'expectedVersion', current ? `The figure changed meanwhile: it is at version ${current.version}. Read it again and resubmit.` : 'There is no such figure yet; leave out expectedVersion to create it.');
      }
    }

    // Parts must not exceed the total: per series, the sum over each breakdown shape (by sex, by age, both).
    const finalState = new Map(existing.map((e) => [naturalKey({ indicatorId: e.indicator_id, placeKey: e.place_key, periodCode: e.period_code, disaggregationId: e.disaggregation_id }), { value: Number(e.value), sex: e.sex, age: e.age_band_code, series: `${e.indicator_id}|${e.place_key}|${e.period_code}`, index: null as number | null }]));
    for (const row of valid) {
      if (outcomes[row.index].outcome !== RowOutcome.REJECTED) finalState.set(naturalKey(row), { value: row.value, sex: row.sex, age: row.ageBand, series: `${row.indicatorId}|${row.placeKey}|${row.periodCode}`, index: row.index });
    }
    const totals = new Map<string, number>();
    const parts = new Map<string, { sum: number; rows: number[] }>();
    for (const f of finalState.values()) {
      if (f.sex === null && f.age === null) totals.set(f.series, f.value);
      else {
        const shape = `${f.series}|${f.sex === null ? '-' : 'S'}${f.age === null ? '-' : 'A'}`;
        const entry = parts.get(shape) ?? { sum: 0, rows: [] };
        entry.sum += f.value;
        if (f.index !== null) entry.rows.push(f.index);
        parts.set(shape, entry);
      }
    }
    for (const [shape, entry] of parts) {
      const total = totals.get(shape.slice(0, shape.lastIndexOf('|')));
      if (total !== undefined && entry.sum > total) {
        for (const index of entry.rows) reject(index, 'PARTS_EXCEED_TOTAL', 'value', `The broken-down figures add up to ${entry.sum}, more than the total of ${total} for the same indicator, place and period.`);
      }
    }

    const rejected = outcomes.filter((o) => o.outcome === RowOutcome.REJECTED).length;
    const atomic = input.atomic ?? true;
    const toWrite = valid.filter((r) => outcomes[r.index].outcome !== RowOutcome.REJECTED && !(atomic && rejected > 0));
    const creates: ValidRow[] = [];
    const updates: { row: ValidRow; current: ExistingRow }[] = [];
    for (const row of toWrite) {
      const current = existingByKey.get(naturalKey(row));
      if (!current) creates.push(row);
      else if (Number(current.value) === row.value && current.comment === row.comment && current.status === status) {
        outcomes[row.index] = { ...outcomes[row.index], outcome: RowOutcome.UNCHANGED, resultId: current.id };
      } else updates.push({ row, current });
    }

    const audit: AuditRecord[] = [];
    const key = (r: ValidRow) => ({ programmeId: programme.id, organisationId: organisation.id, indicatorId: r.indicatorId, placeKey: r.placeKey, periodCode: r.periodCode, disaggregationId: r.disaggregationId });
    if (creates.length) {
      await tx.execute(
        `insert into place (key, country_codes) select k, string_to_array(k, '+') from unnest(?::text[]) as k on conflict (key) do nothing`,
        [pgArray([...new Set(creates.map((r) => r.placeKey))])],
      );
      for (const code of new Set(creates.map((r) => r.periodCode))) {
        const period = parsePeriodCode(code)!;
        await tx.execute('insert into period (code, type, start_date, end_date) values (?, ?, ?, ?) on conflict (code) do nothing', [period.code, period.type, period.startDate, period.endDate]);
      }
      const inserted = (await tx.execute(
        `insert into result (programme_id, indicator_id, reporting_organisation_id, place_id, period_code, disaggregation_id, value, status, comment)
         select ?, n.indicator_id, ?, pl.id, n.period_code, n.disaggregation_id, n.value, ?::result_status, n.comment
         from unnest(?::int[], ?::text[], ?::text[], ?::int[], ?::numeric[], ?::text[]) as n(indicator_id, place_key, period_code, disaggregation_id, value, comment)
         join place pl on pl.key = n.place_key
         returning id, indicator_id, place_id, period_code, disaggregation_id`,
        [
          programme.id,
          organisation.id,
          status,
          pgArray(creates.map((r) => r.indicatorId)),
          pgArray(creates.map((r) => r.placeKey)),
          pgArray(creates.map((r) => r.periodCode)),
          pgArray(creates.map((r) => r.disaggregationId)),
          pgArray(creates.map((r) => r.value)),
          pgArray(creates.map((r) => r.comment)),
        ],
      )) as { id: number; indicator_id: number; place_id: number; period_code: string; disaggregation_id: number | null }[];
      const places = new Map(((await tx.execute('select id, key from place where key = any(?::text[])', [pgArray(creates.map((r) => r.placeKey))])) as { id: number; key: string }[]).map((pl) => [pl.id, pl.key]));
      const idByKey = new Map(inserted.map((i) => [naturalKey({ indicatorId: i.indicator_id, placeKey: places.get(i.place_id)!, periodCode: i.period_code, disaggregationId: i.disaggregation_id }), i.id]));
      for (const row of creates) {
        const id = idByKey.get(naturalKey(row))!;
        outcomes[row.index] = { ...outcomes[row.index], outcome: RowOutcome.CREATED, resultId: id };
        audit.push({ action: 'result.create', entity: 'Result', entityId: toGlobalId('Result', id), before: null, after: snapshot({ value: row.value, status, comment: row.comment, version: 1 }, key(row)) });
      }
    }
    if (updates.length) {
      await tx.execute(
        `update result r set value = u.value, comment = u.comment, status = ?::result_status, version = r.version + 1, updated_at = now()
         from unnest(?::int[], ?::numeric[], ?::text[]) as u(id, value, comment) where r.id = u.id`,
        [status, pgArray(updates.map((u) => u.current.id)), pgArray(updates.map((u) => u.row.value)), pgArray(updates.map((u) => u.row.comment))],
      );
      for (const { row, current } of updates) {
        outcomes[row.index] = { ...outcomes[row.index], outcome: RowOutcome.UPDATED, resultId: current.id };
        audit.push({
          action: 'result.update',
          entity: 'Result',
          entityId: toGlobalId('Result', current.id),
          before: snapshot(current, key(row)),
          after: snapshot({ value: row.value, status, comment: row.comment, version: current.version + 1 }, key(row)),
        });
      }
    }
    await recordAudit(tx, ctx, audit);
    const count = (o: RowOutcome) => outcomes.filter((x) => x.outcome === o).length;
    return { created: count(RowOutcome.CREATED), updated: count(RowOutcome.UPDATED), unchanged: count(RowOutcome.UNCHANGED), rejected, replayed: false, rows: outcomes, userErrors: [] };
  },
};
