/**
 * Everything the five published reports in reports/ (beside this file) state, as data.
 * Numbers are exactly as published; each figure keeps its source document, its period and the
 * Dutch sentence it was taken from. Where a report gives no period for a target, the target is
 * for the programme as a whole (period null). Nothing here is invented: where a report names no
 * local partner, none is made up, and figures are reported by the organisation that published them.
 */
import { OrganisationKind } from '../../modules/organisations/organisation.enums.js';
import { ParticipantRole, ProgrammeKind } from '../../modules/programmes/programme.enums.js';
import { ExploitationType as X } from '../../modules/cases/case.enums.js';
import { PeriodType } from '../../modules/periods/period-code.js';
import { IndicatorCategory as C, IndicatorUnit as U, PeriodAggregation } from '../../modules/indicators/indicator.enums.js';
import { DisaggregationDimension, Sex } from '../../modules/indicators/disaggregation.enums.js';

export interface OrganisationSeed {
  code: string;
  name: string;
  kind: OrganisationKind;
  country?: string;
  parent?: string;
}

export const organisations: OrganisationSeed[] = [
  { code: 'tdh-nl', name: 'Terre des Hommes Nederland', kind: OrganisationKind.ALLIANCE_MEMBER, country: 'NL' },
  { code: 'dci-ecpat-nl', name: 'Defence for Children – ECPAT Nederland', kind: OrganisationKind.ALLIANCE_MEMBER, country: 'NL' },
  { code: 'free-a-girl', name: 'Free a Girl', kind: OrganisationKind.ALLIANCE_MEMBER, country: 'NL' },
  { code: 'icco', name: 'ICCO Cooperation', kind: OrganisationKind.ALLIANCE_MEMBER, country: 'NL' },
  { code: 'plan-nl', name: 'Plan Nederland', kind: OrganisationKind.ALLIANCE_MEMBER, country: 'NL' },
  { code: 'nl-mfa', name: 'Ministerie van Buitenlandse Zaken (Netherlands Ministry of Foreign Affairs)', kind: OrganisationKind.GOVERNMENT, country: 'NL' },
  { code: 'us-dos', name: 'U.S. Department of State', kind: OrganisationKind.GOVERNMENT, country: 'US' },
  { code: 'us-dos-tip', name: 'Office to Monitor and Combat Trafficking in Persons (TIP Office)', kind: OrganisationKind.GOVERNMENT, country: 'US', parent: 'us-dos' },
  { code: 'us-embassy-dhaka', name: 'U.S. Embassy Dhaka', kind: OrganisationKind.GOVERNMENT, country: 'BD', parent: 'us-dos' },
  { code: 'usaid', name: 'USAID', kind: OrganisationKind.GOVERNMENT, country: 'US' },
  { code: 'google-th', name: 'Google Thailand', kind: OrganisationKind.COMPANY, country: 'TH' },
  { code: 'save-the-children-nl', name: 'Save the Children Nederland', kind: OrganisationKind.NGO, country: 'NL' },
];

export interface SourceDocumentSeed {
  code: string;
  title: string;
  fileName: string;
  publisher?: string;
  publishedOn?: string;
}

export const sourceDocuments: SourceDocumentSeed[] = [
  { code: 'tdh-child-trafficking-asia', title: 'Kinderhandel in Azië', fileName: '000_a42bdbb6375be146.txt', publisher: 'tdh-nl' },
  { code: 'tdh-sexual-exploitation-asia', title: 'Seksuele uitbuiting van kinderen in Azië', fileName: '001_fc5208a8cd9e5c37.txt', publisher: 'tdh-nl' },
  {
    code: 'stc-children-on-the-move-2022',
    title: 'Kinderen op de vlucht extra kwetsbaar voor mensenhandel en uitbuiting',
    fileName: '002_87b703e3e51dff9d.txt',
    publisher: 'save-the-children-nl',
    publishedOn: '2022-12-23',
  },
  { code: 'dtz-first-year-2017', title: 'Samen tegen seksuele uitbuiting van kinderen', fileName: '003_4109568fc7777c42.txt', publishedOn: '2017-10-25' },
  { code: 'tdh-bangladesh-referral', title: 'Aanpak kinderhandel Bangladesh', fileName: '004_59167e6acc5f7369.txt', publisher: 'tdh-nl' },
];

export const ageBands = [
  { code: '0-4', minAge: 0, maxAge: 4 },
  { code: '5-9', minAge: 5, maxAge: 9 },
  { code: '10-14', minAge: 10, maxAge: 14 },
  { code: '15-17', minAge: 15, maxAge: 17 },
  { code: '18+', minAge: 18, maxAge: null },
];

export interface DisaggregationSetSeed {
  code: string;
  nameEn: string;
  nameNl: string;
  dimensions: DisaggregationDimension[];
  sexes: Sex[];
  ageBandCodes: string[];
}

export const disaggregationSets: DisaggregationSetSeed[] = [
  {
    code: 'children-sex-age',
    nameEn: 'Children by sex and age band',
    nameNl: 'Kinderen naar geslacht en leeftijdsgroep',
    dimensions: [DisaggregationDimension.SEX, DisaggregationDimension.AGE_BAND],
    sexes: [Sex.GIRL, Sex.BOY, Sex.OTHER, Sex.UNKNOWN],
    ageBandCodes: ['0-4', '5-9', '10-14', '15-17'],
  },
  {
    code: 'adults-sex',
    nameEn: 'Adults by sex',
    nameNl: 'Volwassenen naar geslacht',
    dimensions: [DisaggregationDimension.SEX],
    sexes: [Sex.WOMAN, Sex.MAN, Sex.OTHER, Sex.UNKNOWN],
    ageBandCodes: [],
  },
];

export interface IndicatorSeed {
  code: string;
  nameEn: string;
  nameNl: string;
  descriptionEn: string;
  descriptionNl: string;
  unit: U;
  category: C;
  periodAggregation?: PeriodAggregation;
  disaggregationSet?: string;
}

const CHILDREN_SET = 'children-sex-age';
const ADULTS_SET = 'adults-sex';

export const indicators: IndicatorSeed[] = [
  // Child trafficking in Asia (Terre des Hommes)
  { code: 'CTA-CHILDREN-SAFE', unit: U.CHILDREN, category: C.CHILDREN_REACHED, disaggregationSet: CHILDREN_SET,
    nameEn: 'Children no longer at risk of child trafficking and exploitation', nameNl: 'Jongens en meisjes die niet meer het risico lopen slachtoffer te worden van kinderhandel en uitbuiting',
    descriptionEn: 'Boys and girls who, through the programme, are no longer at risk of becoming victims of child trafficking and exploitation.', descriptionNl: 'Jongens en meisjes die door het programma niet meer het risico lopen het slachtoffer te worden van kinderhandel en uitbuiting.' },
  { code: 'CTA-CHILDREN-AWARE', unit: U.CHILDREN, category: C.CHILDREN_REACHED, disaggregationSet: CHILDREN_SET,
    nameEn: 'Vulnerable children aware of the dangers of child trafficking and migration', nameNl: 'Kwetsbare kinderen die zich bewust zijn van de gevaren van kinderhandel en migratie',
    descriptionEn: 'Vulnerable children who know the dangers of child trafficking and unsafe migration.', descriptionNl: 'Kwetsbare kinderen die zich bewust zijn van de gevaren van kinderhandel en migratie.' },
  { code: 'CTA-CHILDREN-EDUCATED', unit: U.CHILDREN, category: C.CHILDREN_REACHED, disaggregationSet: CHILDREN_SET,
    nameEn: 'Vulnerable children who received education', nameNl: 'Kwetsbare kinderen die onderwijs hebben gekregen',
    descriptionEn: 'Vulnerable children (not yet exploited) who received education through the programme.', descriptionNl: 'Kwetsbare kinderen die via het programma onderwijs hebben gekregen.' },
  { code: 'CTA-VICTIMS-EDUCATED', unit: U.VICTIMS, category: C.VICTIMS_ASSISTED, disaggregationSet: CHILDREN_SET,
    nameEn: 'Exploited or abused children who received education', nameNl: 'Uitgebuite/misbruikte kinderen die onderwijs hebben gekregen',
    descriptionEn: 'Children who were exploited or abused and received education through the programme.', descriptionNl: 'Uitgebuite of misbruikte kinderen die via het programma onderwijs hebben gekregen.' },
  { code: 'CTA-VICTIMS-LEGAL-AID', unit: U.VICTIMS, category: C.VICTIMS_ASSISTED, disaggregationSet: CHILDREN_SET,
    nameEn: 'Exploited or abused children who received legal aid', nameNl: 'Uitgebuite/misbruikte kinderen die juridische bijstand hebben gekregen',
    descriptionEn: 'Children who were exploited or abused and received legal aid.', descriptionNl: 'Uitgebuite of misbruikte kinderen die juridische bijstand hebben gekregen.' },
  { code: 'CTA-COMMUNITY-AWARE', unit: U.PEOPLE, category: C.AWARENESS,
    nameEn: 'Community members reached with the risks of child trafficking and migration', nameNl: 'Gemeenschapsleden die de risico\'s van kinderhandel en migratie kennen',
    descriptionEn: 'Members of communities with children at risk of exploitation who took part in awareness activities (theatre, commemorations, workshops) on the risks of child trafficking and migration.', descriptionNl: 'Leden van gemeenschappen met kinderen die kwetsbaar zijn voor uitbuiting die deelnamen aan voorlichtingsactiviteiten over de risico\'s van kinderhandel en migratie.' },
  { code: 'CTA-OFFICIALS-TRAINED', unit: U.OFFICIALS, category: C.OFFICIALS_TRAINED, disaggregationSet: ADULTS_SET,
    nameEn: 'Officials trained in child protection, child rights and child-friendly interviewing', nameNl: 'Ambtenaren getraind in kinderbescherming, kinderrechten en kindvriendelijke ondervragingstechnieken',
    descriptionEn: 'Officials, including police and justice staff, who followed training in protecting children, children\'s rights and child-friendly interviewing.', descriptionNl: 'Ambtenaren, waaronder medewerkers van politie en justitie, die een training volgden in het beschermen van kinderen, kinderrechten en kindvriendelijke ondervragingstechnieken.' },
  { code: 'CTA-RESEARCH-PUBLISHED', unit: U.PUBLICATIONS, category: C.POLICY,
    nameEn: 'Research and action reports published by civil-society organisations', nameNl: 'Onderzoeks- en actieverslagen gepubliceerd door maatschappelijke organisaties',
    descriptionEn: 'Research and action reports published by civil-society organisations.', descriptionNl: 'Onderzoeks- en actieverslagen die door maatschappelijke organisaties zijn gepubliceerd.' },
  { code: 'CTA-CSO-REPS-TRAINED', unit: U.ADULTS, category: C.PROFESSIONALS_TRAINED, disaggregationSet: ADULTS_SET,
    nameEn: 'Civil-society representatives trained on child rights and safe migration', nameNl: 'Vertegenwoordigers van maatschappelijke organisaties getraind in kinderrechten en veilige migratie',
    descriptionEn: 'Representatives of civil-society organisations trained to promote children\'s rights and to understand the roles of government and the private sector in protecting them.', descriptionNl: 'Vertegenwoordigers van maatschappelijke organisaties getraind om kinderrechten te bevorderen en inzicht te krijgen in de rol van overheid en particuliere sector.' },
  { code: 'CTA-CHANGE-AGENTS', unit: U.CHILDREN, category: C.CHILDREN_REACHED, disaggregationSet: CHILDREN_SET,
    nameEn: 'Children and young people trained as agents of change', nameNl: 'Kinderen en jongeren opgeleid om een actieve rol te spelen bij verandering',
    descriptionEn: 'Children and young people trained to play an active role in bringing about change through theatre, media training and events.', descriptionNl: 'Kinderen en jongeren opgeleid om een actieve rol te spelen bij het bewerkstelligen van verandering door middel van theater, mediatraining en evenementen.' },
  { code: 'CTA-COMMUNITY-CAMPAIGNS', unit: U.CAMPAIGNS, category: C.AWARENESS,
    nameEn: 'Awareness campaigns held in communities', nameNl: 'Voorlichtingscampagnes gehouden voor gemeenschappen',
    descriptionEn: 'Campaigns held for communities on the dangers of unsafe migration and child trafficking and on children\'s rights.', descriptionNl: 'Voorlichtingscampagnes voor gemeenschappen over de gevaren van onveilige migratie en kinderhandel en over kinderrechten.' },
  { code: 'CTA-CSO-GENDER-TRAINED', unit: U.ORGANISATIONS, category: C.CIVIL_SOCIETY,
    nameEn: 'Civil-society organisations trained on gender policy and practice', nameNl: 'Maatschappelijke organisaties getraind in genderbeleid en -praktijken',
    descriptionEn: 'National and regional civil-society organisations trained on gender policy and good gender practice.', descriptionNl: 'Nationale en regionale maatschappelijke organisaties getraind op het gebied van genderbeleid en beste gender praktijken.' },
  { code: 'CTA-POLICY-WORKSHOPS', unit: U.EVENTS, category: C.POLICY,
    nameEn: 'Workshops and meetings with partners on child-rights policy and law', nameNl: 'Workshops en bijeenkomsten met partnerorganisaties over beleid en wetten voor kinderrechten',
    descriptionEn: 'Workshops and meetings with partner organisations aimed at changing policies and laws on children\'s rights.', descriptionNl: 'Workshops en bijeenkomsten voor partnerorganisaties om aanpassing van beleidsmaatregelen en wetten betreffende kinderrechten te bereiken.' },
  { code: 'MEDIA-CAMPAIGNS-CHILD-RIGHTS', unit: U.CAMPAIGNS, category: C.AWARENESS,
    nameEn: 'Media campaigns on child-rights policy', nameNl: 'Mediacampagnes over kinderrechtenbeleid',
    descriptionEn: 'Media campaigns aimed at policy on children\'s rights. Used by more than one programme: figures of different programmes are added, so one campaign reported by two programmes counts twice.', descriptionNl: 'Mediacampagnes gericht op beleidsmaatregelen betreffende kinderrechten.' },

  // Sexual exploitation of children in Asia (Terre des Hommes)
  { code: 'SEA-CHILDREN-INFORMED', unit: U.CHILDREN, category: C.CHILDREN_REACHED, disaggregationSet: CHILDREN_SET,
    nameEn: 'Children informed about child sex tourism and online sexual abuse', nameNl: 'Kinderen die voorlichting krijgen over kindersekstoerisme en online seksueel misbruik',
    descriptionEn: 'Children who received information or training on the dangers of child sex tourism and online sexual abuse, including how to recognise exploitation and report concerns.', descriptionNl: 'Kinderen die voorlichting of training kregen over de gevaren van kindersekstoerisme en online seksueel misbruik, en hoe ze uitbuiting herkennen en melden.' },
  { code: 'SEA-ADULTS-INFORMED', unit: U.ADULTS, category: C.AWARENESS, disaggregationSet: ADULTS_SET,
    nameEn: 'Adults informed about child sex tourism and online sexual abuse', nameNl: 'Volwassenen die voorlichting krijgen over kindersekstoerisme en online seksueel misbruik',
    descriptionEn: 'Adults who received information on the dangers of child sex tourism and online sexual abuse.', descriptionNl: 'Volwassenen die voorlichting krijgen over de gevaren van kindersekstoerisme en online seksueel misbruik.' },
  { code: 'SEA-CHILDREN-IN-SCHOOL', unit: U.CHILDREN, category: C.CHILDREN_REACHED, disaggregationSet: CHILDREN_SET,
    nameEn: 'Children at risk supported to go to school', nameNl: 'Kinderen met risico die naar school gaan',
    descriptionEn: 'Children at risk of sexual exploitation supported to go to school: education support, (re-)enrolment and claiming social benefits.', descriptionNl: 'Kinderen die risico lopen op seksuele uitbuiting en ondersteund worden om naar school te gaan: onderwijs, (her)inschrijving en het claimen van sociale bijstand.' },
  { code: 'SEA-FAMILIES-INCOME', unit: U.FAMILIES, category: C.FAMILIES_SUPPORTED,
    nameEn: 'Families helped to find other sources of income', nameNl: 'Families die hulp krijgen bij het vinden van andere inkomstenbronnen',
    descriptionEn: 'Families helped to find other sources of income so that children no longer have to earn money through webcams or sex with tourists.', descriptionNl: 'Families die hulp krijgen bij het vinden van andere inkomstenbronnen, zodat kinderen niet langer geld hoeven te verdienen via de webcam of seks met toeristen.' },
  { code: 'SEA-SAFE-INTERNET-CURRICULA', unit: U.PUBLICATIONS, category: C.AWARENESS,
    nameEn: 'Safe-internet curricula developed', nameNl: 'Lesmethodes over veilig internetten ontwikkeld',
    descriptionEn: 'Teaching methods developed that explain to children how to use the internet safely.', descriptionNl: 'Lesmethodes waarin wordt uitgelegd hoe kinderen veilig kunnen internetten.' },
  { code: 'SEA-COMPANIES-ENGAGED', unit: U.COMPANIES, category: C.PRIVATE_SECTOR,
    nameEn: 'Companies working with the programme against child sex tourism and online abuse', nameNl: 'Bedrijven die samenwerken tegen kindersekstoerisme en online seksueel misbruik',
    descriptionEn: 'Companies (travel, tourism, ICT, banks) working with the programme to tackle child sex tourism and online sexual abuse.', descriptionNl: 'Bedrijven waarmee wordt samengewerkt om kindersekstoerisme en online seksueel misbruik aan te pakken.' },
  { code: 'SEA-VICTIMS-LEGAL-AID', unit: U.VICTIMS, category: C.VICTIMS_ASSISTED, disaggregationSet: CHILDREN_SET,
    nameEn: 'Victims who received legal aid', nameNl: 'Slachtoffers die juridische hulp krijgen',
    descriptionEn: 'Victims of child sex tourism and online sexual abuse who received legal aid.', descriptionNl: 'Slachtoffers van kindersekstoerisme en online seksueel misbruik die juridische hulp krijgen.' },
  { code: 'SEA-VICTIMS-BACK-TO-SCHOOL', unit: U.VICTIMS, category: C.VICTIMS_ASSISTED, disaggregationSet: CHILDREN_SET,
    nameEn: 'Victims back in school or vocational training', nameNl: 'Slachtoffers die weer naar school gaan of een vakopleiding volgen',
    descriptionEn: 'Victims given the chance to go back to school or to follow vocational training.', descriptionNl: 'Slachtoffers die de kans krijgen om weer naar school te gaan of een vakopleiding te volgen.' },
  { code: 'SEA-POLICY-STRATEGIES', unit: U.STRATEGIES, category: C.POLICY,
    nameEn: 'Strategies developed to improve government policy', nameNl: 'Strategieën ontwikkeld om overheidsbeleid te verbeteren',
    descriptionEn: 'Strategies developed to improve government policy on child sex tourism and online sexual abuse.', descriptionNl: 'Strategieën om het overheidsbeleid op het gebied van kindersekstoerisme en online seksueel misbruik te verbeteren.' },
  { code: 'SEA-OFFICIALS-TRAINED', unit: U.OFFICIALS, category: C.OFFICIALS_TRAINED, disaggregationSet: ADULTS_SET,
    nameEn: 'Police officers, judges and prosecutors trained', nameNl: 'Politiefunctionarissen, rechters en officieren van justitie getraind',
    descriptionEn: 'Police officers, judges, prosecutors and other justice officials trained, for example to trace offenders or to report on convicted offenders.', descriptionNl: 'Politiefunctionarissen, rechters, officieren van justitie en andere functionarissen getraind, bijvoorbeeld in het opsporen van daders.' },
  { code: 'SEA-OFFENDERS-ARRESTED', unit: U.OFFENDERS, category: C.PROSECUTIONS,
    nameEn: 'Child sex offenders traced and arrested', nameNl: 'Kindersekstoeristen opgespoord en gearresteerd',
    descriptionEn: 'Travelling child sex offenders traced and arrested.', descriptionNl: 'Kindersekstoeristen die zijn opgespoord en gearresteerd.' },
  { code: 'SEA-COMMUNITY-MEETINGS', unit: U.EVENTS, category: C.AWARENESS,
    nameEn: 'Meetings on child protection with communities and religious leaders', nameNl: 'Bijeenkomsten over kinderbescherming met gemeenschappen en religieuze leiders',
    descriptionEn: 'Meetings between local partners, community members and religious leaders to discuss child-protection issues.', descriptionNl: 'Bijeenkomsten tussen lokale partners, gemeenschapsleden en religieuze leiders om kinderbeschermingsvraagstukken te bespreken.' },
  { code: 'SEA-VICTIM-FAMILIES-SUPPORTED', unit: U.FAMILIES, category: C.FAMILIES_SUPPORTED,
    nameEn: 'Families of victims given legal, medical and emotional support', nameNl: 'Families van slachtoffers die juridische, medische en emotionele ondersteuning kregen',
    descriptionEn: 'Families of victims given legal, medical and emotional support, with regular visits by local partners.', descriptionNl: 'Families van slachtoffers die juridische, medische en emotionele ondersteuning kregen, met regelmatig bezoek van lokale partners.' },
  { code: 'SEA-CASES-REPORTED', unit: U.CASES, category: C.CASE_REPORTING,
    nameEn: 'Cases of child abuse reported to the authorities by communities', nameNl: 'Gevallen van kindermishandeling door gemeenschapsleden gerapporteerd aan de autoriteiten',
    descriptionEn: 'Cases of child abuse reported to the authorities by community members, following awareness campaigns.', descriptionNl: 'Gevallen van kindermishandeling die lokale gemeenschapsleden aan de autoriteiten rapporteerden.' },
  { code: 'SEA-VICTIMS-SPECIALISED-HELP', unit: U.VICTIMS, category: C.VICTIMS_ASSISTED, disaggregationSet: CHILDREN_SET,
    nameEn: 'Victims of sexual exploitation given specialised help', nameNl: 'Slachtoffers van seksuele uitbuiting die gespecialiseerde hulp ontvingen',
    descriptionEn: 'Victims of sexual exploitation who received specialised help: shelter, medical care, education or legal aid.', descriptionNl: 'Slachtoffers van seksuele uitbuiting die gespecialiseerde hulp ontvingen op het gebied van opvang, medische hulp, opleiding en rechtsbijstand.' },
  { code: 'SEA-SCHOOLS-MATERIALS', unit: U.SCHOOLS, category: C.AWARENESS,
    nameEn: 'Schools given awareness materials and follow-up sessions', nameNl: 'Scholen met communicatiemateriaal en vervolgbijeenkomsten',
    descriptionEn: 'Schools for which communication material was made and follow-up sessions were held to present it to students.', descriptionNl: 'Scholen waarvoor communicatiemateriaal is gemaakt en vervolgbijeenkomsten zijn georganiseerd.' },
  { code: 'SEA-PRIVATE-SECTOR-DIALOGUES', unit: U.EVENTS, category: C.PRIVATE_SECTOR,
    nameEn: 'Dialogues started with private-sector representatives', nameNl: 'Dialogen gestart met vertegenwoordigers van de particuliere sector',
    descriptionEn: 'New dialogues with private-sector representatives to raise awareness of possible child exploitation in their sector.', descriptionNl: 'Nieuwe dialogen met vertegenwoordigers van de particuliere sector om hun bewustzijn over mogelijke kinderuitbuiting te vergroten.' },

  // Down to Zero (alliance programme, 2016–2020)
  { code: 'DTZ-CHILDREN-KNOW-SE', unit: U.CHILDREN, category: C.CHILDREN_REACHED, disaggregationSet: CHILDREN_SET,
    nameEn: 'Children who know what sexual exploitation is and how to report it', nameNl: 'Kinderen die weten wat seksuele uitbuiting is en hoe ze het kunnen rapporteren',
    descriptionEn: 'Children who know what sexual exploitation is, that it is not "normal", and how to report it.', descriptionNl: 'Kinderen die weten wat seksuele uitbuiting is, dat dit niet \'normaal\' is en hoe ze het kunnen rapporteren.' },
  { code: 'DTZ-CHILDREN-TRAINED-RIGHTS', unit: U.CHILDREN, category: C.CHILDREN_REACHED, disaggregationSet: CHILDREN_SET,
    nameEn: 'Children trained to stand up for children\'s rights and protect themselves and their peers', nameNl: 'Kinderen getraind om op te komen voor kinderrechten en zichzelf en leeftijdsgenoten te beschermen',
    descriptionEn: 'Children trained to stand up for children\'s rights and to protect themselves and their peers against sexual exploitation. The report counts them in addition to the children who know what sexual exploitation is.', descriptionNl: 'Kinderen getraind om op te komen voor kinderrechten en zichzelf en leeftijdsgenootjes te beschermen tegen seksuele uitbuiting.' },
  { code: 'DTZ-CHILDREN-SAFETY-MAPPING', unit: U.CHILDREN, category: C.POLICY,
    nameEn: 'Children who mapped where they are unsafe and discussed it with local government', nameNl: 'Kinderen die in kaart brachten waar zij kwetsbaar zijn en dit bespraken met de lokale overheid',
    descriptionEn: 'Children who mapped where and when they are vulnerable and discussed with their local government how to make their communities safe. Counted under policy, not under children reached, because these children are likely among the children trained.', descriptionNl: 'Kinderen die in kaart brachten waar en wanneer zij kwetsbaar zijn en met hun lokale overheid spraken over wat er gedaan kan worden.' },
  { code: 'DTZ-VICTIMS-ASSISTED', unit: U.VICTIMS, category: C.VICTIMS_ASSISTED, disaggregationSet: CHILDREN_SET,
    nameEn: 'Victims who received shelter, health care, education or legal aid', nameNl: 'Slachtoffers die hulp kregen in de vorm van onderdak, gezondheidszorg, onderwijs en rechtsbijstand',
    descriptionEn: 'Victims of sexual exploitation who received help in the form of shelter, health care, education and legal aid.', descriptionNl: 'Slachtoffers die hulp kregen in de vorm van onderdak, gezondheidszorg, onderwijs en rechtsbijstand.' },
  { code: 'DTZ-CP-COMMITTEES', unit: U.COMMITTEES, category: C.CIVIL_SOCIETY,
    nameEn: 'Child protection committees supported', nameNl: 'Kinderbeschermingscommissies gesteund',
    descriptionEn: 'Community child protection committees supported by the alliance.', descriptionNl: 'Kinderbeschermingscommissies die door de alliantie zijn gesteund.' },
  { code: 'DTZ-COMPANIES-POLICY', unit: U.COMPANIES, category: C.PRIVATE_SECTOR,
    nameEn: 'Companies helped to draw up policy against sexual exploitation of children', nameNl: 'Bedrijven geholpen bij het opstellen van beleid tegen seksuele uitbuiting',
    descriptionEn: 'Companies helped to draw up specific policy against sexual exploitation of children.', descriptionNl: 'Bedrijven die hulp kregen bij het opstellen van specifiek beleid om seksuele uitbuiting tegen te gaan.' },
  { code: 'DTZ-COMPANIES-TRAINED', unit: U.COMPANIES, category: C.PRIVATE_SECTOR,
    nameEn: 'Companies trained to recognise and prevent sexual exploitation of children', nameNl: 'Bedrijven getraind in het herkennen en voorkomen van seksuele uitbuiting',
    descriptionEn: 'Companies whose staff were trained to recognise and prevent sexual exploitation of children, for example hotel staff recognising child sex tourists.', descriptionNl: 'Bedrijven die training kregen in het herkennen en voorkomen van seksuele uitbuiting.' },
  { code: 'DTZ-OFFICIALS-TRAINED', unit: U.OFFICIALS, category: C.OFFICIALS_TRAINED, disaggregationSet: ADULTS_SET,
    nameEn: 'Officials trained to recognise and act against sexual exploitation of children', nameNl: 'Ambtenaren getraind in het herkennen van en optreden tegen seksuele uitbuiting',
    descriptionEn: 'Government officials trained to recognise sexual exploitation of children and to act against it.', descriptionNl: 'Ambtenaren die training kregen in het herkennen van seksuele uitbuiting en het er tegen optreden.' },

  // Tackling child trafficking in Bangladesh: reporting and referral (Terre des Hommes)
  { code: 'BGD-SERVICE-CENTRE-USERS', unit: U.PEOPLE, category: C.CASE_REPORTING, periodAggregation: PeriodAggregation.LAST,
    nameEn: 'Users of the one-stop digital service centre', nameNl: 'Gebruikers van het one-stop digitaal servicecentrum',
    descriptionEn: 'People registered as users of the one-stop digital service centre for reporting and referring cases of child trafficking. A running total: the latest figure is the current number.', descriptionNl: 'Gebruikers van het one-stop digitale servicecentrum voor het melden en doorverwijzen van zaken van kinderhandel.' },
  { code: 'BGD-SERVICE-CENTRE-ORGANISATIONS', unit: U.ORGANISATIONS, category: C.CASE_REPORTING, periodAggregation: PeriodAggregation.LAST,
    nameEn: 'Organisations connected to the service centre', nameNl: 'Organisaties aangesloten bij het servicecentrum',
    descriptionEn: 'Organisations that have joined the one-stop digital service centre. A running total: the latest figure is the current number.', descriptionNl: 'Organisaties die zich hebben aangesloten bij het servicecentrum.' },
  { code: 'BGD-CASES-REPORTED', unit: U.CASES, category: C.CASE_REPORTING,
    nameEn: 'Cases of child trafficking reported through the system', nameNl: 'Gevallen van kinderhandel gemeld via het systeem',
    descriptionEn: 'Cases of child trafficking reported through the reporting-and-referral system.', descriptionNl: 'Gevallen van kinderhandel die via het meldings- en verwijzingssysteem zijn gemeld.' },
  { code: 'BGD-CASES-REFERRED', unit: U.CASES, category: C.CASE_REPORTING,
    nameEn: 'Reported cases whose victims were referred to services', nameNl: 'Gemelde gevallen waarvan de slachtoffers zijn doorverwezen naar hulpverlening',
    descriptionEn: 'Reported cases whose victims were referred to the right services.', descriptionNl: 'Gemelde gevallen waarvan de slachtoffers naar de juiste hulpverlening zijn verwezen.' },
  { code: 'BGD-CTC-MEMBERS-TRAINED', unit: U.ADULTS, category: C.PROFESSIONALS_TRAINED, disaggregationSet: ADULTS_SET,
    nameEn: 'Counter-trafficking committee members trained', nameNl: 'CTC-leden getraind',
    descriptionEn: 'Members of counter-trafficking committees (CTCs) trained to use the online and mobile tools for reporting and referring cases.', descriptionNl: 'Leden van Counter Trafficking Committees (CTC) getraind in het gebruik van de online en mobiele tools voor het rapporteren en verwijzen van gevallen.' },
  { code: 'BGD-SERVICE-PROVIDERS-TRAINED', unit: U.ADULTS, category: C.PROFESSIONALS_TRAINED, disaggregationSet: ADULTS_SET,
    nameEn: 'Service providers trained in reporting and referral', nameNl: 'Hulpverleners getraind in melden en doorverwijzen',
    descriptionEn: 'Service providers, teachers and others trained to use the online and mobile tools for reporting and referring cases of trafficking.', descriptionNl: 'Hulpverleners getraind in het gebruik van de nieuwe online en mobiele tools voor het rapporteren en verwijzen van gevallen.' },
  { code: 'BGD-CAMPAIGN-REACH', unit: U.PEOPLE, category: C.AWARENESS,
    nameEn: 'People reached by the awareness campaign', nameNl: 'Mensen bereikt in de bewustwordingscampagne',
    descriptionEn: 'People reached by the awareness campaign on child trafficking.', descriptionNl: 'Mensen die zijn bereikt in de bewustwordingscampagne.' },
  { code: 'BGD-SCHOOL-AWARENESS', unit: U.CHILDREN, category: C.CHILDREN_REACHED, disaggregationSet: CHILDREN_SET,
    nameEn: 'Boys and girls who took part in awareness activities at school', nameNl: 'Jongens en meisjes die meewerkten aan bewustwordingsactiviteiten in school',
    descriptionEn: 'Boys and girls who took part in awareness activities at school.', descriptionNl: 'Jongens en meisjes die hebben meegewerkt aan bewustwordingsactiviteiten in school.' },
];

export interface FigureSeed {
  indicator: string;
  countries: string[];
  value: number;
  excerpt: string;
  /** Target period; null = for the programme as a whole (the report gives no period). */
  period?: string | null;
  sex?: Sex;
  comment?: string;
}

export interface ProgrammeSeed {
  code: string;
  nameEn: string;
  nameNl: string;
  descriptionEn: string;
  descriptionNl: string;
  lead: string;
  participants: { organisation: string; role: ParticipantRole }[];
  countries: string[];
  /** A programme unless said otherwise. */
  kind?: ProgrammeKind;
  /** The forms of exploitation the source document names. */
  exploitationTypes: X[];
  /** As the source document gives them; when it does not, the description says so. */
  startDate?: string;
  endDate?: string;
  reportingPeriodType: PeriodType;
  source: string;
  /** Who reported the results, and for which period. */
  reportedBy: string;
  resultPeriod: string;
  results: FigureSeed[];
  targets: FigureSeed[];
}

const CTA_COUNTRIES = ['IN', 'NP', 'BD', 'MM', 'TH', 'LA', 'KH', 'MY', 'ID', 'PH'];
const SEA_COUNTRIES = ['BD', 'KH', 'PH', 'IN', 'ID', 'MM', 'NP', 'LK', 'TH'];
const DTZ_COUNTRIES = ['BR', 'DO', 'BO', 'CO', 'NI', 'PE', 'BD', 'IN', 'ID', 'PH', 'TH'];
const KH_MM_NP_TH = ['KH', 'MM', 'NP', 'TH'];

export const programmes: ProgrammeSeed[] = [
  {
    code: 'child-trafficking-asia',
    nameEn: 'Child trafficking in Asia',
    nameNl: 'Kinderhandel in Azië',
    descriptionEn:
      'Terre des Hommes and local partners work with governments in ten Asian countries to protect the rights of child migrants, including victims of child trafficking: prevention, assistance to victims (education, shelter, medical and psychosocial care, family reunification), advocacy and legal aid. The report gives no start or end date: its results are for 2017, and its targets name no year.',
    descriptionNl:
      'Terre des Hommes en lokale partners zorgen ervoor dat India, Nepal, Bangladesh, Myanmar, Thailand, Laos, Cambodja, Maleisië, Indonesië en de Filipijnen de rechten van kindmigranten (waaronder slachtoffers van kinderhandel) beschermen, met preventie, hulpverlening, promotie en lobby, en rechtshulp. Het verslag noemt geen begin- of einddatum: de resultaten gaan over 2017 en de doelstellingen noemen geen jaar.',
    lead: 'tdh-nl',
    participants: [{ organisation: 'tdh-nl', role: ParticipantRole.LEAD }],
    countries: CTA_COUNTRIES,
    // "Ze belanden in de prostitutie of criminaliteit, of worden gedwongen om gevaarlijk en zwaar werk te doen."
    exploitationTypes: [X.SEXUAL_EXPLOITATION, X.FORCED_LABOUR],
    reportingPeriodType: PeriodType.YEAR,
    source: 'tdh-child-trafficking-asia',
    reportedBy: 'tdh-nl',
    resultPeriod: '2017',
    targets: [
      { indicator: 'CTA-CHILDREN-SAFE', countries: CTA_COUNTRIES, value: 20000, period: null, excerpt: '20.000 jongens en meisjes lopen niet meer het risico het slachtoffer te worden van kinderhandel en uitbuiting.' },
      { indicator: 'CTA-CHILDREN-AWARE', countries: CTA_COUNTRIES, value: 122000, period: null, excerpt: '122.000 kwetsbare kinderen zijn zich bewust van de gevaren van kinderhandel en migratie.' },
      { indicator: 'CTA-CHILDREN-EDUCATED', countries: CTA_COUNTRIES, value: 18000, period: null, excerpt: '18.000 kwetsbare kinderen hebben onderwijs gekregen.' },
      { indicator: 'CTA-VICTIMS-EDUCATED', countries: CTA_COUNTRIES, value: 13000, period: null, excerpt: '13.000 uitgebuite/misbruikte kinderen hebben onderwijs gekregen.' },
      { indicator: 'CTA-VICTIMS-LEGAL-AID', countries: CTA_COUNTRIES, value: 7000, period: null, excerpt: '7.000 uitgebuite/misbruikte kinderen hebben juridische bijstand gekregen.' },
      { indicator: 'CTA-COMMUNITY-AWARE', countries: CTA_COUNTRIES, value: 255000, period: null, excerpt: '255.000 leden van gemeenschappen met kinderen die kwetsbaar zijn voor uitbuiting kennen de risico’s van kinderhandel en migratie.' },
      { indicator: 'CTA-OFFICIALS-TRAINED', countries: CTA_COUNTRIES, value: 17500, period: null, excerpt: '17.500 ambtenaren, waaronder medewerkers van politie en justitie, hebben een training gevolgd in het beschermen van kinderen, kinderrechten en kindvriendelijke ondervragingstechnieken.' },
      { indicator: 'CTA-CHANGE-AGENTS', countries: KH_MM_NP_TH, value: 675, period: '2017', excerpt: 'In Cambodja, Myanmar, Nepal en Thailand werden 502 kinderen en jongeren opgeleid om een actieve rol te spelen bij het bewerkstelligen van verandering door middel van theater, mediatraining en evenementen (doelstelling 675)' },
      { indicator: 'CTA-COMMUNITY-AWARE', countries: ['BD', 'NP'], value: 318500, period: '2017', excerpt: 'In Bangladesh en Nepal namen 426.116 gemeenschapsleden met kinderen die risico liepen om slachtoffer te worden van uitbuiting, deel aan voorlichtingsactiviteiten, zoals theater- voorstellingen, herdenkingsevenementen en workshops (doelstelling 318.500)' },
      { indicator: 'CTA-CSO-REPS-TRAINED', countries: KH_MM_NP_TH, value: 98, period: '2017', excerpt: 'In Cambodja, Myanmar, Nepal en Thailand werden 363 vertegenwoordigers van maatschappelijke organisaties getraind om kinderrechten te bevorderen en om inzicht te verkrijgen in de rol van de overheid en de particuliere sector in het beschermen van kinderrechten (doelstelling 98)' },
      { indicator: 'CTA-CSO-GENDER-TRAINED', countries: ['PH'], value: 20, period: '2017', excerpt: 'In de Filippijnen werden 19 nationale en regionale maatschap- pelijke organisaties getraind op het gebied van genderbeleid en -praktijken (doelstelling 20)' },
      { indicator: 'MEDIA-CAMPAIGNS-CHILD-RIGHTS', countries: ['BD'], value: 9, period: '2017', excerpt: 'In Bangladesh werden 10 mediacampagnes gehouden gericht op beleidsmaatregelen betreffende de rechten van kinderen (doelstelling 9)' },
    ],
    results: [
      { indicator: 'CTA-COMMUNITY-AWARE', countries: ['BD'], value: 421501, excerpt: 'Bangladesh: 421.501 gemeenschapsleden met kinderen die risico liepen om slachtoffer van kinderhandel te worden, namen deel aan voorlichtingsactiviteiten, zoals theatervoorstellingen, herdenkingsevenementen en workshops.' },
      { indicator: 'CTA-RESEARCH-PUBLISHED', countries: ['IN'], value: 1, excerpt: 'India: door maatschappelijke organisaties werd 1 onderzoeks- en actieverslag gepubliceerd.' },
      { indicator: 'CTA-CSO-REPS-TRAINED', countries: ['KH'], value: 8, excerpt: 'Cambodja: 8 vertegenwoordigers van maatschappelijke organisaties werden getraind in de gevaren van onveilige migratie en het verkrijgen van inzicht in de rol van de overheid en de particuliere sector in het beschermen van kinderrechten.' },
      { indicator: 'CTA-CHANGE-AGENTS', countries: ['MM'], value: 28, excerpt: 'Myanmar: 28 kinderen en jongeren werden opgeleid om een actieve rol te spelen bij het bewerkstelligen van verandering door middel van theater, mediatraining en evenementen.' },
      { indicator: 'CTA-COMMUNITY-CAMPAIGNS', countries: ['NP'], value: 33, excerpt: 'Nepal: 33 voorlichtingscampagnes werden gehouden voor gemeenschappen om de gevaren van onveilige migratie en kinderhandel onder de aandacht te brengen en de rechten van kinderen te bevorderen.' },
      { indicator: 'CTA-CSO-GENDER-TRAINED', countries: ['PH'], value: 19, excerpt: 'Filippijnen: 19 nationale en regionale maatschappelijke organisaties werden getraind op het gebied van genderbeleid en beste gender praktijken.', comment: 'The report gives this figure twice, once with its target of 20; it is one figure.' },
      { indicator: 'CTA-POLICY-WORKSHOPS', countries: ['TH'], value: 5, excerpt: 'Thailand: 5 workshops en bijeenkomsten gegeven aan partnerorganisaties om aanpassing van beleidsmaatregelen en wetten betreffende de rechten van kinderen te bereiken.' },
      { indicator: 'CTA-CHANGE-AGENTS', countries: KH_MM_NP_TH, value: 502, excerpt: 'In Cambodja, Myanmar, Nepal en Thailand werden 502 kinderen en jongeren opgeleid om een actieve rol te spelen bij het bewerkstelligen van verandering door middel van theater, mediatraining en evenementen (doelstelling 675)' },
      { indicator: 'CTA-COMMUNITY-AWARE', countries: ['BD', 'NP'], value: 426116, excerpt: 'In Bangladesh en Nepal namen 426.116 gemeenschapsleden met kinderen die risico liepen om slachtoffer te worden van uitbuiting, deel aan voorlichtingsactiviteiten, zoals theater- voorstellingen, herdenkingsevenementen en workshops (doelstelling 318.500)' },
      { indicator: 'CTA-CSO-REPS-TRAINED', countries: KH_MM_NP_TH, value: 363, excerpt: 'In Cambodja, Myanmar, Nepal en Thailand werden 363 vertegenwoordigers van maatschappelijke organisaties getraind om kinderrechten te bevorderen en om inzicht te verkrijgen in de rol van de overheid en de particuliere sector in het beschermen van kinderrechten (doelstelling 98)' },
      { indicator: 'MEDIA-CAMPAIGNS-CHILD-RIGHTS', countries: ['BD'], value: 10, excerpt: 'In Bangladesh werden 10 mediacampagnes gehouden gericht op beleidsmaatregelen betreffende de rechten van kinderen (doelstelling 9)' },
    ],
  },
  {
    code: 'sexual-exploitation-asia',
    nameEn: 'Sexual exploitation of children in Asia',
    nameNl: 'Seksuele uitbuiting van kinderen in Azië',
    descriptionEn:
      'Terre des Hommes tackles child sex tourism and online sexual abuse of children in nine Asian countries: prevention with children, families and the travel and ICT industry; help for victims; lobbying governments and regional bodies (ASEAN, SAARC); and legal aid and training for police and the judiciary. The report, with results from January to June 2017, sets its targets for "the coming three years": the dates 2017–2019 are read from that, as the report names no day.',
    descriptionNl:
      'Terre des Hommes pakt kindersekstoerisme en het online seksueel misbruik van kinderen aan in Bangladesh, Cambodja, de Filipijnen, India, Indonesië, Myanmar, Nepal, Sri Lanka en Thailand, met preventie, hulpverlening, promotie en lobby, en rechtshulp. Het verslag, met resultaten van januari tot en met juni 2017, stelt doelen voor "de komende drie jaar": de data 2017–2019 zijn daaruit afgeleid, want het verslag noemt geen dag.',
    lead: 'tdh-nl',
    participants: [{ organisation: 'tdh-nl', role: ParticipantRole.LEAD }],
    countries: SEA_COUNTRIES,
    exploitationTypes: [X.SEXUAL_EXPLOITATION, X.ONLINE_SEXUAL_EXPLOITATION],
    startDate: '2017-01-01',
    endDate: '2019-12-31',
    reportingPeriodType: PeriodType.SEMESTER,
    source: 'tdh-sexual-exploitation-asia',
    reportedBy: 'tdh-nl',
    resultPeriod: '2017S1',
    targets: [
      { indicator: 'SEA-CHILDREN-INFORMED', countries: SEA_COUNTRIES, value: 11000, period: null, excerpt: '11.000 kinderen en 20.000 volwassenen krijgen voorlichting over de gevaren van kindersekstoerisme en online seksueel misbruik.', comment: 'Target for the coming three years, as stated in the report.' },
      { indicator: 'SEA-ADULTS-INFORMED', countries: SEA_COUNTRIES, value: 20000, period: null, excerpt: '11.000 kinderen en 20.000 volwassenen krijgen voorlichting over de gevaren van kindersekstoerisme en online seksueel misbruik.', comment: 'Target for the coming three years, as stated in the report.' },
      { indicator: 'SEA-CHILDREN-IN-SCHOOL', countries: SEA_COUNTRIES, value: 6000, period: null, excerpt: '6.000 kinderen die risico lopen om hiervan het slachtoffer te worden, gaan naar school.', comment: 'Target for the coming three years, as stated in the report.' },
      { indicator: 'SEA-FAMILIES-INCOME', countries: SEA_COUNTRIES, value: 1200, period: null, excerpt: '1.200 families krijgen hulp bij het vinden van andere inkomstenbronnen, zodat kinderen niet langer geld hoeven te verdienen via de webcam of seks met toeristen.', comment: 'Target for the coming three years, as stated in the report.' },
      { indicator: 'SEA-SAFE-INTERNET-CURRICULA', countries: SEA_COUNTRIES, value: 4, period: null, excerpt: 'We ontwikkelen vier lesmethodes, waarin we uitleggen hoe ze veilig kunnen internetten.', comment: 'Target for the coming three years, as stated in the report.' },
      { indicator: 'SEA-COMPANIES-ENGAGED', countries: SEA_COUNTRIES, value: 250, period: null, excerpt: 'We werken samen met 250 bedrijven om kindersekstoerisme en online seksueel misbruik aan te pakken.', comment: 'Target for the coming three years, as stated in the report.' },
      { indicator: 'SEA-VICTIMS-LEGAL-AID', countries: SEA_COUNTRIES, value: 3700, period: null, excerpt: '3.700 slachtoffers krijgen juridische hulp.', comment: 'Target for the coming three years, as stated in the report.' },
      { indicator: 'SEA-VICTIMS-BACK-TO-SCHOOL', countries: SEA_COUNTRIES, value: 700, period: null, excerpt: '700 slachtoffers krijgen de kans om weer naar school te gaan, of om een vakopleiding te volgen.', comment: 'Target for the coming three years, as stated in the report.' },
      { indicator: 'SEA-POLICY-STRATEGIES', countries: SEA_COUNTRIES, value: 25, period: null, excerpt: 'We hebben 25 strategieën ontwikkeld om het overheidsbeleid op het gebied van kindersekstoerisme en online seksueel misbruik te verbeteren.', comment: 'Target for the coming three years, as stated in the report.' },
      { indicator: 'SEA-OFFICIALS-TRAINED', countries: SEA_COUNTRIES, value: 1500, period: null, excerpt: '1.500 politiefunctionarissen, rechters en officieren van justitie hebben geleerd hoe ze daders kunnen opsporen.', comment: 'Target for the coming three years, as stated in the report.' },
      { indicator: 'SEA-OFFENDERS-ARRESTED', countries: SEA_COUNTRIES, value: 250, period: null, excerpt: '250 kindersekstoeristen zijn opgespoord en gearresteerd.', comment: 'Target for the coming three years, as stated in the report.' },
    ],
    results: [
      { indicator: 'SEA-COMMUNITY-MEETINGS', countries: ['BD'], value: 62, excerpt: 'In Bangladesh zijn 62 bijeenkomsten gehouden om te discussiëren over kinderbeschermingsvraagstukken tussen onze lokale partners, de gemeenschapsleden en religieuze leiders.' },
      { indicator: 'SEA-CHILDREN-INFORMED', countries: ['ID'], value: 650, excerpt: 'In Indonesië hebben 650 kinderen training gekregen over het herkennen van kinderuitbuiting en hoe ze zorg en vermoedens moeten melden aan de autoriteiten.' },
      { indicator: 'SEA-CHILDREN-IN-SCHOOL', countries: ['IN'], value: 908, sex: Sex.GIRL, excerpt: 'In India kregen 908 kwetsbare meisjes ondersteuning op het gebied van onderwijs, (her)inschrijving voor school en het claimen van sociale bijstand van de overheid.' },
      { indicator: 'SEA-VICTIM-FAMILIES-SUPPORTED', countries: ['PH'], value: 138, excerpt: 'In de Filippijnen kregen 138 families van slachtoffers ondersteuning in de vorm van juridische, medische en emotionele ondersteuning met regelmatig bezoek van onze lokale partners.' },
      { indicator: 'SEA-CASES-REPORTED', countries: ['LK'], value: 141, excerpt: 'In Sri Lanka werden, als gevolg van de bewustwordingscampagne over seksuele uitbuiting van kinderen, door lokale leden van de gemeenschap 141 gevallen van kindermishandeling gerapporteerd aan de autoriteiten.' },
      { indicator: 'SEA-VICTIMS-SPECIALISED-HELP', countries: ['TH'], value: 306, excerpt: 'In Thailand ontvingen 306 slachtoffers van seksuele uitbuiting gespecialiseerde hulp op het gebied van opvang, medische hulp, opleiding en rechtsbijstand.' },
      { indicator: 'MEDIA-CAMPAIGNS-CHILD-RIGHTS', countries: ['BD'], value: 10, excerpt: 'In Bangladesh zijn 10 mediacampagnes die betrekking hebben op kinderrechtenbeleid gelanceerd.' },
      { indicator: 'SEA-SCHOOLS-MATERIALS', countries: ['BD'], value: 13, excerpt: 'Voor 13 scholen is er communicatiemateriaal gemaakt en zijn er vervolgbijeenkomsten georganiseerd om de materialen aan de jonge studenten te presenteren.' },
      { indicator: 'SEA-OFFICIALS-TRAINED', countries: ['LK'], value: 109, excerpt: 'In Sri Lanka zijn 109 functionarissen van de politie en de rechterlijke macht getraind in het rapporteren en opstellen van persberichten over veroordeelde daders.' },
      { indicator: 'SEA-PRIVATE-SECTOR-DIALOGUES', countries: ['PH'], value: 10, excerpt: 'In de Filippijnen zijn 10 nieuwe dialogen gestart met vertegenwoordigers van de particuliere sector om hun bewustzijn over mogelijke kinderuitbuiting in deze sector te vergroten en uit te leggen hoe zij kunnen bijdragen aan de verbetering van de situatie.' },
    ],
  },
  {
    code: 'down-to-zero',
    nameEn: 'Down to Zero',
    nameNl: 'Down to Zero',
    descriptionEn:
      'Five-year alliance of Terre des Hommes, Defence for Children – ECPAT, Free a Girl, ICCO Cooperation and Plan Nederland to end commercial sexual exploitation of children in Asia and Latin America by the end of 2020, led by Terre des Hommes with the Netherlands Ministry of Foreign Affairs, working with local partners in eleven countries.',
    descriptionNl:
      'In deze alliantie werken Terre des Hommes, Defence for Children – ECPAT, Free a Girl, ICCO Cooperation en Plan Nederland vijf jaar lang samen om commerciële seksuele uitbuiting van kinderen in Azië en Latijns-Amerika uit te bannen voor het einde van 2020.',
    lead: 'tdh-nl',
    participants: [
      { organisation: 'tdh-nl', role: ParticipantRole.LEAD },
      { organisation: 'dci-ecpat-nl', role: ParticipantRole.MEMBER },
      { organisation: 'free-a-girl', role: ParticipantRole.MEMBER },
      { organisation: 'icco', role: ParticipantRole.MEMBER },
      { organisation: 'plan-nl', role: ParticipantRole.MEMBER },
      { organisation: 'nl-mfa', role: ParticipantRole.DONOR },
      { organisation: 'google-th', role: ParticipantRole.STRATEGIC_PARTNER },
    ],
    countries: DTZ_COUNTRIES,
    exploitationTypes: [X.SEXUAL_EXPLOITATION],
    startDate: '2016-01-01',
    endDate: '2020-12-31',
    reportingPeriodType: PeriodType.YEAR,
    source: 'dtz-first-year-2017',
    reportedBy: 'tdh-nl',
    resultPeriod: '2016',
    targets: [],
    results: [
      { indicator: 'DTZ-CHILDREN-KNOW-SE', countries: DTZ_COUNTRIES, value: 3667, excerpt: 'Na het eerste jaar weten al 3.667 kinderen wat seksuele uitbuiting is, dat dit niet ‘normaal’ is en hoe ze het kunnen rapporten.', comment: 'Alliance-wide figure for the first year (annual report 2016), reported by the lead organisation.' },
      { indicator: 'DTZ-CHILDREN-TRAINED-RIGHTS', countries: DTZ_COUNTRIES, value: 2102, excerpt: 'Nog eens 2.102 kinderen zijn getraind om op te komen voor kinderrechten en hoe ze zichzelf en leeftijdsgenootjes kunnen beschermen tegen seksuele uitbuiting.' },
      { indicator: 'DTZ-CHILDREN-SAFETY-MAPPING', countries: ['IN'], value: 15, excerpt: 'Vijftien kinderen in India brachten in kaart waar en wanneer zij kwetsbaar zijn.' },
      { indicator: 'DTZ-VICTIMS-ASSISTED', countries: DTZ_COUNTRIES, value: 909, excerpt: 'Naast het weerbaar maken van kinderen, hebben 909 slachtoffers hulp gekregen in de vorm van onderdak, gezondheidszorg, onderwijs en rechtsbijstand.' },
      { indicator: 'DTZ-CP-COMMITTEES', countries: DTZ_COUNTRIES, value: 36, excerpt: 'Daarnaast werden 36 kinderbeschermingscommissies gesteund.' },
      { indicator: 'DTZ-COMPANIES-POLICY', countries: DTZ_COUNTRIES, value: 31, excerpt: '31 bedrijven kregen hulp bij het opstellen van specifiek beleid om seksuele uitbuiting tegen te gaan' },
      { indicator: 'DTZ-COMPANIES-TRAINED', countries: DTZ_COUNTRIES, value: 95, excerpt: '95 bedrijven kregen training in het herkennen en voorkomen van seksuele uitbuiting.' },
      { indicator: 'DTZ-OFFICIALS-TRAINED', countries: DTZ_COUNTRIES, value: 1745, excerpt: 'Om te zorgen dat de veranderingen blijvend zijn, kregen al 1.745 ambtenaren training in het herkennen van seksuele uitbuiting en het er tegen optreden.' },
    ],
  },
  {
    code: 'bangladesh-referral',
    nameEn: 'Tackling child trafficking in Bangladesh: reporting and referral',
    nameNl: 'Aanpak kinderhandel Bangladesh',
    descriptionEn:
      'With the U.S. Department of State, Terre des Hommes set up a one-stop digital service centre in Bangladesh for reporting and referring all cases of child trafficking, sexual exploitation and child labour, trained the people who use it, and coordinated with the TIP Office, USAID and the U.S. Embassy in Dhaka. The project has ended; the page gives no start or end date, and its results are for 2022.',
    descriptionNl:
      'Terre des Hommes zet een meldings- en verwijzingssysteem op voor alle gevallen van kinderhandel, seksuele uitbuiting en arbeid van kinderen in Bangladesh, samen met het Amerikaanse ministerie van Buitenlandse Zaken. Afgerond project; de pagina noemt geen begin- of einddatum, en de resultaten gaan over 2022.',
    lead: 'tdh-nl',
    participants: [
      { organisation: 'tdh-nl', role: ParticipantRole.LEAD },
      { organisation: 'us-dos', role: ParticipantRole.DONOR },
      { organisation: 'us-dos-tip', role: ParticipantRole.STRATEGIC_PARTNER },
      { organisation: 'usaid', role: ParticipantRole.STRATEGIC_PARTNER },
      { organisation: 'us-embassy-dhaka', role: ParticipantRole.STRATEGIC_PARTNER },
    ],
    countries: ['BD'],
    // "kinderhandel voor seks of arbeid"
    exploitationTypes: [X.SEXUAL_EXPLOITATION, X.FORCED_LABOUR],
    reportingPeriodType: PeriodType.YEAR,
    source: 'tdh-bangladesh-referral',
    reportedBy: 'tdh-nl',
    resultPeriod: '2022',
    targets: [],
    results: [
      { indicator: 'BGD-SERVICE-CENTRE-USERS', countries: ['BD'], value: 610, excerpt: 'het servicecentrum is opgezet en heeft inmiddels 610 gebruikers; 26 organisaties hebben zich aangesloten bij het servicecentrum' },
      { indicator: 'BGD-SERVICE-CENTRE-ORGANISATIONS', countries: ['BD'], value: 26, excerpt: 'het servicecentrum is opgezet en heeft inmiddels 610 gebruikers; 26 organisaties hebben zich aangesloten bij het servicecentrum' },
      { indicator: 'BGD-CASES-REPORTED', countries: ['BD'], value: 80, excerpt: '80 gevallen van kinderhandel zijn gemeld via het systeem; alle slachtoffers zijn verwezen naar de juiste hulpverlening' },
      { indicator: 'BGD-CASES-REFERRED', countries: ['BD'], value: 80, excerpt: '80 gevallen van kinderhandel zijn gemeld via het systeem; alle slachtoffers zijn verwezen naar de juiste hulpverlening', comment: 'The report says the victims of all 80 reported cases were referred; it does not give the number of victims.' },
      { indicator: 'BGD-CTC-MEMBERS-TRAINED', countries: ['BD'], value: 184, excerpt: '184 CTC-leden en 600 hulpverleners zijn getraind' },
      { indicator: 'BGD-SERVICE-PROVIDERS-TRAINED', countries: ['BD'], value: 600, excerpt: '184 CTC-leden en 600 hulpverleners zijn getraind' },
      { indicator: 'BGD-CAMPAIGN-REACH', countries: ['BD'], value: 190000, excerpt: '190.000 mensen zijn bereikt in de bewustwordingscampagne' },
      { indicator: 'BGD-SCHOOL-AWARENESS', countries: ['BD'], value: 248, excerpt: '248 jongens en meisjes hebben meegewerkt aan bewustwordingsactiviteiten in school' },
    ],
  },
  {
    code: 'save-the-survivors',
    nameEn: 'Save the Survivors',
    nameNl: 'Save the Survivors',
    descriptionEn:
      'Save the Children\'s campaign for children in conflict zones and on the move, based on true stories of children, launched with its report Tipping Points to Turning Points on child trafficking along the Central Mediterranean Route. It calls on governments, aid organisations, service providers and communities along the route to protect migrant children across borders, open safe and regular routes and treat migrant children first as children. The page names no countries: those here are where the route\'s sea crossings start (Libya, Tunisia) and arrive (Italy, Malta). Launched as new on 23 December 2022; no end date is given, and the campaign publishes no figures.',
    descriptionNl:
      'Campagne van Save the Children voor kinderen in conflictgebieden en op de vlucht, gebaseerd op waargebeurde verhalen, gestart met het rapport Tipping Points to Turning Points over kinderhandel langs de Centrale Mediterrane Route. De pagina noemt geen landen: hier staan de landen waar de oversteek begint (Libië, Tunesië) en aankomt (Italië, Malta). Als nieuw gepresenteerd op 23 december 2022; geen einddatum, en de campagne publiceert geen cijfers.',
    lead: 'save-the-children-nl',
    participants: [{ organisation: 'save-the-children-nl', role: ParticipantRole.LEAD }],
    countries: ['LY', 'TN', 'IT', 'MT'],
    kind: ProgrammeKind.CAMPAIGN,
    // "de meest voorkomende vormen van kinderhandel schuldarbeid of dwangarbeid, seksuele uitbuiting en mensenhandel voor losgeld"
    exploitationTypes: [X.DEBT_BONDAGE, X.FORCED_LABOUR, X.SEXUAL_EXPLOITATION, X.TRAFFICKING_FOR_RANSOM],
    startDate: '2022-12-23',
    reportingPeriodType: PeriodType.YEAR,
    source: 'stc-children-on-the-move-2022',
    reportedBy: 'save-the-children-nl',
    resultPeriod: '2022',
    targets: [],
    results: [],
  },
];
