import { Country } from '../modules/countries/country.entity.js';
import { Organisation } from '../modules/organisations/organisation.entity.js';
import { SourceDocument } from '../modules/sources/source-document.entity.js';
import { Programme, ProgrammeCountry, ProgrammeIndicator, ProgrammeParticipant } from '../modules/programmes/programme.entity.js';
import { Indicator } from '../modules/indicators/indicator.entity.js';
import { AgeBand, Disaggregation, DisaggregationSet } from '../modules/indicators/disaggregation.entity.js';
import { Period } from '../modules/periods/period.entity.js';
import { Place } from '../modules/places/place.entity.js';
import { Result } from '../modules/results/result.entity.js';
import { Target } from '../modules/results/target.entity.js';
import { ApiKey } from '../modules/access/api-key.entity.js';
import { AuditEntry } from '../modules/audit/audit-entry.entity.js';
import { PeriodLock } from '../modules/periods/period-lock.entity.js';
import { IdempotencyKey } from '../modules/submissions/idempotency-key.entity.js';
import { Case, LegalAction, Referral, ServiceOffering } from '../modules/cases/case.entity.js';

/** Every entity, listed explicitly (no folder discovery, which breaks under ESM and bundlers). */
export const entities = [
  Country,
  Organisation,
  SourceDocument,
  Programme,
  ProgrammeParticipant,
  ProgrammeCountry,
  ProgrammeIndicator,
  Indicator,
  AgeBand,
  DisaggregationSet,
  Disaggregation,
  Period,
  Place,
  Result,
  Target,
  ApiKey,
  AuditEntry,
  PeriodLock,
  IdempotencyKey,
  Case,
  Referral,
  LegalAction,
  ServiceOffering,
];
