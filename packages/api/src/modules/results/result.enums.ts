import { registerEnumType } from 'type-graphql';

export enum ResultStatus {
  DRAFT = 'DRAFT',
  SUBMITTED = 'SUBMITTED',
  APPROVED = 'APPROVED',
  RETURNED = 'RETURNED',
}

registerEnumType(ResultStatus, {
  name: 'ResultStatus',
  description: 'Where a reported figure is in the review workflow.',
  valuesConfig: {
    DRAFT: { description: 'Entered by the partner, not yet submitted for review.' },
    SUBMITTED: { description: 'Submitted by the partner and waiting for review.' },
    APPROVED: { description: 'Reviewed and approved; published figures are approved.' },
    RETURNED: { description: 'Sent back to the partner with a comment, to be corrected and submitted again.' },
  },
});
