import { Field, ID, InterfaceType } from 'type-graphql';

@InterfaceType({
  description: 'Anything with a global ID that can be fetched again with `node(id:)`.',
  resolveType: (value: object) => (value as { constructor: { name: string } }).constructor.name,
})
export abstract class Node {
  @Field(() => ID, { name: 'id', description: 'Opaque global identifier; use it with `node(id:)`.' })
  nodeId!: string;
}
