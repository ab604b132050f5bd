import { registerEnumType } from 'type-graphql';

export enum Role {
  ALLIANCE_ADMIN = 'ALLIANCE_ADMIN',
  PARTNER_ADMIN = 'PARTNER_ADMIN',
  PARTNER_EDITOR = 'PARTNER_EDITOR',
  VIEWER = 'VIEWER',
  CASE_WORKER = 'CASE_WORKER',
}

registerEnumType(Role, {
  name: 'Role',
  description: 'What an API key may do. Partner roles reach the key\'s own organisation and the local partners under it.',
  valuesConfig: {
    ALLIANCE_ADMIN: { description: 'Reads everything, including unpublished figures of every partner, and manages every API key.' },
    PARTNER_ADMIN: { description: 'Manages the API keys of its organisation, and reads and (once submissions exist) changes its figures.' },
    PARTNER_EDITOR: { description: 'Reads its organisation\'s unpublished figures and (once submissions exist) submits figures.' },
    VIEWER: { description: 'Reads its organisation\'s unpublished figures and the alliance\'s totals; changes nothing.' },
    CASE_WORKER: { description: 'Works with the case records of its own organisation and the cases referred to it; otherwise sees what the public sees. The only role that sees case records.' },
  },
});

/** Roles that may read a partner's unpublished figures in their lane. */
export const LANE_READERS: ReadonlySet<Role> = new Set([Role.PARTNER_ADMIN, Role.PARTNER_EDITOR, Role.VIEWER]);
/** Roles that may submit figures (in their lane; everywhere for an alliance admin). */
export const WRITERS: readonly Role[] = [Role.ALLIANCE_ADMIN, Role.PARTNER_ADMIN, Role.PARTNER_EDITOR];
/** Roles that may manage API keys. */
export const KEY_MANAGERS: readonly Role[] = [Role.ALLIANCE_ADMIN, Role.PARTNER_ADMIN];
/** The only role that reads or writes case records. */
export const CASE_WORKERS: readonly Role[] = [Role.CASE_WORKER];
