import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261123090558 } from './Migration20261123090558.js';
import { Migration20261123093552 } from './Migration20261123093552.js';
import { Migration20261123094303 } from './Migration20261123094303.js';
import { Migration20261123100918 } from './Migration20261123100918.js';
import { Migration20261123103416 } from './Migration20261123103416.js';
import { Migration20261123123155 } from './Migration20261123123155.js';
import { Migration20261123140000 } from './Migration20261123140000.js';
import { Migration20261201200000 } from './Migration20261201200000.js';
import { Migration20261201201000 } from './Migration20261201201000.js';
import { Migration20261201203000 } from './Migration20261201203000.js';
import { Migration20261201210000 } from './Migration20261201210000.js';
import { Migration20261201220000 } from './Migration20261201220000.js';

/** Every migration, in order. Listed explicitly so they run the same from compiled code, tests and bundles. */
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261123090558', class: Migration20261123090558 },
  { name: 'Migration20261123093552', class: Migration20261123093552 },
  { name: 'Migration20261123094303', class: Migration20261123094303 },
  { name: 'Migration20261123100918', class: Migration20261123100918 },
  { name: 'Migration20261123103416', class: Migration20261123103416 },
  { name: 'Migration20261123123155', class: Migration20261123123155 },
  { name: 'Migration20261123140000', class: Migration20261123140000 },
  { name: 'Migration20261201200000', class: Migration20261201200000 },
  { name: 'Migration20261201201000', class: Migration20261201201000 },
  { name: 'Migration20261201203000', class: Migration20261201203000 },
  { name: 'Migration20261201210000', class: Migration20261201210000 },
  { name: 'Migration20261201220000', class: Migration20261201220000 },
];
