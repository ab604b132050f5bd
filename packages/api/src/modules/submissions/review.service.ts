import { pgArray } from '../../db/sql.js';
import type { Context } from '../../graphql/context.js';
import { userError, type UserError } from '../../graphql/user-error.js';
import { fromGlobalIntId, toGlobalId } from '../node/global-id.js';
import { adminRecord, recordAudit } from '../audit/audit.service.js';
import { Role } from '../access/role.enums.js';
import { resultVisibilitySql, FIGURE_FROM } from '../results/result-filter.js';
import { resultService } from '../results/result.service.js';
import type { Result } from '../results/result.entity.js';
import { MAX_REVIEW, ReviewAction, type ReviewResultsInput, type ReviewResultsPayload } from './review.types.js';
import { writeOrRefuse } from '../../db/transaction.js';

/** Each step: the states it starts from, the state it leads to, and who may take it. */
const STEPS: Record<ReviewAction, { from: string[]; to: string; roles: Role[]; needsComment: boolean }> = {
  [ReviewAction.SUBMIT]: { from: ['DRAFT', 'RETURNED'], to: 'SUBMITTED', roles: [Role.PARTNER_EDITOR, Role.PARTNER_ADMIN, Role.ALLIANCE_ADMIN], needsComment: false },
  [ReviewAction.APPROVE]: { from: ['SUBMITTED'], to: 'APPROVED', roles: [Role.ALLIANCE_ADMIN], needsComment: false },
  [ReviewAction.RETURN]: { from: ['SUBMITTED'], to: 'RETURNED', roles: [Role.ALLIANCE_ADMIN], needsComment: true },
  [ReviewAction.REOPEN]: { from: ['APPROVED'], to: 'RETURNED', roles: [Role.ALLIANCE_ADMIN], needsComment: true },
};

export const reviewService = {
  async review(ctx: Context, input: ReviewResultsInput): Promise<ReviewResultsPayload> {
    const p = ctx.principal;
    const step = STEPS[input.action];
    const refuse = (code: string, message: string, field: string[] | null = null): ReviewResultsPayload => ({ results: [], userErrors: [userError(code, message, field)] });
    if (p.kind !== 'apiKey' || !step.roles.includes(p.role)) return refuse('FORBIDDEN', `Your key's role may not ${input.action.toLowerCase()} figures.`);
    if (input.results.length === 0 || input.results.length > MAX_REVIEW) return refuse('INVALID', `Give 1 to ${MAX_REVIEW} figures.`, ['input', 'results']);
    const comment = input.comment?.trim() || null;
    if (step.needsComment && !comment) return refuse('INVALID', 'Say why in `comment`: the partner needs to know what to correct.', ['input', 'comment']);
    if (comment && comment.length > 2000) return refuse('INVALID', 'A comment has at most 2,000 characters.', ['input', 'comment']);

    const ids = input.results.map((id) => fromGlobalIntId(id, 'Result'));
    const outcome = await writeOrRefuse(ctx, async (tx): Promise<{ errors: UserError[] } | { changed: number[] }> => {
      const visibility = resultVisibilitySql(p);
      const wanted = ids.filter((id): id is number => id !== null);
      const rows = (await tx.execute(
        `select r.id, r.status, r.version, r.review_comment, r.period_code, r.reporting_organisation_id, o.path,
           exists (select 1 from period_lock l where l.programme_id = r.programme_id and l.period_code = r.period_code and l.locked_at <= now()) as locked
         from ${FIGURE_FROM} where r.id = any(?::int[]) and ${visibility.sql} for update of r`,
        [pgArray(wanted), ...visibility.bindings],
      )) as {
        id: number;
        status: string;
        version: number;
        review_comment: string | null;
        period_code: string;
        reporting_organisation_id: number;
        path: string;
        locked: boolean;
      }[];
      const byId = new Map(rows.map((r) => [r.id, r]));
      const errors = input.results.flatMap((globalId, i) => {
        const row = ids[i] === null ? undefined : byId.get(ids[i]!);
        const field = ['input', 'results', String(i)];
        if (!row) return [userError('NOT_FOUND', `No figure ${globalId} among those you can see.`, field)];
        if (p.role !== Role.ALLIANCE_ADMIN && !row.path.startsWith(p.organisationPath)) return [userError('FORBIDDEN', 'You may review only your own organisation\'s figures.', field)];
        if (!step.from.includes(row.status)) return [userError('INVALID_STATE', `The figure is ${row.status}; ${input.action} applies to ${step.from.join(' or ')} figures.`, field)];
        if (row.locked) return [userError('PERIOD_LOCKED', `The period ${row.period_code} is closed for this programme.`, field)];
        return [];
      });
      if (errors.length) return { errors };

      const reviewComment = step.needsComment ? comment : null;
      await tx.execute(`update result set status = ?::result_status, review_comment = ?, version = version + 1, updated_at = now() where id = any(?::int[])`, [
        step.to,
        reviewComment,
        pgArray(rows.map((r) => r.id)),
      ]);
      await recordAudit(
        tx,
        ctx,
        rows.map((r) => ({
          action: `result.${input.action.toLowerCase()}`,
          entity: 'Result',
          entityId: toGlobalId('Result', r.id),
          before: { status: r.status, reviewComment: r.review_comment, version: r.version },
          after: { status: step.to, reviewComment, version: r.version + 1 },
          owner: adminRecord(r.reporting_organisation_id),
        })),
      );
      return { changed: rows.map((r) => r.id) };
    }, (error) => ({ errors: [error] }));
    if ('errors' in outcome) return { results: [], userErrors: outcome.errors };
    // Read back after the commit, through the same visibility rules as every other read.
    const results = await Promise.all(outcome.changed.map((id) => resultService.load(ctx, id)));
    return { results: results.filter((r): r is Result => r !== null), userErrors: [] };
  },
};
