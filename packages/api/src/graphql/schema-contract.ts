import { buildSchema } from 'graphql';
import { CriticalityLevel, diff, DiffRule, type Change } from '@graphql-inspector/core';

export interface ContractReport {
  /** Changes that break existing clients: removals of fields that were not deprecated first, type changes. */
  breaking: Change[];
  /** Changes that may surprise clients, such as a new enum value; reported, not refused. */
  dangerous: Change[];
  safe: Change[];
}

/**
 * Compares two versions of schema.graphql (graphql-inspector). Removing a field that the old schema
 * already marked `@deprecated` is not breaking: clients had their warning.
 */
export async function compareSchemas(oldSdl: string, newSdl: string): Promise<ContractReport> {
  const changes = await diff(buildSchema(oldSdl), buildSchema(newSdl), [DiffRule.suppressRemovalOfDeprecatedField, DiffRule.ignoreDescriptionChanges]);
  const of = (level: CriticalityLevel) => changes.filter((c) => c.criticality.level === level);
  return { breaking: of(CriticalityLevel.Breaking), dangerous: of(CriticalityLevel.Dangerous), safe: of(CriticalityLevel.NonBreaking) };
}
