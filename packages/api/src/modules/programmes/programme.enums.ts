import { registerEnumType } from 'type-graphql';

export enum ParticipantRole {
  LEAD = 'LEAD',
  MEMBER = 'MEMBER',
  IMPLEMENTING_PARTNER = 'IMPLEMENTING_PARTNER',
  DONOR = 'DONOR',
  STRATEGIC_PARTNER = 'STRATEGIC_PARTNER',
}

export enum ProgrammeKind {
  PROGRAMME = 'PROGRAMME',
  CAMPAIGN = 'CAMPAIGN',
}

registerEnumType(ProgrammeKind, {
  name: 'ProgrammeKind',
  description: 'What sort of undertaking a programme is.',
  valuesConfig: {
    PROGRAMME: { description: 'A programme or project with activities, results and usually targets.' },
    CAMPAIGN: { description: 'A public campaign (awareness, advocacy or fundraising); it may publish no figures at all.' },
  },
});

registerEnumType(ParticipantRole, {
  name: 'ParticipantRole',
  description: 'The part an organisation plays in a programme.',
  valuesConfig: {
    LEAD: { description: 'Leads the programme and is accountable to its donors.' },
    MEMBER: { description: 'A member of the alliance or consortium that runs the programme.' },
    IMPLEMENTING_PARTNER: { description: 'Carries out activities, usually a local partner in a programme country.' },
    DONOR: { description: 'Funds the programme.' },
    STRATEGIC_PARTNER: { description: 'Works with the programme without funding or implementing it, for example a government agency it coordinates with.' },
  },
});
