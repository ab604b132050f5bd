/**
 * Statistical disclosure control for everything counted from the case registry: the one module that decides what
 * leaves the registry for anyone who is not one of its case workers. The rules, in full:
 *
 * 1. FRAME. A table's rows are every combination of the asked dimensions inside the lanes and years in scope (see
 *    statistics.service.ts), whether or not any record is there. Which rows exist never depends on the records.
 * 2. ATOMS. Every published number is a sum of atoms. An atom is the records of one CLASS in one CELL: a cell is one
 *    programme, organisation, country and year, plus at most one value of one further dimension. The classes split
 *    the records so that every measure is a sum of whole classes (see MEASURE_CLASSES), so the difference between two
 *    measures of a cell is itself a sum of atoms.
 * 3. PERTURBATION. Each record carries a secret random key (0–255, never shown). An atom of n records has the cell key
 *    k = (sum of its records' keys + the salt of its further dimension) mod 256 and the perturbed count
 *    q = n + perturbation(n, k), between n − 2 and n + 2 (the cell-key method of the ABS TableBuilder and the UK's
 *    2021 census tables). The same records at the same grain always give the same q, so repeating a query, or asking
 *    for the same atom through another query, reveals nothing new. The salt makes a breakdown's atom that holds
 *    every record of its cell (all the children are girls) move independently of the cell's own atom: otherwise a
 *    total differing from its one shown row would prove that the hidden rows are not empty.
 * 4. THRESHOLD. An atom is shown only when both n and q are at least MINIMUM_CELL_SIZE (11, as IOM's CTDC). Otherwise it
 *    is hidden: it adds nothing to any number, and an empty atom is hidden exactly like one of 1 to 10.
 * 5. ROUNDING. A shown atom counts as q rounded to the nearest ROUNDING_BASE (5), never below 15.
 * 6. PUBLICATION. A number is the sum of its shown atoms; null when none is shown. `suppressed` is true when any atom
 *    of the number (empty ones included) is hidden, so it never tells an empty group from a small one.
 *
 * What one child can change (the guarantee tested in test/registry-neighbours.test.ts): adding or removing one child
 * with its referrals and legal actions changes only the atoms its records are in. While shown, an atom with one of them
 * moves by at most 5; it can appear or disappear only at the value 15; so a published number moves by at most 15 for
 * each of the child's records it counts (ATOM_CHANGE_BOUND). Nothing else in any response changes.
 * No mean or other statistic is ever taken over exact records; rates are taken from published numbers only.
 */
export const MINIMUM_CELL_SIZE = 11;
export const ROUNDING_BASE = 5;
/** The largest perturbation either way. */
export const MAXIMUM_PERTURBATION = 2;
const SMALLEST_SHOWN = 15;
/** Record keys, and so cell keys, run from 0 to KEY_RANGE − 1. */
export const KEY_RANGE = 256;

/**
 * The classes of each table, and which of them make each published measure. Every record is in exactly one class of
 * its table.
 * Cases: a child not referred, referred (never assisted), or assisted (a service ended successfully).
 * Referrals: a child's FIRST referral is its first successful one if there is one, else its first one; FIRST and
 * FIRST_DELIVERED are the same children as the case classes REFERRED and ASSISTED (counted with the case's key, so at
 * the same cell they are the same atom). Every other referral of the child is FURTHER.
 */
export const MEASURE_CLASSES = {
  casesReported: ['NOT_REFERRED', 'REFERRED', 'ASSISTED'],
  casesReferred: ['REFERRED', 'ASSISTED'],
  victimsAssisted: ['ASSISTED'],
  referralsMade: ['FIRST', 'FIRST_DELIVERED', 'FURTHER', 'FURTHER_DELIVERED'],
  servicesDelivered: ['FIRST_DELIVERED', 'FURTHER_DELIVERED'],
  legalActions: ['ACTION'],
} as const satisfies Record<string, readonly string[]>;

/** The base key of a cell: which programme, organisation, country and year it counts. */
export interface CellKey {
  programmeId: number;
  organisationId: number;
  countryCode: string;
  year: number;
}

/** The records of one class in one cell, as counted in the database. */
export interface RawAtom extends CellKey {
  /** The value of the further dimension, or null when the table has none. */
  extra: string | null;
  klass: string;
  /** How many records. */
  n: number;
  /** The sum of the records' keys, modulo KEY_RANGE. */
  key: number;
}

export interface ProtectedAtom extends RawAtom {
  /** The value the atom adds to every number it is in, or null when it is hidden. */
  shown: number | null;
}

/** Perturbation for each of ten equally likely slots: −2 and +2 one in ten, −1 and +1 two in ten, 0 four in ten. */
const SLOTS = [-2, -1, -1, 0, 0, 0, 0, 1, 1, 2];

/** A fixed, well-mixed function of the count and the cell key (murmur3's finaliser): the perturbation of an atom. */
export function perturbation(n: number, cellKey: number): number {
  let h = Math.imul(n + 0x9e3779b9, 0x85ebca6b) ^ Math.imul(cellKey + 0x27d4eb2f, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return SLOTS[(h >>> 0) % SLOTS.length];
}

/** The published value of a count of n records with cell key `cellKey`: rules 3–5; null when hidden. */
export function protectCount(n: number, cellKey: number): number | null {
  if (n < MINIMUM_CELL_SIZE) return null;
  const q = n + perturbation(n, cellKey);
  if (q < MINIMUM_CELL_SIZE) return null;
  return Math.max(SMALLEST_SHOWN, Math.round(q / ROUNDING_BASE) * ROUNDING_BASE);
}

/** The most one atom's published value (null counting as 0) can change when j of its records are added or removed. */
export function atomChangeBound(j: number): number {
  if (j === 0) return 0;
  const whileShown = ROUNDING_BASE * Math.ceil((j + 2 * MAXIMUM_PERTURBATION) / ROUNDING_BASE);
  const appearing = Math.max(SMALLEST_SHOWN, Math.round((MINIMUM_CELL_SIZE + 1 + MAXIMUM_PERTURBATION + j) / ROUNDING_BASE) * ROUNDING_BASE);
  return Math.max(whileShown, appearing);
}

/** Each further dimension's salt (rule 3); the cell's own atoms (no further dimension) have none. */
export const DIMENSION_SALT: Readonly<Record<string, number>> = {
  EXPLOITATION_TYPE: 37, SEX: 101, AGE_BAND: 151, DAYS_TO_REFERRAL: 211, SERVICE: 59, ACTION_TYPE: 173,
};

/** The cell key of an atom of the given further dimension (null for none), from the sum of its records' keys. */
export function cellKey(sumOfKeys: number, dimension: string | null): number {
  const salt = dimension === null ? 0 : DIMENSION_SALT[dimension];
  if (salt === undefined) throw new Error(`The further dimension ${dimension} has no salt in disclosure.ts`);
  return (sumOfKeys + salt) % KEY_RANGE;
}

/** Rules 3–5 for the atoms of one grain: `dimension` is their further dimension, null for none. */
export function protectAtoms(atoms: RawAtom[], dimension: string | null): ProtectedAtom[] {
  return atoms.map((a) => ({ ...a, shown: protectCount(a.n, cellKey(a.key, dimension)) }));
}

/** A published count: the sum of the shown atoms, and whether any atom of it (empty ones too) was hidden. */
export interface PublishedCount {
  /** Null when no atom is shown. */
  value: number | null;
  suppressed: boolean;
}

/**
 * Rule 6. `atoms` are the non-empty atoms of the number (already restricted to its classes); `frameAtoms` is how
 * many atoms the number has in its frame, empty ones included: any atom not shown makes it `suppressed`.
 */
export function publish(atoms: readonly ProtectedAtom[], frameAtoms: number): PublishedCount {
  let value = 0;
  let shownAtoms = 0;
  for (const a of atoms) {
    if (a.shown === null) continue;
    value += a.shown;
    shownAtoms += 1;
  }
  return { value: shownAtoms ? value : null, suppressed: shownAtoms < frameAtoms };
}
