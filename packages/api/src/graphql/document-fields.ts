import { BREAK, TypeInfo, visit, visitWithTypeInfo, type DocumentNode, type GraphQLField, type GraphQLSchema, type GraphQLCompositeType } from 'graphql';

/** Whether a document selects a field for which `test(parentType, field)` holds, anywhere (fragments and `node` included). */
export type FieldTest = (parent: GraphQLCompositeType, field: GraphQLField<unknown, unknown>) => boolean;

/**
 * A checker of documents for one field test, remembering each document's answer: Apollo keeps parsed documents, so
 * a document the api has seen before is not walked again.
 */
export function selectsFieldWhere(test: FieldTest): (schema: GraphQLSchema, document: DocumentNode) => boolean {
  const known = new WeakMap<DocumentNode, boolean>();
  return (schema, document) => {
    const remembered = known.get(document);
    if (remembered !== undefined) return remembered;
    const typeInfo = new TypeInfo(schema);
    let found = false;
    visit(
      document,
      visitWithTypeInfo(typeInfo, {
        Field() {
          const parent = typeInfo.getParentType();
          const field = typeInfo.getFieldDef();
          if (parent && field && test(parent, field)) {
            found = true;
            return BREAK;
          }
          return undefined;
        },
      }),
    );
    known.set(document, found);
    return found;
  };
}
