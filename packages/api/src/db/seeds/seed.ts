import type { EntityManager } from '@mikro-orm/postgresql';
import { WORLD_COUNTRIES } from '../../modules/countries/world-countries.js';
import { Country } from '../../modules/countries/country.entity.js';
import { Organisation } from '../../modules/organisations/organisation.entity.js';
import { SourceDocument } from '../../modules/sources/source-document.entity.js';
import { Programme, ProgrammeCountry, ProgrammeIndicator, ProgrammeParticipant } from '../../modules/programmes/programme.entity.js';
import { ProgrammeKind } from '../../modules/programmes/programme.enums.js';
import { Indicator } from '../../modules/indicators/indicator.entity.js';
import { AgeBand, DisaggregationSet } from '../../modules/indicators/disaggregation.entity.js';
import { Result } from '../../modules/results/result.entity.js';
import { Target } from '../../modules/results/target.entity.js';
import { ResultStatus } from '../../modules/results/result.enums.js';
import { PeriodAggregation } from '../../modules/indicators/indicator.enums.js';
import { ensurePlace } from '../../modules/places/place.service.js';
import { ensurePeriod } from '../../modules/periods/period.service.js';
import { generateCombinations, findCombination } from '../../modules/indicators/disaggregation.service.js';
import * as data from './published-data.js';
import { seedCaseRegistry } from './case-registry.js';

/**
 * Every ISO 3166-1 country with English and Dutch names and region, from the maintained
 * `world-countries` package. Kosovo (XK) is left out: it has no ISO 3166-1 code.
 * Inserts only missing countries, so it is safe to run on every start.
 */
export async function seedCountries(em: EntityManager): Promise<number> {
  const rows = WORLD_COUNTRIES
    .filter((c) => c.ccn3 !== '' && c.cca2.length === 2)
    .map((c) => ({
      code: c.cca2,
      alpha3: c.cca3,
      name_en: c.name.common,
      name_nl: c.translations.nld?.common ?? c.name.common,
      region: c.region,
      subregion: c.subregion || c.region,
    }));
  const result = await em.getKnex().insert(rows).into('country').onConflict('code').ignore();
  return (result as unknown as { rowCount?: number }).rowCount ?? 0;
}

/**
 * Loads the published figures once. Returns false (and changes nothing) when they are already there,
 * so `npm start` can call it every time.
 */
export async function seedPublishedData(em: EntityManager): Promise<boolean> {
  return em.transactional(async (tx) => {
    // One lock so two api processes starting at once cannot both load the data.
    await tx.execute('select pg_advisory_xact_lock(727001)');
    const existing = await tx.count(SourceDocument, { code: { $in: data.sourceDocuments.map((d) => d.code) } });
    if (existing > 0) return false;

    const orgs = new Map<string, Organisation>();
    for (const o of data.organisations) {
      const parent = o.parent ? orgs.get(o.parent) : undefined;
      const org = tx.create(Organisation, {
        code: o.code,
        name: o.name,
        kind: o.kind,
        parent: parent ?? null,
        country: o.country ? tx.getReference(Country, o.country) : null,
        path: '',
      });
      await tx.flush();
      org.path = `${parent ? parent.path : '/'}${org.id}/`;
      orgs.set(o.code, org);
    }

    const docs = new Map<string, SourceDocument>();
    for (const d of data.sourceDocuments) {
      docs.set(
        d.code,
        tx.create(SourceDocument, {
          code: d.code,
          title: d.title,
          language: 'nl',
          fileName: d.fileName,
          publisher: d.publisher ? orgs.get(d.publisher)! : null,
          publishedOn: d.publishedOn ?? null,
        }),
      );
    }

    for (const band of data.ageBands) tx.create(AgeBand, band);
    const sets = new Map<string, DisaggregationSet>();
    for (const s of data.disaggregationSets) {
      const set = tx.create(DisaggregationSet, { ...s, version: 1 });
      sets.set(s.code, set);
    }
    await tx.flush();
    for (const set of sets.values()) await generateCombinations(tx, set);

    const indicators = new Map<string, Indicator>();
    for (const i of data.indicators) {
      indicators.set(
        i.code,
        tx.create(Indicator, {
          code: i.code,
          nameEn: i.nameEn,
          nameNl: i.nameNl,
          descriptionEn: i.descriptionEn,
          descriptionNl: i.descriptionNl,
          unit: i.unit,
          category: i.category,
          periodAggregation: i.periodAggregation ?? PeriodAggregation.SUM,
          ascending: true,
          disaggregationSet: i.disaggregationSet ? sets.get(i.disaggregationSet)! : null,
        }),
      );
    }
    await tx.flush();

    for (const p of data.programmes) {
      const programme = tx.create(Programme, {
        code: p.code,
        nameEn: p.nameEn,
        nameNl: p.nameNl,
        descriptionEn: p.descriptionEn,
        descriptionNl: p.descriptionNl,
        leadOrganisation: orgs.get(p.lead)!,
        kind: p.kind ?? ProgrammeKind.PROGRAMME,
        exploitationTypes: p.exploitationTypes,
        startDate: p.startDate ?? null,
        endDate: p.endDate ?? null,
        reportingPeriodType: p.reportingPeriodType,
      });
      for (const part of p.participants) tx.create(ProgrammeParticipant, { programme, organisation: orgs.get(part.organisation)!, role: part.role });
      for (const code of p.countries) tx.create(ProgrammeCountry, { programme, country: tx.getReference(Country, code) });
      const used = new Set([...p.results, ...p.targets].map((f) => f.indicator));
      for (const code of used) tx.create(ProgrammeIndicator, { programme, indicator: indicators.get(code)! });
      const source = docs.get(p.source)!;

      for (const t of p.targets) {
        const indicator = indicators.get(t.indicator)!;
        tx.create(Target, {
          programme,
          indicator,
          place: await ensurePlace(tx, t.countries),
          period: t.period ? await ensurePeriod(tx, t.period) : null,
          disaggregation: t.sex ? await findCombination(tx, indicator, { sex: t.sex }) : null,
          value: t.value,
          comment: t.comment ?? null,
          sourceDocument: source,
          sourceExcerpt: t.excerpt,
        });
      }
      for (const r of p.results) {
        const indicator = indicators.get(r.indicator)!;
        tx.create(Result, {
          programme,
          indicator,
          reportingOrganisation: orgs.get(p.reportedBy)!,
          place: await ensurePlace(tx, r.countries),
          period: await ensurePeriod(tx, r.period ?? p.resultPeriod),
          disaggregation: r.sex ? await findCombination(tx, indicator, { sex: r.sex }) : null,
          value: r.value,
          status: ResultStatus.APPROVED,
          comment: r.comment ?? null,
          sourceDocument: source,
          sourceExcerpt: r.excerpt,
        });
      }
    }
    await tx.flush();
    await seedCaseRegistry(tx);
    return true;
  });
}
