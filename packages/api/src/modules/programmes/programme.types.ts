import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { CountryCodeResolver } from 'graphql-scalars';
import { Connection } from '../../graphql/pagination.js';
import { Programme, ProgrammeParticipant } from './programme.entity.js';

@ObjectType({ description: 'A page of programmes.' })
export class ProgrammeConnection extends Connection(Programme, 'programmes') {}

@ObjectType({ description: 'A page of programme participants.' })
export class ProgrammeParticipantConnection extends Connection(ProgrammeParticipant, 'participants') {}

@InputType({ description: 'Narrows down the list of programmes. All given conditions must hold; within a list, any value matches.' })
export class ProgrammeFilter {
  @Field(() => [ID], { nullable: true, description: 'Only programmes these organisations (or organisations under them) lead or take part in, by ID or by code (for example `tdh-nl`).' })
  organisations?: string[] | null;

  @Field(() => [CountryCodeResolver], { nullable: true, description: 'Only programmes working in at least one of these countries.' })
  countries?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Only programmes working in at least one country of these regions, for example `Asia`.' })
  regions?: string[] | null;
}
