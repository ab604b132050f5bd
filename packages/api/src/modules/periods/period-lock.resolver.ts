import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../../graphql/context.js';
import { Period } from './period.entity.js';
import { LockPeriodInput, PeriodLockPayload, ProgrammePeriod, UnlockPeriodInput } from './period-lock.types.js';
import { periodLockService } from './period-lock.service.js';

@Resolver(() => ProgrammePeriod)
export class PeriodLockResolver {
  @Mutation(() => PeriodLockPayload, { description: 'Closes a programme\'s reporting period, now or at a given time: no figure for it can then be written or reviewed.' })
  lockPeriod(@Arg('input', () => LockPeriodInput, { description: 'The period to close.' }) input: LockPeriodInput, @Ctx() ctx: Context) {
    return periodLockService.lock(ctx, input);
  }

  @Mutation(() => PeriodLockPayload, { description: 'Opens a closed reporting period again.' })
  unlockPeriod(@Arg('input', () => UnlockPeriodInput, { description: 'The period to open.' }) input: UnlockPeriodInput, @Ctx() ctx: Context) {
    return periodLockService.unlock(ctx, input);
  }

  @FieldResolver(() => Period, { description: 'The period.' })
  period(@Root() pp: ProgrammePeriod): Period {
    return pp.period;
  }
}
