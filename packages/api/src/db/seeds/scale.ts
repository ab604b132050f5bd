/**
 * Synthetic data at alliance scale, for benchmarks (`npm run seed:scale`).
 *
 * Everything is generated inside PostgreSQL with `INSERT … SELECT generate_series(…)`, so a million
 * figures take seconds, not the hours one-by-one inserts would. The data is deterministic for a seed
 * number: every "random" choice is a hash of the seed and the row's position (md5), never `random()`.
 *
 * Shape (default size): 10 years (2015–2024), 40 countries, 200 organisations (20 alliance members, each
 * with 9 local partners), 150 indicators (every category, with the units the headline figures expect),
 * 40 programmes (half reporting monthly, half per half-year), each with a lead member, a second member,
 * 6 local partners of the lead, 6 countries and its own set of indicators. Local partners report per
 * country and period, broken down by sex where the indicator allows it; the lead also reports yearly
 * totals for a group of 3 countries, which overlap its partners' figures, so the no-double-counting
 * rule has real work to do. Plus yearly and lifetime targets, cases, referrals and legal actions.
 *
 * Names and codes all start with `scale-` / `SCALE-`; the published demo data stays as it is.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { iso31662 } from 'iso-3166';
import { pgArray } from '../sql.js';

export interface ScaleOptions {
  /** Result rows to create (exactly, when the structure allows that many). */
  rows: number;
  /** Seed number: the same seed and size always give the same data. */
  seed: number;
  /** Progress messages. */
  log?: (message: string) => void;
}

export interface ScaleSummary {
  results: number;
  targets: number;
  cases: number;
  referrals: number;
  legalActions: number;
  programmes: number;
  indicatorsPerProgramme: number;
}

const YEARS = { from: 2015, to: 2024 };
const COUNTRIES = 40;
const MEMBERS = 20;
const PARTNERS_PER_MEMBER = 9;
const INDICATORS = 150;
const PROGRAMMES = 40;
const PARTNERS_PER_PROGRAMME = 6;

/** Category, unit and breakdown set of indicator n (cycling), chosen so each headline category has one unit. */
const INDICATOR_KINDS: [category: string, unit: string, set: string | null][] = [
  ['CHILDREN_REACHED', 'CHILDREN', 'children-sex-age'],
  ['VICTIMS_ASSISTED', 'VICTIMS', 'children-sex-age'],
  ['FAMILIES_SUPPORTED', 'FAMILIES', null],
  ['OFFICIALS_TRAINED', 'OFFICIALS', 'adults-sex'],
  ['PROSECUTIONS', 'CASES', null],
  ['AWARENESS', 'PEOPLE', null],
  ['PROFESSIONALS_TRAINED', 'ADULTS', null],
  ['CIVIL_SOCIETY', 'ORGANISATIONS', null],
  ['PRIVATE_SECTOR', 'COMPANIES', null],
  ['POLICY', 'STRATEGIES', null],
];

/** A uniform number in [0, 1) from the seed and a position: md5, so it is the same on every server. */
const RND = `create function pg_temp.rnd(s int, a bigint, b int) returns float8 language sql immutable parallel safe as
  $$ select ('x' || substr(md5(s::text || ':' || a::text || ':' || b::text), 1, 8))::bit(32)::bigint / 4294967296.0 $$`;

export async function generateScaleData(em: EntityManager, options: ScaleOptions): Promise<ScaleSummary> {
  const log = options.log ?? (() => {});
  const s = Math.trunc(options.seed);
  const N = Math.trunc(options.rows);
  if (!Number.isSafeInteger(s) || !Number.isSafeInteger(N) || N < 0) throw new Error('rows and seed must be whole numbers');

  return em.transactional(async (tx) => {
    const run = async (label: string, sql: string) => {
      const started = Date.now();
      const out = await tx.execute(sql);
      if (label) log(`${label} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      return out as Record<string, unknown>[];
    };
    const one = async (sql: string) => Number(Object.values((await run('', sql))[0] ?? { n: 0 })[0]);

    if (await one(`select count(*) from organisation where code = 'scale-m01'`)) {
      throw new Error('This database already holds scale data; generate it into a new database.');
    }
    await run('', `set local synchronous_commit = off`);
    await run('', `set local max_parallel_workers_per_gather = 0`);
    // The rows are consistent by construction, so foreign-key triggers are skipped when the role may do so
    // (a superuser, as on the embedded server): it halves the time of the bulk inserts.
    if (await one(`select count(*) from pg_roles where rolname = current_user and rolsuper`)) await run('', `set local session_replication_role = replica`);
    await run('', `set local work_mem = '256MB'`);
    await run('', RND);

    // Countries: 40 of Asia, the Americas and Africa, chosen by the seed.
    await run('', `create temp table sc_country on commit drop as
      select row_number() over (order by md5('${s}:' || code), code)::int as n, code::text as code from country
      where region in ('Asia', 'Americas', 'Africa') order by md5('${s}:' || code), code limit ${COUNTRIES}`);
    const countries = await one(`select count(*) from sc_country`);
    if (countries < COUNTRIES) throw new Error('Load the countries first (the api does on start; or `npm run db:seed`).');

    // Organisations: 20 alliance members, each with 9 local partners.
    await run('organisations', `
      insert into organisation (code, name, kind, parent_id, country_code, path)
      select 'scale-m' || lpad(g::text, 2, '0'), 'Scale member ' || g, 'ALLIANCE_MEMBER', null, null, '' from generate_series(1, ${MEMBERS}) g;
      update organisation set path = '/' || id || '/' where code like 'scale-m%';
      insert into organisation (code, name, kind, parent_id, country_code, path)
      select 'scale-p' || lpad(g::text, 3, '0'), 'Scale local partner ' || g, 'LOCAL_PARTNER', m.id, c.code, ''
      from generate_series(1, ${MEMBERS * PARTNERS_PER_MEMBER}) g
      join organisation m on m.code = 'scale-m' || lpad((((g - 1) % ${MEMBERS}) + 1)::text, 2, '0')
      join sc_country c on c.n = ((g - 1) % ${COUNTRIES}) + 1
      order by g;
      update organisation o set path = m.path || o.id || '/' from organisation m where m.id = o.parent_id and o.code like 'scale-p%'`);

    // Indicators.
    const kinds = INDICATOR_KINDS.map(([c, u, set], k) => `(${k}, '${c}'::indicator_category, '${u}'::indicator_unit, ${set ? `'${set}'` : 'null'})`).join(', ');
    await run('indicators', `
      insert into indicator (code, name_en, name_nl, description_en, description_nl, unit, category, period_aggregation, ascending, disaggregation_set_id)
      select 'SCALE-' || lpad(g::text, 3, '0'), 'Scale indicator ' || g || ' (' || lower(k.category::text) || ')',
        'Schaalindicator ' || g, 'Synthetic indicator for benchmarks.', 'Synthetische indicator voor benchmarks.',
        k.unit, k.category, (case when g % 10 = 7 then 'LAST' else 'SUM' end)::period_aggregation, true,
        (select ds.id from disaggregation_set ds where ds.code = k.set_code order by ds.version desc limit 1)
      from generate_series(1, ${INDICATORS}) g join (values ${kinds}) as k(n, category, unit, set_code) on k.n = (g - 1) % ${INDICATOR_KINDS.length}
      order by g`);

    // Programmes, their countries, participants.
    await run('programmes', `
      insert into programme (code, name_en, name_nl, description_en, description_nl, lead_organisation_id, start_date, end_date, reporting_period_type)
      select 'scale-prog-' || lpad(p::text, 2, '0'), 'Scale programme ' || p, 'Schaalprogramma ' || p,
        'Synthetic programme for benchmarks.', 'Synthetisch programma voor benchmarks.', m.id, '${YEARS.from}-01-01', '${YEARS.to}-12-31',
        (case when p % 2 = 1 then 'MONTH' else 'SEMESTER' end)::period_type
      from generate_series(1, ${PROGRAMMES}) p join organisation m on m.code = 'scale-m' || lpad((((p - 1) % ${MEMBERS}) + 1)::text, 2, '0')
      order by p;
      create temp table sc_prog on commit drop as
        select id, substr(code, 12)::int as p, lead_organisation_id as lead_id, reporting_period_type::text as type from programme where code like 'scale-prog-%';
      create temp table sc_prog_country on commit drop as
        select pr.id as programme_id, pr.p, k, c.code from sc_prog pr cross join generate_series(0, ${PARTNERS_PER_PROGRAMME - 1}) k
        join sc_country c on c.n = ((pr.p - 1) * ${PARTNERS_PER_PROGRAMME} + k) % ${COUNTRIES} + 1;
      insert into programme_country (programme_id, country_code) select programme_id, code from sc_prog_country order by programme_id, k;
      create temp table sc_partner on commit drop as
        select pr.id as programme_id, k, o.id as organisation_id from sc_prog pr cross join generate_series(0, ${PARTNERS_PER_PROGRAMME - 1}) k
        join organisation o on o.code = 'scale-p' || lpad((((pr.p - 1) % ${MEMBERS}) + 1 + ${MEMBERS} * ((k + ((pr.p - 1) / ${MEMBERS}) * 3) % ${PARTNERS_PER_MEMBER}))::text, 3, '0');
      insert into programme_participant (programme_id, organisation_id, role)
        select id, lead_id, 'LEAD'::participant_role from sc_prog
        union all select pr.id, m.id, 'MEMBER' from sc_prog pr join organisation m on m.code = 'scale-m' || lpad(((pr.p % ${MEMBERS}) + 1)::text, 2, '0')
        union all select programme_id, organisation_id, 'IMPLEMENTING_PARTNER' from sc_partner
        order by 1, 3, 2`);

    // Places: each country alone, and one group of three countries per programme.
    await run('places', `
      insert into place (key, country_codes) select code, array[code] from sc_country order by n on conflict (key) do nothing;
      create temp table sc_group on commit drop as
        select programme_id, string_agg(code, '+' order by code) as key, array_agg(code order by code) as codes from sc_prog_country where k < 3 group by programme_id;
      insert into place (key, country_codes) select distinct key, codes from sc_group order by key on conflict (key) do nothing`);

    // Periods: months, quarters, half years and years.
    await run('periods', `
      insert into period (code, type, start_date, end_date)
      select code, type::period_type, start_date, end_date from (
      select to_char(d, 'YYYY-MM'), 'MONTH', d::date, (d + interval '1 month' - interval '1 day')::date
        from generate_series('${YEARS.from}-01-01'::timestamp, '${YEARS.to}-12-01', interval '1 month') d
      union all select to_char(d, 'YYYY') || 'Q' || extract(quarter from d), 'QUARTER', d::date, (d + interval '3 months' - interval '1 day')::date
        from generate_series('${YEARS.from}-01-01'::timestamp, '${YEARS.to}-10-01', interval '3 months') d
      union all select to_char(d, 'YYYY') || 'S' || (case when extract(month from d) = 1 then 1 else 2 end), 'SEMESTER', d::date, (d + interval '6 months' - interval '1 day')::date
        from generate_series('${YEARS.from}-01-01'::timestamp, '${YEARS.to}-07-01', interval '6 months') d
      union all select to_char(d, 'YYYY'), 'YEAR', d::date, (d + interval '1 year' - interval '1 day')::date
        from generate_series('${YEARS.from}-01-01'::timestamp, '${YEARS.to}-01-01', interval '1 year') d
      ) x(code, type, start_date, end_date)
      on conflict (code) do nothing;
      create temp table sc_period on commit drop as select code::text, type::text, start_date, end_date from period
        where start_date >= '${YEARS.from}-01-01' and end_date <= '${YEARS.to}-12-31' and type in ('MONTH', 'SEMESTER', 'YEAR')`);

    // Series (one reporting organisation, place, indicator and breakdown of a programme): the local partners per
    // country in the programme's period type, the lead yearly for the programme's group of countries.
    // Enough indicators per programme are linked to reach the wanted number of rows.
    const seriesSql = (m: number) => `
      with ind as (
        select pr.id as programme_id, j, i.id as indicator_id, i.disaggregation_set_id as set_id
        from sc_prog pr cross join generate_series(0, ${m - 1}) j
        join indicator i on i.code = 'SCALE-' || lpad((((pr.p - 1) * 7 + j) % ${INDICATORS} + 1)::text, 3, '0')
      ), brk as (
        select ind.*, d.id as disaggregation_id from ind
        left join disaggregation d on d.set_id = ind.set_id and d.sex is not null and d.age_band_code is null
      )
      select b.programme_id, b.indicator_id, sp.organisation_id, pl.id as place_id, b.disaggregation_id, pr.type as period_type
        from brk b join sc_prog pr on pr.id = b.programme_id join sc_partner sp on sp.programme_id = b.programme_id
        join sc_prog_country pc on pc.programme_id = b.programme_id and pc.k = sp.k join place pl on pl.key = pc.code
      union all
      select b.programme_id, b.indicator_id, pr.lead_id, pl.id, b.disaggregation_id, 'YEAR'
        from brk b join sc_prog pr on pr.id = b.programme_id join sc_group g on g.programme_id = b.programme_id join place pl on pl.key = g.key`;
    const periodsOf = `(select type, count(*) as n from sc_period group by type)`;
    // At least 8 indicators per programme, so that even a small data set has room for the 5,000-row benchmark submission.
    let m = Math.min(INDICATORS, Math.max(8, Math.ceil((N / 32_000) * 1.1)));
    for (;;) {
      const available = await one(`select coalesce(sum(pt.n), 0) from (${seriesSql(m)}) x join ${periodsOf} pt on pt.type = x.period_type`);
      if (available >= N || m === INDICATORS) break;
      m = Math.min(INDICATORS, m + Math.max(1, Math.ceil(m * ((N - available) / Math.max(available, 1)))));
    }
    log(`${m} indicators per programme`);
    await run('', `create temp table sc_series on commit drop as
      select row_number() over (order by md5('${s}:' || programme_id || ':' || indicator_id || ':' || organisation_id || ':' || place_id || ':' || coalesce(disaggregation_id, 0)))::int as sn, x.*
      from (${seriesSql(m)}) x`);
    await run('', `insert into programme_indicator (programme_id, indicator_id) select distinct programme_id, indicator_id from sc_series order by 1, 2`);

    // Results: whole series in a seeded order, each over every period of its type, until N rows.
    // Values depend on the category; about 95% are approved, the rest in review or draft.
    await run(`${N.toLocaleString('en')} results`, `
      insert into result (programme_id, indicator_id, reporting_organisation_id, place_id, period_code, disaggregation_id, value, status, created_at, updated_at)
      select programme_id, indicator_id, organisation_id, place_id, code, disaggregation_id,
        floor(pg_temp.rnd(${s}, sn::bigint * 1000 + pn, 1) * (case when period_type = 'YEAR' then 2400 when period_type = 'SEMESTER' then 1200 else 200 end)),
        (case when pg_temp.rnd(${s}, sn::bigint * 1000 + pn, 2) < 0.95 then 'APPROVED' when pg_temp.rnd(${s}, sn::bigint * 1000 + pn, 2) < 0.98 then 'SUBMITTED' else 'DRAFT' end)::result_status,
        timestamptz '2025-01-01 00:00:00+00', timestamptz '2025-01-01 00:00:00+00'
      from (
        select x.*, pe.code, row_number() over (partition by x.sn order by pe.start_date) as pn
        from sc_series x join sc_period pe on pe.type = x.period_type
        order by x.sn, pe.start_date limit ${N}
      ) r`);

    // Targets: per programme, indicator and country a yearly target, and a lifetime target for the country group.
    await run('targets', `
      insert into target (programme_id, indicator_id, place_id, period_code, disaggregation_id, baseline, value)
      select pi.programme_id, pi.indicator_id, pl.id, pe.code, null::int,
        case when pg_temp.rnd(${s}, pi.id * 100 + pc.k, 3) < 0.3 then floor(pg_temp.rnd(${s}, pi.id * 100 + pc.k, 4) * 200) end,
        200 + floor(pg_temp.rnd(${s}, (pi.id * 100 + pc.k) * 100 + extract(year from pe.start_date)::int - ${YEARS.from}, 5) * 2000)
      from programme_indicator pi join sc_prog pr on pr.id = pi.programme_id
      join sc_prog_country pc on pc.programme_id = pi.programme_id join place pl on pl.key = pc.code
      join sc_period pe on pe.type = 'YEAR'
      union all
      select pi.programme_id, pi.indicator_id, pl.id, null, null, null::numeric, 20000 + floor(pg_temp.rnd(${s}, pi.id, 6) * 50000)
      from programme_indicator pi join sc_group g on g.programme_id = pi.programme_id join place pl on pl.key = g.key
      order by 1, 2, 3, 4 nulls last`);

    // Case registry: one case per 50 results, referrals for most, legal actions for some; each in a district
    // (an ISO 3166-2 subdivision) of its country, where the country has any.
    await tx.execute(
      `create temp table sc_district on commit drop as
       select left(code, 2) as country_code, array_agg(code order by code) as codes from unnest(?::text[]) code group by 1`,
      [pgArray(iso31662.map((d) => d.code))],
    );
    const cases = Math.max(1, Math.floor(N / 50));
    await run('cases', `
      insert into child_case (reference, owner_organisation_id, programme_id, country_code, district, reported_on, channel, main_exploitation,
        sex, age_band, status, consent_to_share, consent_for_services, consent_recorded_on, closed_on, synthetic, created_at, updated_at)
      select 'CR-S' || upper(lpad(to_hex(n), 7, '0')) || '-' || upper(substr(md5('${s}:case:' || n), 1, 4)),
        sp.organisation_id, sp.programme_id, pc.code,
        d.codes[1 + floor(pg_temp.rnd(${s}, n, 17) * cardinality(d.codes))::int],
        date '${YEARS.from}-01-01' + floor(pg_temp.rnd(${s}, n, 10) * 3640)::int,
        (array['HOTLINE','APP','COMMUNITY','POLICE','SCHOOL','HEALTH_SERVICE','SELF_REPORTED','OTHER'])[1 + floor(pg_temp.rnd(${s}, n, 11) * 8)::int]::reporting_channel,
        (array['SEXUAL_EXPLOITATION','ONLINE_SEXUAL_EXPLOITATION','FORCED_LABOUR','DEBT_BONDAGE','TRAFFICKING_FOR_RANSOM','CHILD_MARRIAGE','OTHER'])[1 + floor(pg_temp.rnd(${s}, n, 12) * 7)::int]::exploitation_type,
        (array['GIRL','GIRL','BOY','OTHER'])[1 + floor(pg_temp.rnd(${s}, n, 13) * 4)::int]::child_sex,
        (array['AGE_0_5','AGE_6_11','AGE_12_14','AGE_15_17'])[1 + floor(pg_temp.rnd(${s}, n, 14) * 4)::int]::child_age_band,
        (case when pg_temp.rnd(${s}, n, 15) < 0.6 then 'CLOSED_REFERRED' when pg_temp.rnd(${s}, n, 15) < 0.8 then 'ACTIVE' else 'FOLLOW_UP' end)::case_status,
        true, pg_temp.rnd(${s}, n, 16) < 0.9, date '${YEARS.from}-01-01' + floor(pg_temp.rnd(${s}, n, 10) * 3640)::int,
        case when pg_temp.rnd(${s}, n, 15) < 0.6 then date '${YEARS.from}-01-01' + floor(pg_temp.rnd(${s}, n, 10) * 3640)::int + 90 end,
        true, timestamptz '2025-01-01 00:00:00+00', timestamptz '2025-01-01 00:00:00+00'
      from generate_series(1, ${cases}) n
      join sc_partner sp on sp.programme_id = (select id from sc_prog where p = (n - 1) % ${PROGRAMMES} + 1) and sp.k = ((n - 1) / ${PROGRAMMES}) % ${PARTNERS_PER_PROGRAMME}
      join sc_prog_country pc on pc.programme_id = sp.programme_id and pc.k = sp.k
      left join sc_district d on d.country_code = pc.code
      order by n`);
    await run('referrals', `
      insert into referral (case_id, from_organisation_id, to_organisation_id, service, status, referred_on, responded_on, closed_on, successful, reason)
      select c.id, c.owner_organisation_id, sp.organisation_id,
        (array['SHELTER','MEDICAL','PSYCHOSOCIAL','LEGAL_AID','EDUCATION','VOCATIONAL_TRAINING','FAMILY_REUNIFICATION','LIVELIHOOD'])[1 + floor(pg_temp.rnd(${s}, c.id, 20) * 8)::int]::service_type,
        case when c.status = 'CLOSED_REFERRED' then (case when pg_temp.rnd(${s}, c.id, 21) < 0.9 then 'DONE' else 'REJECTED' end) else 'IN_PROGRESS' end::referral_status,
        c.reported_on + 3, case when c.status = 'CLOSED_REFERRED' then c.reported_on + 5 end, c.closed_on,
        case when c.status = 'CLOSED_REFERRED' and pg_temp.rnd(${s}, c.id, 21) < 0.9 then pg_temp.rnd(${s}, c.id, 22) < 0.8 end,
        case when c.status = 'CLOSED_REFERRED' and pg_temp.rnd(${s}, c.id, 21) >= 0.9 then 'NO_CAPACITY'::referral_reason
             when c.status = 'CLOSED_REFERRED' and pg_temp.rnd(${s}, c.id, 22) >= 0.8 then 'CHILD_DECLINED'::referral_reason end
      from child_case c
      join sc_partner sp on sp.programme_id = c.programme_id and sp.organisation_id <> c.owner_organisation_id
        and sp.k = (floor(pg_temp.rnd(${s}, c.id, 23) * ${PARTNERS_PER_PROGRAMME}))::int
      where c.programme_id in (select id from sc_prog) and c.consent_for_services and c.status <> 'ACTIVE'
      order by c.id`);
    await run('legal actions', `
      insert into legal_action (organisation_id, programme_id, case_id, country_code, type, action_on, synthetic, created_at)
      select c.owner_organisation_id, c.programme_id, c.id, c.country_code,
        (array['INVESTIGATION','ARREST','PROSECUTION','PROSECUTION','CONVICTION','ACQUITTAL'])[1 + floor(pg_temp.rnd(${s}, c.id, 30) * 6)::int]::legal_action_type,
        least(c.reported_on + 30, date '${YEARS.to}-12-31'), true, timestamptz '2025-01-01 00:00:00+00'
      from child_case c where c.programme_id in (select id from sc_prog) and pg_temp.rnd(${s}, c.id, 31) < 0.1 order by c.id`);
    await run('', `insert into service_offering (organisation_id, service, country_code)
      select distinct sp.organisation_id, sv::service_type, pc.code from sc_partner sp join sc_prog_country pc on pc.programme_id = sp.programme_id and pc.k = sp.k
      cross join unnest(array['SHELTER','MEDICAL','PSYCHOSOCIAL','LEGAL_AID','EDUCATION','VOCATIONAL_TRAINING','FAMILY_REUNIFICATION','LIVELIHOOD']) sv
      on conflict do nothing`);

    const count = (sql: string) => one(sql);
    return {
      results: await count(`select count(*) from result r join programme p on p.id = r.programme_id where p.code like 'scale-prog-%'`),
      targets: await count(`select count(*) from target t join programme p on p.id = t.programme_id where p.code like 'scale-prog-%'`),
      cases: await count(`select count(*) from child_case where programme_id in (select id from sc_prog)`),
      referrals: await count(`select count(*) from referral r join child_case c on c.id = r.case_id where c.programme_id in (select id from sc_prog)`),
      legalActions: await count(`select count(*) from legal_action l join child_case c on c.id = l.case_id where c.programme_id in (select id from sc_prog)`),
      programmes: PROGRAMMES,
      indicatorsPerProgramme: m,
    };
  });
}
