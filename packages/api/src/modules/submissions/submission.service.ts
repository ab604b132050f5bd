import type { EntityManager } from '@mikro-orm/postgresql';
import { pgArray } from '../../db/sql.js';
import type { Context } from '../../graphql/context.js';
import { userError, type UserError } from '../../graphql/user-error.js';
import { fromGlobalIntId, toGlobalId } from '../node/global-id.js';
import { adminRecord, recordAudit, type AuditRecord } from '../audit/audit.service.js';
import { Role, WRITERS } from '../access/role.enums.js';
import { MAX_ROWS, RowOutcome, SubmissionStatus, type ResultRowOutcome, type SubmitResultsInput, type SubmitResultsPayload } from './submission.types.js';
import { writeOrRefuse } from '../../db/transaction.js';
import { idempotent, isValidIdempotencyKey, requestHash } from './idempotency.js';
import { checkRow, duplicates, ensurePlacesAndPeriods, isProblem, loadProgrammeRules, placeKeysById, rowKey, type CheckedRow } from './row-checks.js';

interface ValidRow extends CheckedRow {
  periodCode: string;
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

const existingKey = (e: ExistingRow) => rowKey({ indicatorId: e.indicator_id, placeKey: e.place_key, periodCode: e.period_code, disaggregationId: e.disaggregation_id });

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
    if (idempotencyKey !== null && !isValidIdempotencyKey(idempotencyKey)) {
      return refused(userError('INVALID', 'An idempotency key is 1 to 200 visible ASCII characters.', ['input', 'idempotencyKey']));
    }
    return writeOrRefuse(ctx, (tx) =>
      idempotent(
        tx,
        ctx,
        'submitResults',
        idempotencyKey,
        requestHash(input),
        () => this.write(tx, ctx, input),
        (answer) => answer.created + answer.updated > 0,
        () => refused(userError('IDEMPOTENCY_KEY_REUSED', 'This idempotency key was used for a different request; use a new key for new data.', ['input', 'idempotencyKey'])),
      ),
      refused,
    );
  },

  /** Validates every row, then writes them all (or, atomic and with a rejected row, none). */
  async write(tx: EntityManager, ctx: Context, input: SubmitResultsInput): Promise<SubmitResultsPayload> {
    const p = ctx.principal;
    if (p.kind !== 'apiKey') return refused(userError('FORBIDDEN', 'Sign in to submit figures.'));
    const rules = await loadProgrammeRules(tx, fromGlobalIntId(input.programme, 'Programme'));
    if (!rules) return refused(userError('NOT_FOUND', 'No such programme.', ['input', 'programme']));
    const programme = { id: rules.id };

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

    const outcomes: ResultRowOutcome[] = input.rows.map((_, index) => ({ index, outcome: RowOutcome.NOT_WRITTEN, code: null, field: null, message: null, resultId: null }));
    const reject = (index: number, code: string, field: string, message: string) => {
      if (outcomes[index].outcome === RowOutcome.REJECTED) return;
      outcomes[index] = { index, outcome: RowOutcome.REJECTED, code, field: ['input', 'rows', String(index), field], message, resultId: null };
    };
    const valid: ValidRow[] = [];
    input.rows.forEach((row, index) => {
      const checked = checkRow(rules, row, index, { periodOptional: false, respectLocks: true });
      if (isProblem(checked)) reject(index, checked.code, checked.field, checked.message);
      else valid.push({ ...checked, periodCode: checked.periodCode!, expectedVersion: row.expectedVersion ?? null });
    });
    for (const { row, first } of duplicates(valid)) {
      reject(row.index, 'DUPLICATE_ROW', 'indicator', `Row ${first} already gives this figure (same indicator, countries, period and breakdown).`);
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
    const existingByKey = new Map(existing.map((e) => [existingKey(e), e]));

    const status = input.status ?? SubmissionStatus.SUBMITTED;
    for (const row of valid) {
      if (outcomes[row.index].outcome === RowOutcome.REJECTED) continue;
      const current = existingByKey.get(rowKey(row));
      if (current?.status === 'APPROVED') {
        reject(row.index, 'RESULT_APPROVED', 'value', 'This figure is approved; an alliance admin must reopen it before it can change.');
      } else if (row.expectedVersion !== null && row.expectedVersion !== (current?.version ?? null)) {
        reject(row.index, 'VERSION_CONFLICT', 'expectedVersion', current ? `The figure changed meanwhile: it is at version ${current.version}. Read it again and resubmit.` : 'There is no such figure yet; leave out expectedVersion to create it.');
      }
    }

    // Parts must not exceed the total: per series, the sum over each breakdown shape (by sex, by age, both).
    const finalState = new Map(existing.map((e) => [existingKey(e), { value: Number(e.value), sex: e.sex, age: e.age_band_code, series: `${e.indicator_id}|${e.place_key}|${e.period_code}`, index: null as number | null }]));
    for (const row of valid) {
      if (outcomes[row.index].outcome !== RowOutcome.REJECTED) finalState.set(rowKey(row), { value: row.value, sex: row.sex, age: row.ageBand, series: `${row.indicatorId}|${row.placeKey}|${row.periodCode}`, index: row.index });
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
      const current = existingByKey.get(rowKey(row));
      if (!current) creates.push(row);
      else if (Number(current.value) === row.value && current.comment === row.comment && current.status === status) {
        outcomes[row.index] = { ...outcomes[row.index], outcome: RowOutcome.UNCHANGED, resultId: current.id };
      } else updates.push({ row, current });
    }

    const audit: AuditRecord[] = [];
    const key = (r: ValidRow) => ({ programmeId: programme.id, organisationId: organisation.id, indicatorId: r.indicatorId, placeKey: r.placeKey, periodCode: r.periodCode, disaggregationId: r.disaggregationId });
    if (creates.length) {
      await ensurePlacesAndPeriods(tx, creates);
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
      const places = await placeKeysById(tx, inserted.map((i) => i.place_id));
      const idByKey = new Map(inserted.map((i) => [rowKey({ indicatorId: i.indicator_id, placeKey: places.get(i.place_id)!, periodCode: i.period_code, disaggregationId: i.disaggregation_id }), i.id]));
      for (const row of creates) {
        const id = idByKey.get(rowKey(row))!;
        outcomes[row.index] = { ...outcomes[row.index], outcome: RowOutcome.CREATED, resultId: id };
        audit.push({
          action: 'result.create',
          entity: 'Result',
          entityId: toGlobalId('Result', id),
          before: null,
          after: snapshot({ value: row.value, status, comment: row.comment, version: 1 }, key(row)),
          owner: adminRecord(organisation.id),
        });
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
          owner: adminRecord(organisation.id),
        });
      }
    }
    await recordAudit(tx, ctx, audit);
    const count = (o: RowOutcome) => outcomes.filter((x) => x.outcome === o).length;
    return { created: count(RowOutcome.CREATED), updated: count(RowOutcome.UPDATED), unchanged: count(RowOutcome.UNCHANGED), rejected, replayed: false, rows: outcomes, userErrors: [] };
  },
};
