import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { Connection } from '../../graphql/pagination.js';
import { UserError } from '../../graphql/user-error.js';
import { ApiKey } from './api-key.entity.js';
import { Role } from './role.enums.js';

export enum Permission {
  READ_PUBLISHED = 'READ_PUBLISHED',
  READ_UNPUBLISHED_OWN = 'READ_UNPUBLISHED_OWN',
  READ_UNPUBLISHED_ALL = 'READ_UNPUBLISHED_ALL',
  MANAGE_KEYS_OWN = 'MANAGE_KEYS_OWN',
  MANAGE_KEYS_ALL = 'MANAGE_KEYS_ALL',
  MANAGE_CASE_WORKER_KEYS = 'MANAGE_CASE_WORKER_KEYS',
}

registerEnumType(Permission, {
  name: 'Permission',
  description: 'Something a caller may do.',
  valuesConfig: {
    READ_PUBLISHED: { description: 'Read reference data, published (approved) figures, targets and totals. Everyone may.' },
    READ_UNPUBLISHED_OWN: { description: 'Read the unpublished figures of its own organisation and the local partners under it.' },
    READ_UNPUBLISHED_ALL: { description: 'Read the unpublished figures of every organisation.' },
    MANAGE_KEYS_OWN: {
      description: 'Create, list and revoke the PARTNER_ADMIN, PARTNER_EDITOR and VIEWER keys of its own organisation and the local partners under it.',
    },
    MANAGE_KEYS_ALL: { description: 'Create, list and revoke every API key except case-worker keys (CASE_WORKER, CASE_SUPERVISOR).' },
    MANAGE_CASE_WORKER_KEYS: { description: 'Create, list and revoke the CASE_WORKER and CASE_SUPERVISOR keys of its own organisation.' },
  },
});

@ObjectType({ description: 'A page of API keys.' })
export class ApiKeyConnection extends Connection(ApiKey, 'API keys') {}

@ObjectType({ description: 'Who you are to the API, and what you may do.' })
export class Me {
  @Field(() => Boolean, { description: 'True when the request carried a valid API key.' })
  authenticated!: boolean;

  @Field(() => Role, { nullable: true, description: 'Your key\'s role; empty when anonymous.' })
  role!: Role | null;

  @Field(() => ApiKey, { nullable: true, description: 'The key you called with (never its secret); empty when anonymous.' })
  apiKey!: ApiKey | null;

  @Field(() => [Permission], { description: 'What you may do.' })
  permissions!: Permission[];

  organisationId!: number | null;
}

@InputType({ description: 'A new API key.' })
export class CreateApiKeyInput {
  @Field(() => ID, {
    description: 'The organisation that will own the key: yours or one of your local partners '
      + '(any, for an alliance admin; only yours, for a case supervisor).',
  })
  organisation!: string;

  @Field(() => Role, {
    description: 'What the key may do: never more than you. Alliance admins create any role but the case roles; '
      + 'partner admins PARTNER_ADMIN, PARTNER_EDITOR and VIEWER; case supervisors CASE_WORKER and CASE_SUPERVISOR.',
  })
  role!: Role;

  @Field(() => String, {
    nullable: true,
    description: 'What the key is for, 1 to 100 characters, for example "Dashboard". Required, except for CASE_WORKER and CASE_SUPERVISOR keys, '
      + 'which get no name (it would be free text beside case records) and are told apart by their prefix.',
  })
  name?: string | null;

  @Field(() => Date, { nullable: true, description: 'When the key stops working; leave empty for no expiry. Rotate keys by creating a new one and revoking the old.' })
  expiresAt?: Date | null;
}

@ObjectType({ description: 'The result of creating an API key.' })
export class CreateApiKeyPayload {
  @Field(() => ApiKey, { nullable: true, description: 'The new key; empty when it was refused.' })
  apiKey!: ApiKey | null;

  @Field(() => String, {
    nullable: true,
    description: 'The key itself, to send as `Authorization: Bearer <token>`. Shown only now: store it safely; it cannot be retrieved again.',
  })
  token!: string | null;

  @Field(() => [UserError], { description: 'Why the key was refused; empty on success.' })
  userErrors!: UserError[];
}

@InputType({ description: 'Which API key to revoke.' })
export class RevokeApiKeyInput {
  @Field(() => ID, { description: 'The key\'s `id` (not the key itself).' })
  id!: string;
}

@ObjectType({ description: 'The result of revoking an API key.' })
export class RevokeApiKeyPayload {
  @Field(() => ApiKey, { nullable: true, description: 'The revoked key; empty when it was refused.' })
  apiKey!: ApiKey | null;

  @Field(() => [UserError], { description: 'Why the key was not revoked; empty on success.' })
  userErrors!: UserError[];
}
