import { Field, InputType, ObjectType } from 'type-graphql';
import { Connection } from '../../graphql/pagination.js';
import { PeriodCodeScalar } from '../periods/period.scalar.js';
import { AuditEntry } from './audit-entry.entity.js';

@ObjectType({ description: 'A page of audit entries, newest first.' })
export class AuditEntryConnection extends Connection(AuditEntry, 'audit entries') {}

@InputType({ description: 'Narrows down the audit trail. All given conditions must hold.' })
export class AuditFilter {
  @Field(() => [String], { nullable: true, description: 'Only these actions, for example `result.update` or `period.lock`.' })
  actions?: string[] | null;

  @Field(() => String, { nullable: true, description: 'Only changes to this kind of record, for example `Result`.' })
  entity?: string | null;

  @Field(() => String, { nullable: true, description: 'Only changes to the record with this global ID.' })
  entityId?: string | null;

  @Field(() => String, { nullable: true, description: 'Only changes made in this request (its id is in the `x-request-id` response header).' })
  requestId?: string | null;

  @Field(() => PeriodCodeScalar, { nullable: true, description: 'Only changes on or after the first day of this period, for example `2026-11`.' })
  from?: string | null;

  @Field(() => PeriodCodeScalar, { nullable: true, description: 'Only changes on or before the last day of this period.' })
  to?: string | null;
}
