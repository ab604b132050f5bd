import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { Result } from '../results/result.entity.js';
import { UserError } from '../../graphql/user-error.js';

export const MAX_REVIEW = 1000;

export enum ReviewAction {
  SUBMIT = 'SUBMIT',
  APPROVE = 'APPROVE',
  RETURN = 'RETURN',
  REOPEN = 'REOPEN',
}

registerEnumType(ReviewAction, {
  name: 'ReviewAction',
  description: 'A step in the review of figures.',
  valuesConfig: {
    SUBMIT: { description: 'DRAFT or RETURNED → SUBMITTED. By the partner (editor or admin) or an alliance admin.' },
    APPROVE: { description: 'SUBMITTED → APPROVED: the figure is published and counts in totals. Alliance admins only.' },
    RETURN: { description: 'SUBMITTED → RETURNED, with a comment saying what to correct. Alliance admins only.' },
    REOPEN: { description: 'APPROVED → RETURNED, with a comment, so that the partner can correct an approved figure. Alliance admins only.' },
  },
});

@InputType({ description: 'A review step for several figures at once; all of them take the step, or none.' })
export class ReviewResultsInput {
  @Field(() => [ID], { description: `The figures, 1 to ${MAX_REVIEW}.` })
  results!: string[];

  @Field(() => ReviewAction, { description: 'The step to take.' })
  action!: ReviewAction;

  @Field(() => String, {
    nullable: true,
    description:
      'Why: required to return or reopen figures; shown to the partner as `reviewComment` and kept in the audit trail. Treat it as ' +
        'public once the figure is approved: it must never describe a child or anyone else who could be recognised.',
  })
  comment?: string | null;
}

@ObjectType({ description: 'The answer to a review step.' })
export class ReviewResultsPayload {
  @Field(() => [Result], { description: 'The figures after the step; empty when it was refused.' })
  results!: Result[];

  @Field(() => [UserError], { description: 'Why the step was refused; empty on success.' })
  userErrors!: UserError[];
}
