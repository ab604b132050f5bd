import { createHash } from 'node:crypto';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Organisation } from '../organisations/organisation.entity.js';
import { ApiKey } from './api-key.entity.js';
import { issueKey } from './api-key.service.js';
import { Role } from './role.enums.js';

const DEMO_KEYS: { organisation: string; role: Role; name: string }[] = [
  { organisation: 'tdh-nl', role: Role.ALLIANCE_ADMIN, name: 'Demo: alliance admin' },
  { organisation: 'tdh-nl', role: Role.PARTNER_EDITOR, name: 'Demo: Terre des Hommes editor' },
  { organisation: 'dci-ecpat-nl', role: Role.PARTNER_ADMIN, name: 'Demo: Defence for Children – ECPAT admin' },
  { organisation: 'plan-nl', role: Role.VIEWER, name: 'Demo: Plan viewer' },
  { organisation: 'tdh-nl', role: Role.CASE_WORKER, name: 'Demo: Terre des Hommes case worker' },
  { organisation: 'tdh-nl', role: Role.CASE_SUPERVISOR, name: 'Demo: Terre des Hommes case supervisor' },
  { organisation: 'demo-bd-service-provider', role: Role.CASE_WORKER, name: 'Demo: service provider case worker' },
];

/**
 * Where the demo keys of one database are kept: one file per database, next to the embedded data folder, so that starting
 * against another database (DATABASE_URL) never overwrites the keys of the first, which are printed only once.
 * `.data/demo-keys-embedded-postgres.txt` for the embedded one, `.data/demo-keys-<host>-<port>-<database>.txt` for a server.
 */
export function demoKeysFile(embeddedDataDir: string, databaseUrl: string | undefined): string {
  const dataDir = path.resolve(embeddedDataDir);
  let name = `embedded-${path.basename(dataDir)}`;
  if (databaseUrl) {
    const url = new URL(databaseUrl);
    name = `${url.hostname}-${url.port || 5432}-${decodeURIComponent(url.pathname.slice(1))}`;
  }
  const safe = name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 100);
  // Names that had to be changed to fit a file name get a hash of the original, so two databases never share a file.
  const file = safe === name ? safe : `${safe}-${createHash('sha256').update(name).digest('hex').slice(0, 8)}`;
  return path.join(path.dirname(dataDir), `demo-keys-${file}.txt`);
}

/**
 * Development only: on the first start of a database with the demo data, creates one key per demo role and returns
 * the text to show. The tokens are also written to `file` (git-ignored, readable by the owner only), because the
 * database keeps only their hashes; the text names `database`, so the file says whose keys it holds. Later starts create nothing.
 */
export async function createDemoKeys(em: EntityManager, file: string, database: string): Promise<string | null> {
  if ((await em.count(ApiKey, {})) > 0) return null;
  const lines: string[] = [];
  for (const demo of DEMO_KEYS) {
    const organisation = await em.findOne(Organisation, { code: demo.organisation });
    if (!organisation) continue;
    const { token } = await issueKey(em, { organisation, role: demo.role, name: demo.name });
    lines.push(`${demo.role.padEnd(15)} ${demo.organisation.padEnd(24)} ${token}`);
  }
  if (!lines.length) return null;
  const text = `Demo API keys for ${database} (development only; send as "Authorization: Bearer <key>"):\n${lines.join('\n')}\n`;
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text, { mode: 0o600 });
  await chmod(file, 0o600);
  return text;
}
