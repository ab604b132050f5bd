import { Check, Entity, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, Property, Unique, type Ref } from '@mikro-orm/core';
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Node } from '../node/node.type.js';
import { toGlobalId } from '../node/global-id.js';
import { Programme } from '../programmes/programme.entity.js';
import { Indicator } from '../indicators/indicator.entity.js';
import { Organisation } from '../organisations/organisation.entity.js';
import { Place } from '../places/place.entity.js';
import { Period } from '../periods/period.entity.js';
import { Disaggregation } from '../indicators/disaggregation.entity.js';
import { SourceDocument } from '../sources/source-document.entity.js';
import { ResultStatus } from './result.enums.js';

/**
 * A reported figure: programme × indicator × reporting organisation × place × period × breakdown.
 * The natural key is unique (NULLS NOT DISTINCT, created in the migration), so a resubmission replaces a value.
 */
@Entity({ tableName: 'result' })
@Index({ name: 'result_programme_id_id_index', properties: ['programme', 'id'] })
@Unique({
  name: 'result_natural_key',
  expression:
    'create unique index "result_natural_key" on "result" ("programme_id", "indicator_id", "reporting_organisation_id", "place_id", "period_code", "disaggregation_id") nulls not distinct',
})
@Check({ name: 'result_value_non_negative', expression: 'value >= 0' })
@ObjectType({
  implements: Node,
  description:
    'A reported figure (an "actual"): what one organisation achieved on one indicator of one programme, in one place and period, optionally for one breakdown such as girls.',
})
export class Result {
  [OptionalProps]?: 'nodeId' | 'createdAt' | 'updatedAt' | 'version';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Field(() => ID, { name: 'id', description: 'Opaque global identifier; use it with `node(id:)`.' })
  get nodeId(): string {
    return toGlobalId('Result', this.id);
  }

  @ManyToOne(() => Programme, { ref: true, index: true })
  programme!: Ref<Programme>;

  @ManyToOne(() => Indicator, { ref: true, index: true })
  indicator!: Ref<Indicator>;

  @ManyToOne(() => Organisation, { ref: true, index: true })
  reportingOrganisation!: Ref<Organisation>;

  @ManyToOne(() => Place, { ref: true, index: true })
  place!: Ref<Place>;

  @ManyToOne(() => Period, { ref: true, index: true, fieldName: 'period_code' })
  period!: Ref<Period>;

  @ManyToOne(() => Disaggregation, { ref: true, nullable: true, index: true, deleteRule: 'restrict' })
  disaggregation?: Ref<Disaggregation> | null;

  @Property({ type: 'numeric', precision: 14, scale: 2, runtimeType: 'number' })
  @Field(() => Float, { description: 'The reported value, in the indicator\'s unit.' })
  value!: number;

  @Enum({ items: () => ResultStatus, nativeEnumName: 'result_status' })
  @Index()
  @Field(() => ResultStatus, { description: 'Where the figure is in the review workflow. Published figures are `APPROVED`.' })
  status!: ResultStatus;

  @Property({ type: 'text', nullable: true })
  @Field(() => String, {
    nullable: true,
    description: 'A remark by the reporting organisation. Public once the figure is approved, like the figure itself: it must never ' +
      'describe a child or anyone else who could be recognised.',
  })
  comment?: string | null;

  @ManyToOne(() => SourceDocument, { ref: true, nullable: true, index: true, deleteRule: 'restrict' })
  sourceDocument?: Ref<SourceDocument> | null;

  @Property({ type: 'text', nullable: true })
  @Field(() => String, { nullable: true, description: 'The sentence in the source document the figure was taken from, in the document\'s language.' })
  sourceExcerpt?: string | null;

  @Property({ type: 'text', nullable: true })
  @Field(() => String, {
    nullable: true,
    description:
      'The reviewer\'s reason, when the figure was returned or reopened. Shown with the figure to everyone who may see it, kept in the ' +
        'audit trail and to be treated as public once the figure is approved: it must never describe a child or anyone else who could be ' +
        'recognised.',
  })
  reviewComment?: string | null;

  @Property({ type: 'integer', default: 1 })
  @Field(() => Int, { description: 'Goes up by one with every change; send it back as `expectedVersion` so that a change made meanwhile by someone else is not overwritten.' })
  version: number = 1;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  @Field(() => Date, { description: 'When the figure was first recorded.' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  @Field(() => Date, { description: 'When the figure was last changed.' })
  updatedAt: Date = new Date();
}
