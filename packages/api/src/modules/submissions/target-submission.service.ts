import type { EntityManager } from '@mikro-orm/postgresql';
import { pgArray } from '../../db/sql.js';
import type { Context } from '../../graphql/context.js';
import { userError, type UserError } from '../../graphql/user-error.js';
import { fromGlobalIntId, toGlobalId } from '../node/global-id.js';
import { adminRecord, recordAudit, type AuditRecord } from '../audit/audit.service.js';
import { Role } from '../access/role.enums.js';
import { MAX_ROWS, RowOutcome } from './submission.types.js';
import type { SubmitTargetsInput, SubmitTargetsPayload, TargetRowOutcome } from './target-submission.types.js';
import { writeOrRefuse } from '../../db/transaction.js';
import { idempotent, isValidIdempotencyKey, requestHash } from './idempotency.js';
import { checkRow, duplicates, ensurePlacesAndPeriods, isCount, isProblem, loadProgrammeRules, placeKeysById, rowKey, type CheckedRow } from './row-checks.js';

interface TargetRow extends CheckedRow {
  baseline: number | null;
  expectedVersion: number | null;
}

function refused(error: UserError): SubmitTargetsPayload {
  return { created: 0, updated: 0, unchanged: 0, rejected: 0, replayed: false, rows: [], userErrors: [error] };
}

const snapshot = (programmeId: number, r: TargetRow) => ({
  programme: toGlobalId('Programme', programmeId),
  indicator: toGlobalId('Indicator', r.indicatorId),
  place: r.placeKey,
  period: r.periodCode,
  disaggregationId: r.disaggregationId,
  value: r.value,
  baseline: r.baseline,
  comment: r.comment,
});

/** Targets are set by alliance admins, or by admins of the programme's lead organisation. */
export const targetSubmissionService = {
  async submitTargets(ctx: Context, input: SubmitTargetsInput, headerKey: string | undefined): Promise<SubmitTargetsPayload> {
    const p = ctx.principal;
    if (p.kind !== 'apiKey' || (p.role !== Role.ALLIANCE_ADMIN && p.role !== Role.PARTNER_ADMIN)) return refused(userError('FORBIDDEN', 'Your key\'s role may not set targets.'));
    if (input.rows.length === 0 || input.rows.length > MAX_ROWS) return refused(userError('INVALID', `Send 1 to ${MAX_ROWS} rows per call.`, ['input', 'rows']));
    const key = input.idempotencyKey ?? headerKey ?? null;
    if (key !== null && !isValidIdempotencyKey(key)) return refused(userError('INVALID', 'An idempotency key is 1 to 200 visible ASCII characters.', ['input', 'idempotencyKey']));
    return writeOrRefuse(ctx, (tx) =>
      idempotent(
        tx,
        ctx,
        'submitTargets',
        key,
        requestHash(input),
        () => this.write(tx, ctx, input),
        (answer) => answer.created + answer.updated > 0,
        () => refused(userError('IDEMPOTENCY_KEY_REUSED', 'This idempotency key was used for a different request; use a new key for new data.', ['input', 'idempotencyKey'])),
      ),
      refused,
    );
  },

  async write(tx: EntityManager, ctx: Context, input: SubmitTargetsInput): Promise<SubmitTargetsPayload> {
    const p = ctx.principal;
    const rules = await loadProgrammeRules(tx, fromGlobalIntId(input.programme, 'Programme'));
    if (!rules) return refused(userError('NOT_FOUND', 'No such programme.', ['input', 'programme']));
    if (p.kind !== 'apiKey' || (p.role !== Role.ALLIANCE_ADMIN && !rules.leadPath.startsWith(p.organisationPath))) {
      return refused(userError('FORBIDDEN', 'Only admins of the programme\'s lead organisation (or alliance admins) set its targets.', ['input', 'programme']));
    }

    const outcomes: TargetRowOutcome[] = input.rows.map((_, index) => ({ index, outcome: RowOutcome.NOT_WRITTEN, code: null, field: null, message: null, targetId: null }));
    const reject = (index: number, code: string, field: string, message: string) => {
      if (outcomes[index].outcome !== RowOutcome.REJECTED) outcomes[index] = { index, outcome: RowOutcome.REJECTED, code, field: ['input', 'rows', String(index), field], message, targetId: null };
    };
    const valid: TargetRow[] = [];
    input.rows.forEach((row, index) => {
      const checked = checkRow(rules, row, index, { periodOptional: true, respectLocks: false });
      if (isProblem(checked)) return reject(index, checked.code, checked.field, checked.message);
      if (row.baseline != null && !isCount(row.baseline)) return reject(index, 'INVALID_VALUE', 'baseline', 'The baseline must be a whole number from 0 up.');
      valid.push({ ...checked, baseline: row.baseline ?? null, expectedVersion: row.expectedVersion ?? null });
    });
    for (const { row, first } of duplicates(valid)) reject(row.index, 'DUPLICATE_ROW', 'indicator', `Row ${first} already gives this target.`);

    const existing = valid.length
      ? ((await tx.execute(
          `select t.id, t.indicator_id, pl.key as place_key, t.period_code, t.disaggregation_id, t.value::float8 as value, t.baseline::float8 as baseline, t.comment, t.version
           from target t join place pl on pl.id = t.place_id where t.programme_id = ? and t.indicator_id = any(?::int[]) for update of t`,
          [rules.id, pgArray([...new Set(valid.map((r) => r.indicatorId))])],
        )) as { id: number; indicator_id: number; place_key: string; period_code: string | null; disaggregation_id: number | null; value: number; baseline: number | null; comment: string | null; version: number }[])
      : [];
    const byKey = new Map(existing.map((e) => [rowKey({ indicatorId: e.indicator_id, placeKey: e.place_key, periodCode: e.period_code, disaggregationId: e.disaggregation_id }), e]));

    for (const row of valid) {
      const current = byKey.get(rowKey(row));
      if (row.expectedVersion !== null && row.expectedVersion !== (current?.version ?? null)) {
        reject(row.index, 'VERSION_CONFLICT', 'expectedVersion', current ? `The target changed meanwhile: it is at version ${current.version}. Read it again and resubmit.` : 'There is no such target yet; leave out expectedVersion to create it.');
      }
    }
    const rejected = outcomes.filter((o) => o.outcome === RowOutcome.REJECTED).length;
    const writable = valid.filter((r) => outcomes[r.index].outcome !== RowOutcome.REJECTED && !((input.atomic ?? true) && rejected > 0));
    const creates: TargetRow[] = [];
    const updates: { row: TargetRow; id: number; before: TargetRow }[] = [];
    for (const row of writable) {
      const current = byKey.get(rowKey(row));
      if (!current) creates.push(row);
      else if (Number(current.value) === row.value && (current.baseline === null ? null : Number(current.baseline)) === row.baseline && current.comment === row.comment) {
        outcomes[row.index] = { ...outcomes[row.index], outcome: RowOutcome.UNCHANGED, targetId: current.id };
      } else updates.push({ row, id: current.id, before: { ...row, value: Number(current.value), baseline: current.baseline === null ? null : Number(current.baseline), comment: current.comment } });
    }

    const audit: AuditRecord[] = [];
    if (creates.length) {
      await ensurePlacesAndPeriods(tx, creates);
      const inserted = (await tx.execute(
        `insert into target (programme_id, indicator_id, place_id, period_code, disaggregation_id, value, baseline, comment)
         select ?, n.indicator_id, pl.id, n.period_code, n.disaggregation_id, n.value, n.baseline, n.comment
         from unnest(?::int[], ?::text[], ?::text[], ?::int[], ?::numeric[], ?::numeric[], ?::text[]) as n(indicator_id, place_key, period_code, disaggregation_id, value, baseline, comment)
         join place pl on pl.key = n.place_key
         returning id, indicator_id, place_id, period_code, disaggregation_id`,
        [
          rules.id,
          pgArray(creates.map((r) => r.indicatorId)),
          pgArray(creates.map((r) => r.placeKey)),
          pgArray(creates.map((r) => r.periodCode)),
          pgArray(creates.map((r) => r.disaggregationId)),
          pgArray(creates.map((r) => r.value)),
          pgArray(creates.map((r) => r.baseline)),
          pgArray(creates.map((r) => r.comment)),
        ],
      )) as { id: number; indicator_id: number; place_id: number; period_code: string | null; disaggregation_id: number | null }[];
      const places = await placeKeysById(tx, inserted.map((i) => i.place_id));
      const idByKey = new Map(inserted.map((i) => [rowKey({ indicatorId: i.indicator_id, placeKey: places.get(i.place_id)!, periodCode: i.period_code, disaggregationId: i.disaggregation_id }), i.id]));
      for (const row of creates) {
        const id = idByKey.get(rowKey(row))!;
        outcomes[row.index] = { ...outcomes[row.index], outcome: RowOutcome.CREATED, targetId: id };
        audit.push({
          action: 'target.create',
          entity: 'Target',
          entityId: toGlobalId('Target', id),
          before: null,
          after: snapshot(rules.id, row),
          owner: adminRecord(rules.leadOrganisationId),
        });
      }
    }
    if (updates.length) {
      await tx.execute(
        `update target t set value = u.value, baseline = u.baseline, comment = u.comment, version = t.version + 1 from unnest(?::int[], ?::numeric[], ?::numeric[], ?::text[]) as u(id, value, baseline, comment) where t.id = u.id`,
        [pgArray(updates.map((u) => u.id)), pgArray(updates.map((u) => u.row.value)), pgArray(updates.map((u) => u.row.baseline)), pgArray(updates.map((u) => u.row.comment))],
      );
      for (const u of updates) {
        outcomes[u.row.index] = { ...outcomes[u.row.index], outcome: RowOutcome.UPDATED, targetId: u.id };
        audit.push({
          action: 'target.update',
          entity: 'Target',
          entityId: toGlobalId('Target', u.id),
          before: snapshot(rules.id, u.before),
          after: snapshot(rules.id, u.row),
          owner: adminRecord(rules.leadOrganisationId),
        });
      }
    }
    await recordAudit(tx, ctx, audit);
    const count = (o: RowOutcome) => outcomes.filter((x) => x.outcome === o).length;
    return { created: count(RowOutcome.CREATED), updated: count(RowOutcome.UPDATED), unchanged: count(RowOutcome.UNCHANGED), rejected, replayed: false, rows: outcomes, userErrors: [] };
  },
};
