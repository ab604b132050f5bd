import { Entity, ManyToOne, OptionalProps, PrimaryKey, Property, Unique, type Ref } from '@mikro-orm/core';
import { Programme } from '../programmes/programme.entity.js';
import { Period } from './period.entity.js';
import { ApiKey } from '../access/api-key.entity.js';

/** A closed reporting period of one programme: no figure for it may be written until it is unlocked. */
@Entity({ tableName: 'period_lock' })
@Unique({ properties: ['programme', 'period'] })
export class PeriodLock {
  [OptionalProps]?: 'lockedAt';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @ManyToOne(() => Programme, { ref: true, index: true })
  programme!: Ref<Programme>;

  @ManyToOne(() => Period, { ref: true, index: true, fieldName: 'period_code' })
  period!: Ref<Period>;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  lockedAt: Date = new Date();

  @ManyToOne(() => ApiKey, { ref: true, nullable: true, index: true, deleteRule: 'set null' })
  lockedBy?: Ref<ApiKey> | null;
}
