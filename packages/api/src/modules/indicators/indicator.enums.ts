import { registerEnumType } from 'type-graphql';

export enum IndicatorCategory {
  CHILDREN_REACHED = 'CHILDREN_REACHED',
  VICTIMS_ASSISTED = 'VICTIMS_ASSISTED',
  FAMILIES_SUPPORTED = 'FAMILIES_SUPPORTED',
  OFFICIALS_TRAINED = 'OFFICIALS_TRAINED',
  PROSECUTIONS = 'PROSECUTIONS',
  AWARENESS = 'AWARENESS',
  PROFESSIONALS_TRAINED = 'PROFESSIONALS_TRAINED',
  CIVIL_SOCIETY = 'CIVIL_SOCIETY',
  PRIVATE_SECTOR = 'PRIVATE_SECTOR',
  POLICY = 'POLICY',
  CASE_REPORTING = 'CASE_REPORTING',
}

registerEnumType(IndicatorCategory, {
  name: 'IndicatorCategory',
  description: 'The theme an indicator belongs to. The first five categories feed the alliance\'s headline figures.',
  valuesConfig: {
    CHILDREN_REACHED: { description: 'Headline: children reached directly by prevention, awareness, empowerment or education activities.' },
    VICTIMS_ASSISTED: { description: 'Headline: (child) victims who received shelter, medical, psychosocial, legal or educational help.' },
    FAMILIES_SUPPORTED: { description: 'Headline: families supported, for example with income alternatives or legal and emotional support.' },
    OFFICIALS_TRAINED: { description: 'Headline: police officers, judges, prosecutors and other government officials trained.' },
    PROSECUTIONS: { description: 'Headline: offenders traced, arrested, prosecuted or convicted.' },
    AWARENESS: { description: 'Adults and communities reached by awareness raising, and the campaigns and meetings held for it.' },
    PROFESSIONALS_TRAINED: { description: 'Civil-society staff, social workers, teachers and committee members trained.' },
    CIVIL_SOCIETY: { description: 'Civil-society organisations and committees strengthened or joining the work.' },
    PRIVATE_SECTOR: { description: 'Companies trained or engaged, and dialogues with the private sector.' },
    POLICY: { description: 'Policy, law and strategy work: research published, strategies developed, policy workshops.' },
    CASE_REPORTING: { description: 'Use of reporting and referral systems: cases reported and referred, users and members of such systems.' },
  },
});

export enum IndicatorUnit {
  CHILDREN = 'CHILDREN',
  ADULTS = 'ADULTS',
  PEOPLE = 'PEOPLE',
  FAMILIES = 'FAMILIES',
  OFFICIALS = 'OFFICIALS',
  VICTIMS = 'VICTIMS',
  OFFENDERS = 'OFFENDERS',
  CASES = 'CASES',
  ORGANISATIONS = 'ORGANISATIONS',
  COMPANIES = 'COMPANIES',
  CAMPAIGNS = 'CAMPAIGNS',
  EVENTS = 'EVENTS',
  PUBLICATIONS = 'PUBLICATIONS',
  SCHOOLS = 'SCHOOLS',
  COMMITTEES = 'COMMITTEES',
  STRATEGIES = 'STRATEGIES',
}

registerEnumType(IndicatorUnit, {
  name: 'IndicatorUnit',
  description: 'What an indicator counts.',
  valuesConfig: {
    CHILDREN: { description: 'Children (under 18).' },
    ADULTS: { description: 'Adults (18 and over).' },
    PEOPLE: { description: 'People of any age.' },
    FAMILIES: { description: 'Families or households.' },
    OFFICIALS: { description: 'Government officials, police officers, judges and prosecutors.' },
    VICTIMS: { description: 'Victims of trafficking or exploitation, mostly children.' },
    OFFENDERS: { description: 'Alleged or convicted offenders.' },
    CASES: { description: 'Reported cases.' },
    ORGANISATIONS: { description: 'Organisations.' },
    COMPANIES: { description: 'Companies.' },
    CAMPAIGNS: { description: 'Campaigns, such as awareness or media campaigns.' },
    EVENTS: { description: 'Meetings, workshops, dialogues and other events.' },
    PUBLICATIONS: { description: 'Reports, research papers, curricula and other publications.' },
    SCHOOLS: { description: 'Schools.' },
    COMMITTEES: { description: 'Committees, such as child protection committees.' },
    STRATEGIES: { description: 'Strategies or policy proposals.' },
  },
});

export enum PeriodAggregation {
  SUM = 'SUM',
  LAST = 'LAST',
}

registerEnumType(PeriodAggregation, {
  name: 'PeriodAggregation',
  description: 'How an indicator\'s figures for several periods combine. Figures for different places are always added.',
  valuesConfig: {
    SUM: { description: 'Add the periods: each period counts new people or events (for example children trained in that half year).' },
    LAST: { description: 'Take the latest period: each figure is a running total or a stock (for example registered users of a service so far).' },
  },
});
