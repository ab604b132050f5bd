import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../graphql/context.js';
import { PageArgs, pageRequest, toConnection } from '../../graphql/pagination.js';
import { NotFoundError } from '../../graphql/errors.js';
import { fromGlobalIntId } from '../node/global-id.js';
import { Organisation } from '../organisations/organisation.entity.js';
import { Programme } from '../programmes/programme.entity.js';
import { Country } from '../countries/country.entity.js';
import { Subdivision, subdivision } from '../countries/subdivision.js';
import { Case, LegalAction, Referral, ServiceOffering } from './case.entity.js';
import {
  CaseConnection,
  CaseFilter,
  CasePayload,
  CompleteReferralInput,
  LegalActionConnection,
  LegalActionPayload,
  RecordLegalActionInput,
  ReferCaseInput,
  ReferralConnection,
  ReferralFilter,
  ReferralPayload,
  ReportCaseInput,
  RespondToReferralInput,
  RevokeReferralInput,
  ServiceOfferingConnection,
  ServiceOfferingFilter,
  ServiceOfferingsPayload,
  SetServiceOfferingsInput,
  UpdateCaseInput,
} from './case.types.js';
import { caseService } from './case.service.js';
import { serviceOfferingService } from './service-offering.service.js';

@Resolver(() => Case)
export class CaseResolver {
  @Query(() => CaseConnection, {
    description: 'Cases your organisation owns or that were referred to it, newest first. Case workers only; every case returned is recorded in the audit trail as read.',
  })
  async cases(@Args() page: PageArgs, @Arg('filter', () => CaseFilter, { nullable: true, description: 'Conditions the cases must meet.' }) filter: CaseFilter | null, @Ctx() ctx: Context) {
    return toConnection(await caseService.list(ctx, filter, pageRequest(page)));
  }

  @Query(() => Case, { name: 'case', description: 'One case you may see (recorded as read). Any other ID gives NOT_FOUND.' })
  async caseById(@Arg('id', () => ID, { description: 'The case\'s ID.' }) id: string, @Ctx() ctx: Context) {
    const key = fromGlobalIntId(id, 'Case');
    const found = key === null ? null : await caseService.load(ctx, key);
    if (!found) throw new NotFoundError('No case with that ID is visible to you.', 'id');
    return found;
  }

  @Mutation(() => CasePayload, { description: 'Records a new case for your organisation. Case workers only. Safe to retry with an idempotency key.' })
  reportCase(@Arg('input', () => ReportCaseInput, { description: 'The case.' }) input: ReportCaseInput, @Ctx() ctx: Context) {
    return caseService.report(ctx, input, ctx.idempotencyKey);
  }

  @Mutation(() => CasePayload, { description: 'Changes a case your organisation owns: status, district or consent.' })
  updateCase(@Arg('input', () => UpdateCaseInput, { description: 'The changes.' }) input: UpdateCaseInput, @Ctx() ctx: Context) {
    return caseService.update(ctx, input);
  }

  @Mutation(() => ReferralPayload, {
    description:
      'Refers the child of a case your organisation owns to a service provider. Refused without consent for services, and, for another organisation, without consent to share. Safe to retry with an idempotency key.',
  })
  referCase(@Arg('input', () => ReferCaseInput, { description: 'The referral.' }) input: ReferCaseInput, @Ctx() ctx: Context) {
    return caseService.refer(ctx, input, ctx.idempotencyKey);
  }

  @Mutation(() => ReferralPayload, { description: 'Accepts or rejects a referral sent to your organisation.' })
  respondToReferral(@Arg('input', () => RespondToReferralInput, { description: 'The answer.' }) input: RespondToReferralInput, @Ctx() ctx: Context) {
    return caseService.respond(ctx, input);
  }

  @Mutation(() => ReferralPayload, { description: 'Records the end of a service your organisation accepted: successful or not.' })
  completeReferral(@Arg('input', () => CompleteReferralInput, { description: 'The outcome.' }) input: CompleteReferralInput, @Ctx() ctx: Context) {
    return caseService.complete(ctx, input);
  }

  @Mutation(() => ReferralPayload, { description: 'Withdraws an open referral your organisation sent.' })
  revokeReferral(@Arg('input', () => RevokeReferralInput, { description: 'The referral and why.' }) input: RevokeReferralInput, @Ctx() ctx: Context) {
    return caseService.revoke(ctx, input);
  }

  @FieldResolver(() => Organisation, { description: 'The organisation that owns the case.' })
  ownerOrganisation(@Root() c: Case, @Ctx() ctx: Context) {
    return ctx.loaders.byKey(Organisation).load(c.ownerOrganisation.id);
  }

  @FieldResolver(() => Programme, { nullable: true, description: 'The programme the case is handled under.' })
  programme(@Root() c: Case, @Ctx() ctx: Context) {
    return c.programme ? ctx.loaders.byKey(Programme).load(c.programme.id) : null;
  }

  @FieldResolver(() => Country, { description: 'The country where the case was reported.' })
  country(@Root() c: Case, @Ctx() ctx: Context) {
    return ctx.loaders.byKey(Country, 'code').load(c.country.unwrap().code);
  }

  @FieldResolver(() => Subdivision, {
    nullable: true,
    description: 'The district where the case was reported: an ISO 3166-2 subdivision of its country, with its name. Removed when the ' +
      'retention period after closing ends.',
  })
  subdivision(@Root() c: Case): Subdivision | null {
    return c.district ? (subdivision(c.district) ?? { code: c.district, name: c.district }) : null;
  }

  @FieldResolver(() => ReferralConnection, { description: 'The case\'s referrals: all of them for the owner; for a service provider, those sent to it.' })
  async referrals(@Root() c: Case, @Args() page: PageArgs, @Ctx() ctx: Context) {
    return toConnection(await caseService.referralsOfCase(ctx, c.id, pageRequest(page)));
  }

  @FieldResolver(() => LegalActionConnection, { description: 'Legal actions your organisation recorded for this case.' })
  async legalActions(@Root() c: Case, @Args() page: PageArgs, @Ctx() ctx: Context) {
    return toConnection(await caseService.legalActionsOfCase(ctx, c.id, pageRequest(page)));
  }
}

@Resolver(() => CasePayload)
export class CasePayloadResolver {
  @FieldResolver(() => Case, { name: 'case', nullable: true, description: 'The case as it is now; empty when the change was refused.' })
  caseRecord(@Root() p: CasePayload, @Ctx() ctx: Context) {
    return p.caseId === null ? null : caseService.load(ctx, p.caseId);
  }
}

@Resolver(() => Referral)
export class ReferralResolver {
  @Query(() => ReferralConnection, { description: 'Referrals your organisation sent or received, newest first. Case workers only; every one returned is recorded as read.' })
  async referrals(@Args() page: PageArgs, @Arg('filter', () => ReferralFilter, { nullable: true, description: 'Conditions the referrals must meet.' }) filter: ReferralFilter | null, @Ctx() ctx: Context) {
    return toConnection(await caseService.referrals(ctx, filter, pageRequest(page)));
  }

  @FieldResolver(() => Case, { name: 'case', nullable: true, description: 'The case referred; empty when you may no longer see it (the referral was rejected or revoked).' })
  caseRecord(@Root() r: Referral, @Ctx() ctx: Context) {
    return caseService.caseOfReferral(ctx, r);
  }

  @FieldResolver(() => Organisation, { description: 'The organisation that sent the referral.' })
  fromOrganisation(@Root() r: Referral, @Ctx() ctx: Context) {
    return ctx.loaders.byKey(Organisation).load(r.fromOrganisation.id);
  }

  @FieldResolver(() => Organisation, { description: 'The service provider the child was referred to.' })
  toOrganisation(@Root() r: Referral, @Ctx() ctx: Context) {
    return ctx.loaders.byKey(Organisation).load(r.toOrganisation.id);
  }
}

@Resolver(() => ReferralPayload)
export class ReferralPayloadResolver {
  @FieldResolver(() => Referral, { nullable: true, description: 'The referral as it is now; empty when the change was refused.' })
  referral(@Root() p: ReferralPayload, @Ctx() ctx: Context) {
    return p.referralId === null ? null : caseService.loadReferral(ctx, p.referralId);
  }
}

@Resolver(() => LegalAction)
export class LegalActionResolver {
  @Query(() => LegalActionConnection, { description: 'Legal actions your organisation recorded, newest first. Case workers only.' })
  async legalActions(@Args() page: PageArgs, @Ctx() ctx: Context) {
    return toConnection(await caseService.legalActions(ctx, pageRequest(page)));
  }

  @Mutation(() => LegalActionPayload, { description: 'Records an investigation, arrest, prosecution, conviction or acquittal. Case workers only. Safe to retry with an idempotency key.' })
  recordLegalAction(@Arg('input', () => RecordLegalActionInput, { description: 'The legal action.' }) input: RecordLegalActionInput, @Ctx() ctx: Context) {
    return caseService.recordLegalAction(ctx, input, ctx.idempotencyKey);
  }

  @FieldResolver(() => Country, { description: 'Where it happened.' })
  country(@Root() a: LegalAction, @Ctx() ctx: Context) {
    return ctx.loaders.byKey(Country, 'code').load(a.country.unwrap().code);
  }

  @FieldResolver(() => Programme, { nullable: true, description: 'The programme it belongs to.' })
  programme(@Root() a: LegalAction, @Ctx() ctx: Context) {
    return a.programme ? ctx.loaders.byKey(Programme).load(a.programme.id) : null;
  }

  @FieldResolver(() => Case, { name: 'case', nullable: true, description: 'The case it concerns, if any and if you may see it.' })
  caseRecord(@Root() a: LegalAction, @Ctx() ctx: Context) {
    return a.caseRecord ? caseService.load(ctx, a.caseRecord.id) : null;
  }
}

@Resolver(() => LegalActionPayload)
export class LegalActionPayloadResolver {
  @FieldResolver(() => LegalAction, { nullable: true, description: 'The legal action; empty when it was refused.' })
  legalAction(@Root() p: LegalActionPayload, @Ctx() ctx: Context) {
    return p.legalActionId === null ? null : caseService.loadLegalAction(ctx, p.legalActionId);
  }
}

@Resolver(() => ServiceOffering)
export class ServiceOfferingResolver {
  @Query(() => ServiceOfferingConnection, { description: 'Service providers: which organisation offers which service in which country.' })
  async serviceOfferings(
    @Args() page: PageArgs,
    @Arg('filter', () => ServiceOfferingFilter, { nullable: true, description: 'Conditions the offerings must meet.' }) filter: ServiceOfferingFilter | null,
    @Ctx() ctx: Context,
  ) {
    return toConnection(await serviceOfferingService.list(ctx, filter, pageRequest(page)));
  }

  @Mutation(() => ServiceOfferingsPayload, { description: 'Sets the complete list of services an organisation offers, and where. Alliance admins, or partner admins for their own organisations.' })
  setServiceOfferings(@Arg('input', () => SetServiceOfferingsInput, { description: 'The organisation and its services.' }) input: SetServiceOfferingsInput, @Ctx() ctx: Context) {
    return serviceOfferingService.set(ctx, input);
  }

  @FieldResolver(() => Organisation, { description: 'The service provider.' })
  organisation(@Root() s: ServiceOffering, @Ctx() ctx: Context) {
    return ctx.loaders.byKey(Organisation).load(s.organisation.id);
  }

  @FieldResolver(() => Country, { description: 'Where the service is offered.' })
  country(@Root() s: ServiceOffering, @Ctx() ctx: Context) {
    return ctx.loaders.byKey(Country, 'code').load(s.country.unwrap().code);
  }
}

@Resolver(() => ServiceOfferingsPayload)
export class ServiceOfferingsPayloadResolver {
  @FieldResolver(() => Organisation, { nullable: true, description: 'The organisation; empty when the change was refused.' })
  organisation(@Root() p: ServiceOfferingsPayload, @Ctx() ctx: Context) {
    return p.organisationId === null ? null : ctx.loaders.byKey(Organisation).load(p.organisationId);
  }

  @FieldResolver(() => ServiceOfferingConnection, { description: 'The organisation\'s services now.' })
  async serviceOfferings(@Root() p: ServiceOfferingsPayload, @Args() page: PageArgs, @Ctx() ctx: Context) {
    return toConnection(await serviceOfferingService.list(ctx, null, pageRequest(page), p.organisationId ?? -1));
  }
}
