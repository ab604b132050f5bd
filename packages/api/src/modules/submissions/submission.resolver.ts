import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../../graphql/context.js';
import { Result } from '../results/result.entity.js';
import { resultService } from '../results/result.service.js';
import { ResultRowOutcome, SubmitResultsInput, SubmitResultsPayload } from './submission.types.js';
import { submissionService } from './submission.service.js';
import { ReviewResultsInput, ReviewResultsPayload } from './review.types.js';
import { reviewService } from './review.service.js';
import { SubmitTargetsInput, SubmitTargetsPayload, TargetRowOutcome } from './target-submission.types.js';
import { targetSubmissionService } from './target-submission.service.js';
import { Target } from '../results/target.entity.js';

@Resolver(() => ResultRowOutcome)
export class SubmissionResolver {
  @Mutation(() => SubmitResultsPayload, {
    description:
      'Records a batch of figures. Each row creates or replaces the figure with the same indicator, place, period and breakdown; the answer gives an outcome per row. Send an idempotency key to make retries safe.',
  })
  submitResults(@Arg('input', () => SubmitResultsInput, { description: 'The figures.' }) input: SubmitResultsInput, @Ctx() ctx: Context) {
    return submissionService.submitResults(ctx, input, ctx.idempotencyKey);
  }

  @Mutation(() => SubmitTargetsPayload, {
    description: 'Sets a batch of targets of one programme (alliance admins, or admins of its lead organisation). Each row creates or replaces the target with the same indicator, place, period and breakdown.',
  })
  submitTargets(@Arg('input', () => SubmitTargetsInput, { description: 'The targets.' }) input: SubmitTargetsInput, @Ctx() ctx: Context) {
    return targetSubmissionService.submitTargets(ctx, input, ctx.idempotencyKey);
  }

  @Mutation(() => ReviewResultsPayload, { description: 'Moves figures through review: submit, approve, return or reopen.' })
  reviewResults(@Arg('input', () => ReviewResultsInput, { description: 'The figures and the step.' }) input: ReviewResultsInput, @Ctx() ctx: Context) {
    return reviewService.review(ctx, input);
  }

  @FieldResolver(() => Result, { nullable: true, description: 'The figure the row created, changed or matched; empty for a rejected or unwritten row.' })
  result(@Root() row: ResultRowOutcome, @Ctx() ctx: Context) {
    return row.resultId === null ? null : resultService.load(ctx, row.resultId);
  }
}

@Resolver(() => TargetRowOutcome)
export class TargetRowOutcomeResolver {
  @FieldResolver(() => Target, { nullable: true, description: 'The target the row created, changed or matched; empty for a rejected or unwritten row.' })
  target(@Root() row: TargetRowOutcome, @Ctx() ctx: Context) {
    return row.targetId === null ? null : ctx.loaders.byKey(Target).load(row.targetId);
  }
}
