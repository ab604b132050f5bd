import { registerEnumType } from 'type-graphql';

export enum OrganisationKind {
  ALLIANCE_MEMBER = 'ALLIANCE_MEMBER',
  LOCAL_PARTNER = 'LOCAL_PARTNER',
  GOVERNMENT = 'GOVERNMENT',
  DONOR = 'DONOR',
  COMPANY = 'COMPANY',
  NGO = 'NGO',
}

registerEnumType(OrganisationKind, {
  name: 'OrganisationKind',
  description: 'What kind of organisation this is.',
  valuesConfig: {
    ALLIANCE_MEMBER: { description: 'A Dutch member of the alliance, such as Terre des Hommes or Plan Nederland.' },
    LOCAL_PARTNER: { description: 'A local organisation in a programme country that carries out work with an alliance member.' },
    GOVERNMENT: { description: 'A ministry, government department, embassy or other public body.' },
    DONOR: { description: 'An organisation whose main role is to fund programmes.' },
    COMPANY: { description: 'A private company, for example in tourism or technology.' },
    NGO: { description: 'Another non-governmental organisation outside the alliance.' },
  },
});
