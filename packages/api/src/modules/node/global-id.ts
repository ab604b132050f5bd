/**
 * Opaque global IDs (Relay): base64url of `Type:key`. Clients must treat them as opaque strings.
 */
export type NodeTypeName =
  | 'Organisation'
  | 'Programme'
  | 'Indicator'
  | 'DisaggregationSet'
  | 'Result'
  | 'Target'
  | 'SourceDocument'
  | 'Country'
  | 'Place'
  | 'Period'
  | 'ApiKey'
  | 'AuditEntry'
  | 'Case'
  | 'Referral'
  | 'LegalAction';

const TYPES: ReadonlySet<string> = new Set<NodeTypeName>([
  'Organisation',
  'Programme',
  'Indicator',
  'DisaggregationSet',
  'Result',
  'Target',
  'SourceDocument',
  'Country',
  'Place',
  'Period',
  'ApiKey',
  'AuditEntry',
  'Case',
  'Referral',
  'LegalAction',
]);

export function toGlobalId(type: NodeTypeName, key: string | number): string {
  return Buffer.from(`${type}:${key}`, 'utf8').toString('base64url');
}

export interface DecodedGlobalId {
  type: NodeTypeName;
  key: string;
}

/** Returns null for anything that is not a well-formed global ID of a known type. */
export function fromGlobalId(id: string): DecodedGlobalId | null {
  if (typeof id !== 'string' || id.length === 0 || id.length > 200 || !/^[A-Za-z0-9_-]+$/.test(id)) return null;
  const decoded = Buffer.from(id, 'base64url').toString('utf8');
  const sep = decoded.indexOf(':');
  if (sep <= 0) return null;
  const type = decoded.slice(0, sep);
  const key = decoded.slice(sep + 1);
  if (!TYPES.has(type) || key.length === 0) return null;
  if (toGlobalId(type as NodeTypeName, key) !== id) return null;
  return { type: type as NodeTypeName, key };
}

/** Decodes an ID of one expected type with an integer key; null when it is anything else. */
export function fromGlobalIntId(id: string, type: NodeTypeName): number | null {
  const d = fromGlobalId(id);
  if (!d || d.type !== type || !/^[1-9]\d{0,9}$/.test(d.key)) return null;
  const n = Number(d.key);
  return n <= 2147483647 ? n : null;
}
