import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../../graphql/context.js';
import {
  CreateOrganisationInput,
  DisaggregationSetInput,
  DisaggregationSetPayload,
  IndicatorInput,
  IndicatorPayload,
  OrganisationPayload,
  ProgrammeInput,
  ProgrammePayload,
  UpdateOrganisationInput,
} from './reference-data.types.js';
import { referenceDataService } from './reference-data.service.js';

@Resolver()
export class ReferenceDataResolver {
  @Mutation(() => OrganisationPayload, { description: 'Registers an organisation. Partner admins register their local partners; alliance admins any organisation.' })
  createOrganisation(@Arg('input', () => CreateOrganisationInput, { description: 'The organisation.' }) input: CreateOrganisationInput, @Ctx() ctx: Context) {
    return referenceDataService.createOrganisation(ctx, input);
  }

  @Mutation(() => OrganisationPayload, { description: 'Changes an organisation\'s name, country or website.' })
  updateOrganisation(@Arg('input', () => UpdateOrganisationInput, { description: 'The changes.' }) input: UpdateOrganisationInput, @Ctx() ctx: Context) {
    return referenceDataService.updateOrganisation(ctx, input);
  }

  @Mutation(() => ProgrammePayload, { description: 'Creates a programme, or changes one (with `id`): names, dates, countries, participants and indicators.' })
  saveProgramme(@Arg('input', () => ProgrammeInput, { description: 'The programme.' }) input: ProgrammeInput, @Ctx() ctx: Context) {
    return referenceDataService.saveProgramme(ctx, input);
  }

  @Mutation(() => IndicatorPayload, { description: 'Creates an indicator, or changes one (with `id`).' })
  saveIndicator(@Arg('input', () => IndicatorInput, { description: 'The indicator.' }) input: IndicatorInput, @Ctx() ctx: Context) {
    return referenceDataService.saveIndicator(ctx, input);
  }

  @Mutation(() => DisaggregationSetPayload, {
    description: 'Saves a disaggregation set by code and generates its combinations. A set that figures or targets already use is never changed: a new version is made.',
  })
  saveDisaggregationSet(@Arg('input', () => DisaggregationSetInput, { description: 'The set.' }) input: DisaggregationSetInput, @Ctx() ctx: Context) {
    return referenceDataService.saveDisaggregationSet(ctx, input);
  }
}
