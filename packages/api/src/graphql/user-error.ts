import { Field, ObjectType } from 'type-graphql';

/** An expected failure of a mutation, returned in its payload rather than as a GraphQL error. */
@ObjectType({ description: 'Why a change was refused: which input field, a code to act on, and a message for people.' })
export class UserError {
  @Field(() => [String], { nullable: true, description: 'The path to the input field at fault, for example `["input", "expiresAt"]`; empty when no single field is.' })
  field!: string[] | null;

  @Field(() => String, { description: 'A stable code, for example `INVALID`, `NOT_FOUND` or `FORBIDDEN`.' })
  code!: string;

  @Field(() => String, { description: 'What went wrong and how to fix it.' })
  message!: string;
}

export const userError = (code: string, message: string, field: string[] | null = null): UserError => ({ code, message, field });
