import DataLoader from 'dataloader';
import type { Context } from '../../graphql/context.js';
import { childPages } from '../../graphql/batch.js';
import type { Page, PageRequest } from '../../graphql/pagination.js';
import { userError } from '../../graphql/user-error.js';
import { pgArray } from '../../db/sql.js';
import { fromGlobalIntId, toGlobalId } from '../node/global-id.js';
import { adminRecord, recordAudit } from '../audit/audit.service.js';
import { Role } from '../access/role.enums.js';
import { Period } from './period.entity.js';
import { ensurePeriod } from './period.service.js';
import { ProgrammePeriod, type LockPeriodInput, type PeriodLockPayload, type UnlockPeriodInput } from './period-lock.types.js';
import { writeOrRefuse } from '../../db/transaction.js';

/** The periods a programme has figures, targets or a lock for. */
const PROGRAMME_PERIODS =
  'period t join (select programme_id, period_code from result union select programme_id, period_code from target where period_code is not null ' +
  'union select programme_id, period_code from period_lock) pp on pp.period_code = t.code';

export const periodLockService = {
  /** When each (programme, period) closes; batched. */
  closesAt(ctx: Context, programmeId: number, periodCode: string): Promise<Date | null> {
    return ctx.loaders
      .get('period-locks', () => new DataLoader<string, Date | null>(async (keys) => {
        const pairs = keys.map((k) => k.split('|'));
        const rows = (await ctx.em.execute(
          `select l.programme_id, l.period_code, l.locked_at from period_lock l join unnest(?::int[], ?::text[]) as k(programme_id, period_code)
           on l.programme_id = k.programme_id and l.period_code = k.period_code`,
          [pgArray(pairs.map(([p]) => Number(p))), pgArray(pairs.map(([, c]) => c))],
        )) as { programme_id: number; period_code: string; locked_at: Date }[];
        const found = new Map(rows.map((r) => [`${r.programme_id}|${r.period_code}`, new Date(r.locked_at)]));
        return keys.map((k) => found.get(k) ?? null);
      }))
      .load(`${programmeId}|${periodCode}`);
  },

  async periodsOf(ctx: Context, programmeId: number, request: PageRequest): Promise<Page<ProgrammePeriod>> {
    const page = await childPages(ctx, { name: 'programme-periods', entity: Period, from: PROGRAMME_PERIODS, parent: 'pp.programme_id', key: 't.code', keyOf: (p) => p.code }, request).load(programmeId);
    const items = await Promise.all(page.items.map(async (period) => new ProgrammePeriod(period, await this.closesAt(ctx, programmeId, period.code))));
    return { ...page, items, keyOf: (item: ProgrammePeriod) => item.period.code };
  },

  async lock(ctx: Context, input: LockPeriodInput): Promise<PeriodLockPayload> {
    return this.change(ctx, input.programme, input.period, input.closesAt ?? new Date());
  },

  async unlock(ctx: Context, input: UnlockPeriodInput): Promise<PeriodLockPayload> {
    return this.change(ctx, input.programme, input.period, null);
  },

  async change(ctx: Context, programme: string, periodCode: string, closesAt: Date | null): Promise<PeriodLockPayload> {
    const p = ctx.principal;
    if (p.kind !== 'apiKey' || p.role !== Role.ALLIANCE_ADMIN) return { programmePeriod: null, userErrors: [userError('FORBIDDEN', 'Only alliance admins open and close periods.')] };
    const programmeId = fromGlobalIntId(programme, 'Programme');
    return writeOrRefuse(ctx, async (tx) => {
      const [found] = programmeId === null
        ? []
        : ((await tx.execute('select id, lead_organisation_id from programme where id = ?', [programmeId])) as { id: number; lead_organisation_id: number }[]);
      if (!found) return { programmePeriod: null, userErrors: [userError('NOT_FOUND', 'No such programme.', ['input', 'programme'])] };
      const period = await ensurePeriod(tx, periodCode);
      const [before] = (await tx.execute('select locked_at from period_lock where programme_id = ? and period_code = ? for update', [found.id, period.code])) as { locked_at: Date }[];
      if (closesAt === null) await tx.execute('delete from period_lock where programme_id = ? and period_code = ?', [found.id, period.code]);
      else {
        await tx.execute(
          `insert into period_lock (programme_id, period_code, locked_at, locked_by_id) values (?, ?, ?, ?)
           on conflict (programme_id, period_code) do update set locked_at = excluded.locked_at, locked_by_id = excluded.locked_by_id`,
          [found.id, period.code, closesAt, p.keyId],
        );
      }
      await recordAudit(tx, ctx, [
        {
          action: closesAt === null ? 'period.unlock' : 'period.lock',
          entity: 'ProgrammePeriod',
          entityId: `${toGlobalId('Programme', found.id)}/${period.code}`,
          before: before ? { closesAt: new Date(before.locked_at).toISOString() } : null,
          after: closesAt === null ? null : { closesAt: closesAt.toISOString() },
          owner: adminRecord(found.lead_organisation_id),
        },
      ]);
      return { programmePeriod: new ProgrammePeriod(period, closesAt), userErrors: [] };
    }, (e) => ({ programmePeriod: null, userErrors: [e] }));
  },
};
