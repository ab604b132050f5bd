import { fromGlobalIntId, type NodeTypeName } from './global-id.js';
import { UserInputError } from '../../graphql/errors.js';

/** Decodes a global ID of the expected type or fails with a clear BAD_USER_INPUT error. */
export function requireIntId(id: string, type: NodeTypeName, field = 'id'): number {
  const n = fromGlobalIntId(id, type);
  if (n === null) throw new UserInputError(`"${id}" is not a valid ${type} ID.`, field);
  return n;
}
