import type { EntityManager } from '@mikro-orm/postgresql';
import { pgArray } from '../sql.js';
import { newCaseReference } from '../../modules/cases/case.service.js';

/**
 * Demo data for the case registry. SYNTHETIC: made-up records, every one marked `synthetic`, that reproduce
 * what Terre des Hommes published about its Bangladesh reporting-and-referral system for 2022 — 80 cases of child
 * trafficking reported through the system, and every victim referred to the right services (seed 004).
 * Everything else about them (district, sex, age band, exploitation type, services, outcomes, dates) is invented, spread
 * so that each published group has at least 11 cases and the demo shows whole numbers; it describes no real child.
 *
 * The report does not say how many services ended successfully: the demo lets 65 of the 80 end successfully
 * (the 15 child-marriage cases did not). Being synthetic, they count in the headline figures only when
 * `includeSyntheticRegistry` asks for them, and the registry source then says `synthetic: true`.
 */
export const SYNTHETIC_PROVIDER = {
  code: 'demo-bd-service-provider',
  name: 'Demo service provider, Dhaka (synthetic)',
};

/** Districts of the demo cases (ISO 3166-2): Dhaka, Khulna, Jashore and Satkhira, in turn. */
const DEMO_DISTRICTS = ['BD-13', 'BD-27', 'BD-22', 'BD-58'];

const SERVICE_BY_TYPE: Record<string, string> = {
  SEXUAL_EXPLOITATION: 'SHELTER',
  ONLINE_SEXUAL_EXPLOITATION: 'PSYCHOSOCIAL',
  FORCED_LABOUR: 'EDUCATION',
  CHILD_MARRIAGE: 'LEGAL_AID',
};

/** 80 cases: by main type 25/20/20/15, by sex 50 girls/30 boys, by age 35 aged 12–14 and 45 aged 15–17. */
function demoCases(): { type: string; sex: string; age: string; assisted: boolean }[] {
  const cases: { type: string; sex: string; age: string; assisted: boolean }[] = [];
  // The 15 child-marriage cases: girls aged 15–17, service not completed.
  for (let i = 0; i < 15; i++) cases.push({ type: 'CHILD_MARRIAGE', sex: 'GIRL', age: 'AGE_15_17', assisted: false });
  // 35 other girls: 20 sexual exploitation, 15 online; 30 boys: 5 sexual exploitation, 5 online, 20 forced labour.
  const others = [
    ...Array.from({ length: 20 }, () => ({ type: 'SEXUAL_EXPLOITATION', sex: 'GIRL' })),
    ...Array.from({ length: 15 }, () => ({ type: 'ONLINE_SEXUAL_EXPLOITATION', sex: 'GIRL' })),
    ...Array.from({ length: 5 }, () => ({ type: 'SEXUAL_EXPLOITATION', sex: 'BOY' })),
    ...Array.from({ length: 5 }, () => ({ type: 'ONLINE_SEXUAL_EXPLOITATION', sex: 'BOY' })),
    ...Array.from({ length: 20 }, () => ({ type: 'FORCED_LABOUR', sex: 'BOY' })),
  ];
  // Of these 65, 35 are aged 12–14 and 30 aged 15–17.
  others.forEach((c, i) => cases.push({ ...c, age: i < 35 ? 'AGE_12_14' : 'AGE_15_17', assisted: true }));
  return cases;
}

/** Loads the synthetic registry into a database that has the published data. Idempotent: only when it has no cases. */
export async function seedCaseRegistry(tx: EntityManager): Promise<void> {
  const [existing] = (await tx.execute('select count(*)::int as n from child_case')) as { n: number }[];
  if (existing.n > 0) return;
  const [ids] = (await tx.execute(
    `select (select id from organisation where code = 'tdh-nl') as owner, (select path from organisation where code = 'tdh-nl') as owner_path,
            (select id from programme where code = 'bangladesh-referral') as programme`,
  )) as { owner: number; owner_path: string; programme: number }[];
  if (!ids?.owner || !ids.programme) return;

  // Registry-fed indicators for the headline figures.
  await tx.execute(
    `insert into indicator (code, name_en, name_nl, description_en, description_nl, unit, category, period_aggregation, ascending, registry_measure) values
     ('REG-VICTIMS-ASSISTED', 'Victims assisted (from the case registry)', 'Geholpen slachtoffers (uit het zaakregister)',
      'Children whose case was reported in the year and who received at least one service to the end, successfully: counted from the case registry, protected (groups under 11 left out, rounded to 5).',
      'Kinderen van wie de zaak dat jaar werd gemeld en die ten minste één dienst met succes hebben afgerond: geteld uit het zaakregister, beschermd.',
      'VICTIMS', 'VICTIMS_ASSISTED', 'SUM', true, 'VICTIMS_ASSISTED'),
     ('REG-PROSECUTIONS', 'Prosecutions (from the case registry)', 'Vervolgingen (uit het zaakregister)',
      'Prosecutions of suspected offenders recorded in the case registry in the year, protected (groups under 11 left out, rounded to 5).',
      'Vervolgingen van verdachten, vastgelegd in het zaakregister, beschermd.',
      'OFFENDERS', 'PROSECUTIONS', 'SUM', true, 'PROSECUTIONS')
     on conflict (code) do nothing`,
  );

  const [provider] = (await tx.execute(
    `insert into organisation (code, name, kind, parent_id, country_code, path) values (?, ?, 'NGO', null, 'BD', '') returning id`,
    [SYNTHETIC_PROVIDER.code, SYNTHETIC_PROVIDER.name],
  )) as { id: number }[];
  await tx.execute(`update organisation set path = '/' || id || '/' where id = ?`, [provider.id]);
  await tx.execute(
    `insert into service_offering (organisation_id, service, country_code) select ?, s::service_type, 'BD' from unnest(?::text[]) as s`,
    [provider.id, pgArray(['SHELTER', 'MEDICAL', 'PSYCHOSOCIAL', 'LEGAL_AID', 'EDUCATION', 'FAMILY_REUNIFICATION'])],
  );

  const cases = demoCases();
  for (const [i, c] of cases.entries()) {
    // Spread over 2022: a report every 4 to 5 days, referred 1 to 9 days later.
    const reported = new Date(Date.UTC(2022, 0, 3 + Math.floor(i * 4.5)));
    const referred = new Date(reported.getTime() + (1 + (i % 9)) * 86_400_000);
    const answered = new Date(referred.getTime() + 2 * 86_400_000);
    const ended = new Date(answered.getTime() + 60 * 86_400_000);
    const day = (d: Date) => d.toISOString().slice(0, 10);
    const [row] = (await tx.execute(
      `insert into child_case (reference, owner_organisation_id, programme_id, country_code, district, reported_on, channel, main_exploitation, other_exploitation,
         sex, age_band, status, consent_to_share, consent_for_services, consent_recorded_on, closed_on, synthetic)
       values (?, ?, ?, 'BD', ?, ?, ?, ?, '{}', ?, ?, 'CLOSED_REFERRED', true, true, ?, ?, true) returning id`,
      [newCaseReference(), ids.owner, ids.programme, DEMO_DISTRICTS[i % DEMO_DISTRICTS.length],
        day(reported), i % 3 === 0 ? 'APP' : i % 3 === 1 ? 'COMMUNITY' : 'HOTLINE', c.type, c.sex, c.age, day(reported), day(ended)],
    )) as { id: number }[];
    await tx.execute(
      `insert into referral (case_id, from_organisation_id, to_organisation_id, service, status, referred_on, responded_on, closed_on, successful, reason)
       values (?, ?, ?, ?, 'DONE', ?, ?, ?, ?, ?)`,
      [row.id, ids.owner, provider.id, SERVICE_BY_TYPE[c.type], day(referred), day(answered), day(ended), c.assisted, c.assisted ? null : 'CHILD_DECLINED'],
    );
  }
}
