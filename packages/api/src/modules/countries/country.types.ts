import { ObjectType } from 'type-graphql';
import { Connection } from '../../graphql/pagination.js';
import { Country } from './country.entity.js';

@ObjectType({ description: 'A page of countries.' })
export class CountryConnection extends Connection(Country, 'countries') {}
