import { Check, Entity, Index, ManyToOne, OptionalProps, PrimaryKey, Property, Unique, type Ref } from '@mikro-orm/core';
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Node } from '../node/node.type.js';
import { toGlobalId } from '../node/global-id.js';
import { Programme } from '../programmes/programme.entity.js';
import { Indicator } from '../indicators/indicator.entity.js';
import { Place } from '../places/place.entity.js';
import { Period } from '../periods/period.entity.js';
import { Disaggregation } from '../indicators/disaggregation.entity.js';
import { SourceDocument } from '../sources/source-document.entity.js';

/** A target: programme × indicator × place × period (× optional breakdown), with an optional baseline. */
@Entity({ tableName: 'target' })
@Index({ name: 'target_programme_id_id_index', properties: ['programme', 'id'] })
@Unique({
  name: 'target_natural_key',
  expression:
    'create unique index "target_natural_key" on "target" ("programme_id", "indicator_id", "place_id", "period_code", "disaggregation_id") nulls not distinct',
})
@Check({ name: 'target_value_non_negative', expression: 'value >= 0 and (baseline is null or baseline >= 0)' })
@ObjectType({
  implements: Node,
  description:
    'What a programme aims to achieve on one indicator, in one place (a country or a group of countries), for one period or for the whole programme, optionally for one breakdown.',
})
export class Target {
  [OptionalProps]?: 'nodeId' | 'version';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Field(() => ID, { name: 'id', description: 'Opaque global identifier; use it with `node(id:)`.' })
  get nodeId(): string {
    return toGlobalId('Target', this.id);
  }

  @ManyToOne(() => Programme, { ref: true, index: true })
  programme!: Ref<Programme>;

  @ManyToOne(() => Indicator, { ref: true, index: true })
  indicator!: Ref<Indicator>;

  @ManyToOne(() => Place, { ref: true, index: true })
  place!: Ref<Place>;

  /** Null when the target is for the programme as a whole and the source gives no period. */
  @ManyToOne(() => Period, { ref: true, nullable: true, index: true, fieldName: 'period_code', deleteRule: 'restrict' })
  period?: Ref<Period> | null;

  @ManyToOne(() => Disaggregation, { ref: true, nullable: true, index: true, deleteRule: 'restrict' })
  disaggregation?: Ref<Disaggregation> | null;

  @Property({ type: 'numeric', precision: 14, scale: 2, runtimeType: 'number', nullable: true })
  @Field(() => Float, { nullable: true, description: 'The value at the start, when known; progress is then measured from the baseline.' })
  baseline?: number | null;

  @Property({ type: 'numeric', precision: 14, scale: 2, runtimeType: 'number' })
  @Field(() => Float, { description: 'The value the programme aims to reach, in the indicator\'s unit.' })
  value!: number;

  @Property({ type: 'text', nullable: true })
  @Field(() => String, { nullable: true, description: 'A remark about the target. Public, like the target itself: it must never describe ' +
    'a child or anyone else who could be recognised.' })
  comment?: string | null;

  @ManyToOne(() => SourceDocument, { ref: true, nullable: true, index: true, deleteRule: 'restrict' })
  sourceDocument?: Ref<SourceDocument> | null;

  @Property({ type: 'integer', default: 1 })
  @Field(() => Int, { description: 'Goes up by one with every change; send it back as `expectedVersion` so that a change made meanwhile is not overwritten.' })
  version: number = 1;

  @Property({ type: 'text', nullable: true })
  @Field(() => String, { nullable: true, description: 'The sentence in the source document the target was taken from, in the document\'s language.' })
  sourceExcerpt?: string | null;
}
