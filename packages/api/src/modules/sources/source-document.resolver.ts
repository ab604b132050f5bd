import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../../graphql/context.js';
import { Organisation } from '../organisations/organisation.entity.js';
import { SourceDocument } from './source-document.entity.js';

@Resolver(() => SourceDocument)
export class SourceDocumentResolver {
  @FieldResolver(() => Organisation, { nullable: true, description: 'The organisation that published the document, when known.' })
  publisher(@Root() doc: SourceDocument, @Ctx() ctx: Context) {
    return doc.publisher ? ctx.loaders.byKey(Organisation).load(doc.publisher.id) : null;
  }
}
