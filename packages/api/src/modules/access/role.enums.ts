import { registerEnumType } from 'type-graphql';

export enum Role {
  ALLIANCE_ADMIN = 'ALLIANCE_ADMIN',
  PARTNER_ADMIN = 'PARTNER_ADMIN',
  PARTNER_EDITOR = 'PARTNER_EDITOR',
  VIEWER = 'VIEWER',
  CASE_WORKER = 'CASE_WORKER',
  CASE_SUPERVISOR = 'CASE_SUPERVISOR',
}

registerEnumType(Role, {
  name: 'Role',
  description: 'What an API key may do. Partner roles reach the key\'s own organisation and the local partners under it.',
  valuesConfig: {
    ALLIANCE_ADMIN: {
      description: 'Reads every figure, published or not, and manages every API key except case-worker keys. Never sees case records.',
    },
    PARTNER_ADMIN: {
      description: 'Manages the PARTNER_ADMIN, PARTNER_EDITOR and VIEWER keys of its organisation and its local partners, '
        + 'and reads and changes their figures.',
    },
    PARTNER_EDITOR: { description: 'Reads its organisation\'s unpublished figures and (once submissions exist) submits figures.' },
    VIEWER: { description: 'Reads its organisation\'s unpublished figures and the alliance\'s totals; changes nothing.' },
    CASE_WORKER: {
      description: 'Works with the case records of its own organisation and the cases referred to it; otherwise sees what the public sees. '
        + 'With CASE_SUPERVISOR, the only role that sees case records.',
    },
    CASE_SUPERVISOR: {
      description: 'A case worker who also creates, lists and revokes the CASE_WORKER and CASE_SUPERVISOR keys of its own organisation '
        + '(not of its local partners).',
    },
  },
});

/** Roles that may read a partner's unpublished figures in their lane. */
export const LANE_READERS: ReadonlySet<Role> = new Set([Role.PARTNER_ADMIN, Role.PARTNER_EDITOR, Role.VIEWER]);
/** Roles that may submit figures (in their lane; everywhere for an alliance admin). */
export const WRITERS: readonly Role[] = [Role.ALLIANCE_ADMIN, Role.PARTNER_ADMIN, Role.PARTNER_EDITOR];
/** The admin roles: they manage reference data of their lane and read its audit trail. */
export const ADMINS: readonly Role[] = [Role.ALLIANCE_ADMIN, Role.PARTNER_ADMIN];
/** The only roles that read or write case records. */
export const CASE_WORKERS: readonly Role[] = [Role.CASE_WORKER, Role.CASE_SUPERVISOR];
