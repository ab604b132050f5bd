import { Field, InputType, ObjectType } from 'type-graphql';
import { CountryCodeResolver } from 'graphql-scalars';
import { Connection } from '../../graphql/pagination.js';
import { Organisation } from './organisation.entity.js';
import { OrganisationKind } from './organisation.enums.js';

@ObjectType({ description: 'A page of organisations.' })
export class OrganisationConnection extends Connection(Organisation, 'organisations') {}

@InputType({ description: 'Narrows down the list of organisations. All given conditions must hold.' })
export class OrganisationFilter {
  @Field(() => [OrganisationKind], { nullable: true, description: 'Only organisations of these kinds.' })
  kinds?: OrganisationKind[] | null;

  @Field(() => [CountryCodeResolver], { nullable: true, description: 'Only organisations based in these countries.' })
  countries?: string[] | null;
}
