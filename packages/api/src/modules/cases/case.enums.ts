import { registerEnumType } from 'type-graphql';

export enum CaseStatus {
  ACTIVE = 'ACTIVE',
  FOLLOW_UP = 'FOLLOW_UP',
  CLOSED = 'CLOSED',
  CLOSED_REFERRED = 'CLOSED_REFERRED',
}

registerEnumType(CaseStatus, {
  name: 'CaseStatus',
  description: 'Where a case stands. Cases move ACTIVE → FOLLOW_UP → CLOSED or CLOSED_REFERRED; a closed case can be reopened (back to ACTIVE) until its retention period ends.',
  valuesConfig: {
    ACTIVE: { description: 'Reported; the organisation is working on it.' },
    FOLLOW_UP: { description: 'The child has been helped or referred; the organisation follows up.' },
    CLOSED: { description: 'Closed by the organisation itself.' },
    CLOSED_REFERRED: { description: 'Closed because the child is now in the care of the organisations the case was referred to.' },
  },
});

export const CLOSED_STATUSES: readonly CaseStatus[] = [CaseStatus.CLOSED, CaseStatus.CLOSED_REFERRED];

/** The moves a case may make; reopening is allowed while the case's dates have not been coarsened. */
export const CASE_TRANSITIONS: Record<CaseStatus, readonly CaseStatus[]> = {
  [CaseStatus.ACTIVE]: [CaseStatus.FOLLOW_UP, CaseStatus.CLOSED, CaseStatus.CLOSED_REFERRED],
  [CaseStatus.FOLLOW_UP]: [CaseStatus.ACTIVE, CaseStatus.CLOSED, CaseStatus.CLOSED_REFERRED],
  [CaseStatus.CLOSED]: [CaseStatus.ACTIVE],
  [CaseStatus.CLOSED_REFERRED]: [CaseStatus.ACTIVE],
};

export enum ReportingChannel {
  HOTLINE = 'HOTLINE',
  APP = 'APP',
  COMMUNITY = 'COMMUNITY',
  POLICE = 'POLICE',
  SCHOOL = 'SCHOOL',
  HEALTH_SERVICE = 'HEALTH_SERVICE',
  SELF_REPORTED = 'SELF_REPORTED',
  OTHER = 'OTHER',
}

registerEnumType(ReportingChannel, {
  name: 'ReportingChannel',
  description: 'How the case reached the organisation.',
  valuesConfig: {
    HOTLINE: { description: 'A telephone helpline or hotline.' },
    APP: { description: 'The online or mobile reporting tool of the service centre.' },
    COMMUNITY: { description: 'Community members, such as a counter-trafficking committee.' },
    POLICE: { description: 'The police or another law-enforcement body.' },
    SCHOOL: { description: 'A teacher or school.' },
    HEALTH_SERVICE: { description: 'A health worker, clinic or hospital.' },
    SELF_REPORTED: { description: 'The child or their family came forward themselves.' },
    OTHER: { description: 'Any other channel.' },
  },
});

export enum ExploitationType {
  SEXUAL_EXPLOITATION = 'SEXUAL_EXPLOITATION',
  ONLINE_SEXUAL_EXPLOITATION = 'ONLINE_SEXUAL_EXPLOITATION',
  FORCED_LABOUR = 'FORCED_LABOUR',
  DEBT_BONDAGE = 'DEBT_BONDAGE',
  TRAFFICKING_FOR_RANSOM = 'TRAFFICKING_FOR_RANSOM',
  CHILD_MARRIAGE = 'CHILD_MARRIAGE',
  OTHER = 'OTHER',
}

registerEnumType(ExploitationType, {
  name: 'ExploitationType',
  description:
    'The kind of exploitation, following the Human Trafficking Case Data Standard (HTCDS) where it has a field for it. Statistics count each case once, under its main type.',
  valuesConfig: {
    SEXUAL_EXPLOITATION: { description: 'Sexual exploitation, including in prostitution (HTCDS `isSexualExploit`).' },
    ONLINE_SEXUAL_EXPLOITATION: { description: 'Sexual exploitation online, such as livestreamed abuse or abuse material (HTCDS `isSexualExploit`, online).' },
    FORCED_LABOUR: { description: 'Forced or exploitative child labour, including domestic work and begging (HTCDS `isForcedLabour`).' },
    DEBT_BONDAGE: { description: 'Work to pay off a debt (HTCDS `isSlaveryAndPractices`, debt bondage).' },
    TRAFFICKING_FOR_RANSOM: { description: 'Abduction or trafficking to extort a ransom from the family.' },
    CHILD_MARRIAGE: { description: 'Forced or child marriage (HTCDS `isForcedMarriage`).' },
    OTHER: { description: 'Any other form (HTCDS `isOtherExploit`).' },
  },
});

export enum ChildSex {
  GIRL = 'GIRL',
  BOY = 'BOY',
  OTHER = 'OTHER',
  UNKNOWN = 'UNKNOWN',
}

registerEnumType(ChildSex, {
  name: 'ChildSex',
  description: 'The sex of the child a case is about.',
  valuesConfig: {
    GIRL: { description: 'A girl.' },
    BOY: { description: 'A boy.' },
    OTHER: { description: 'A child who identifies otherwise.' },
    UNKNOWN: { description: 'Not recorded.' },
  },
});

export enum ChildAgeBand {
  AGE_0_5 = 'AGE_0_5',
  AGE_6_11 = 'AGE_6_11',
  AGE_12_14 = 'AGE_12_14',
  AGE_15_17 = 'AGE_15_17',
  UNKNOWN = 'UNKNOWN',
}

registerEnumType(ChildAgeBand, {
  name: 'ChildAgeBand',
  description: 'The age band of the child when the case was reported. Exact ages and birth dates are never recorded.',
  valuesConfig: {
    AGE_0_5: { description: '0 to 5 years old.' },
    AGE_6_11: { description: '6 to 11 years old.' },
    AGE_12_14: { description: '12 to 14 years old.' },
    AGE_15_17: { description: '15 to 17 years old.' },
    UNKNOWN: { description: 'Not known.' },
  },
});

export enum ReferralDelay {
  NOT_REFERRED = 'NOT_REFERRED',
  WITHIN_7_DAYS = 'WITHIN_7_DAYS',
  DAYS_8_TO_30 = 'DAYS_8_TO_30',
  DAYS_31_TO_90 = 'DAYS_31_TO_90',
  OVER_90_DAYS = 'OVER_90_DAYS',
}

registerEnumType(ReferralDelay, {
  name: 'ReferralDelay',
  description: 'How long after the report a child was first referred to a service (revoked referrals do not count).',
  valuesConfig: {
    NOT_REFERRED: { description: 'Not referred (yet).' },
    WITHIN_7_DAYS: { description: 'Referred within 7 days of the report (the same day included).' },
    DAYS_8_TO_30: { description: 'Referred 8 to 30 days after the report.' },
    DAYS_31_TO_90: { description: 'Referred 31 to 90 days after the report.' },
    OVER_90_DAYS: { description: 'Referred more than 90 days after the report.' },
  },
});

export enum ServiceType {
  SHELTER = 'SHELTER',
  MEDICAL = 'MEDICAL',
  PSYCHOSOCIAL = 'PSYCHOSOCIAL',
  LEGAL_AID = 'LEGAL_AID',
  EDUCATION = 'EDUCATION',
  VOCATIONAL_TRAINING = 'VOCATIONAL_TRAINING',
  FAMILY_REUNIFICATION = 'FAMILY_REUNIFICATION',
  LIVELIHOOD = 'LIVELIHOOD',
}

registerEnumType(ServiceType, {
  name: 'ServiceType',
  description: 'A service a victim can be referred to.',
  valuesConfig: {
    SHELTER: { description: 'Safe shelter or interim care.' },
    MEDICAL: { description: 'Medical care.' },
    PSYCHOSOCIAL: { description: 'Psychosocial support and counselling.' },
    LEGAL_AID: { description: 'Legal aid and accompaniment in court.' },
    EDUCATION: { description: 'Return to school or other education.' },
    VOCATIONAL_TRAINING: { description: 'Vocational or skills training.' },
    FAMILY_REUNIFICATION: { description: 'Tracing the family and reuniting the child with it.' },
    LIVELIHOOD: { description: 'Income support or livelihood help for the child\'s family.' },
  },
});

export enum ReferralStatus {
  IN_PROGRESS = 'IN_PROGRESS',
  ACCEPTED = 'ACCEPTED',
  REJECTED = 'REJECTED',
  DONE = 'DONE',
  REVOKED = 'REVOKED',
}

registerEnumType(ReferralStatus, {
  name: 'ReferralStatus',
  description:
    'Where a referral stands: IN_PROGRESS (sent) → ACCEPTED or REJECTED (with a reason) by the service provider; ACCEPTED → DONE (successful or not, with a reason). The sender may revoke a referral while it is IN_PROGRESS or ACCEPTED.',
  valuesConfig: {
    IN_PROGRESS: { description: 'Sent; the service provider has not answered yet.' },
    ACCEPTED: { description: 'The service provider took the child on.' },
    REJECTED: { description: 'The service provider declined, with a reason.' },
    DONE: { description: 'The service ended, successfully or not (see `successful`).' },
    REVOKED: { description: 'Withdrawn by the organisation that sent it, or because consent was withdrawn.' },
  },
});

export const OPEN_REFERRAL_STATUSES: readonly ReferralStatus[] = [ReferralStatus.IN_PROGRESS, ReferralStatus.ACCEPTED];

export enum LegalActionType {
  INVESTIGATION = 'INVESTIGATION',
  ARREST = 'ARREST',
  PROSECUTION = 'PROSECUTION',
  CONVICTION = 'CONVICTION',
  ACQUITTAL = 'ACQUITTAL',
}

registerEnumType(LegalActionType, {
  name: 'LegalActionType',
  description: 'A step taken against a suspected offender. Prosecutions feed the `prosecutions` headline figure.',
  valuesConfig: {
    INVESTIGATION: { description: 'A police investigation was opened.' },
    ARREST: { description: 'A suspect was arrested.' },
    PROSECUTION: { description: 'A suspect was charged and prosecuted.' },
    CONVICTION: { description: 'A court convicted the offender.' },
    ACQUITTAL: { description: 'A court acquitted the suspect.' },
  },
});

export enum RegistryMeasure {
  CASES_REPORTED = 'CASES_REPORTED',
  CASES_REFERRED = 'CASES_REFERRED',
  VICTIMS_ASSISTED = 'VICTIMS_ASSISTED',
  PROSECUTIONS = 'PROSECUTIONS',
}

registerEnumType(RegistryMeasure, {
  name: 'RegistryMeasure',
  description: 'A number the case registry can produce for an indicator, so programmes using the registry need not report it by hand.',
  valuesConfig: {
    CASES_REPORTED: { description: 'Cases reported in the period.' },
    CASES_REFERRED: { description: 'Cases reported in the period whose child was referred to at least one service.' },
    VICTIMS_ASSISTED: { description: 'Cases reported in the period whose child received at least one service to the end, successfully.' },
    PROSECUTIONS: { description: 'Prosecutions recorded in the period.' },
  },
});

export enum FigureSource {
  REPORTED_RESULTS = 'REPORTED_RESULTS',
  CASE_REGISTRY = 'CASE_REGISTRY',
}

registerEnumType(FigureSource, {
  name: 'FigureSource',
  description: 'Where a number comes from.',
  valuesConfig: {
    REPORTED_RESULTS: { description: 'Figures the partners reported (results), after review.' },
    CASE_REGISTRY: { description: 'Counted from the case registry, protected (small groups left out, rounded; see `caseStatistics`).' },
  },
});

export enum ReferralReason {
  NO_CAPACITY = 'NO_CAPACITY',
  NOT_ELIGIBLE = 'NOT_ELIGIBLE',
  SERVICE_NOT_OFFERED = 'SERVICE_NOT_OFFERED',
  CHILD_DECLINED = 'CHILD_DECLINED',
  CHILD_LEFT = 'CHILD_LEFT',
  FAMILY_MOVED = 'FAMILY_MOVED',
  CONSENT_WITHDRAWN = 'CONSENT_WITHDRAWN',
  NO_LONGER_NEEDED = 'NO_LONGER_NEEDED',
  WRONG_PROVIDER = 'WRONG_PROVIDER',
  OTHER = 'OTHER',
}

registerEnumType(ReferralReason, {
  name: 'ReferralReason',
  description: 'Why a referral was rejected, revoked or did not end successfully. A fixed list, so that no free text about a child is ever stored.',
  valuesConfig: {
    NO_CAPACITY: { description: 'The provider has no place or staff for the child now.' },
    NOT_ELIGIBLE: { description: 'The child does not meet the provider\'s criteria (age, sex, location).' },
    SERVICE_NOT_OFFERED: { description: 'The provider does not offer this service here.' },
    CHILD_DECLINED: { description: 'The child or family declined the service.' },
    CHILD_LEFT: { description: 'The child left the service before it ended.' },
    FAMILY_MOVED: { description: 'The child or family moved away.' },
    CONSENT_WITHDRAWN: { description: 'Consent to share or to receive services was withdrawn (set by the system).' },
    NO_LONGER_NEEDED: { description: 'The service is no longer needed.' },
    WRONG_PROVIDER: { description: 'Sent to the wrong provider.' },
    OTHER: { description: 'Another reason.' },
  },
});
