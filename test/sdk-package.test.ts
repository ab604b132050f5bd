import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { builtinModules } from 'node:module';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { startTestApi, type TestApi } from './support/api.js';
import { createTestKeys, type TestKeys } from './support/keys.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const sdkDir = path.join(root, 'packages/sdk');

/** The README's ```js examples, in order. */
async function readmeExamples(): Promise<string[]> {
  const readme = await readFile(path.join(sdkDir, 'README.md'), 'utf8');
  return [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
}

/**
 * The checkout as a fresh clone has it before any build: the workspace manifests and the SDK's sources, no dist/.
 * A copy, so that deleting dist/ never pulls the SDK from under another test run of the same checkout; its node_modules
 * is the checkout's (what `npm install` made).
 */
async function freshClone(into: string): Promise<string> {
  const clone = path.join(into, 'clone');
  for (const file of ['package.json', 'tsconfig.base.json', 'packages/api/package.json', 'packages/schema/package.json']) {
    await cp(path.join(root, file), path.join(clone, file), { recursive: true });
  }
  await cp(sdkDir, path.join(clone, 'packages/sdk'), { recursive: true, filter: (from) => !/[/\\](dist|node_modules)$/.test(from) });
  await symlink(path.join(root, 'node_modules'), path.join(clone, 'node_modules'));
  return clone;
}

/** The files in a tarball, as `tar` lists them (without the `package/` prefix npm gives every file). */
async function tarballFiles(tarball: string): Promise<string[]> {
  const { stdout } = await run('tar', ['-tzf', tarball]);
  return stdout.trim().split('\n').map((f) => f.replace(/^package\//, '')).sort();
}

describe('the SDK as a partner installs it', () => {
  let t: TestApi;
  let keys: TestKeys;
  let work: string;
  let project: string;
  let tarball: string;
  before(async () => {
    t = await startTestApi();
    keys = await createTestKeys(t);
    work = await mkdtemp(path.join(os.tmpdir(), 'alliance-sdk-'));
    const clone = await freshClone(work);
    // The README's commands: `npm pack -w packages/sdk` in the checkout, then `npm install <tarball>` in the partner's project.
    const packed = path.join(work, 'packed');
    await mkdir(packed);
    const { stdout } = await run('npm', ['pack', '-w', 'packages/sdk', '--silent', '--pack-destination', packed], { cwd: clone });
    tarball = path.join(packed, stdout.trim().split('\n').at(-1)!);
    project = path.join(work, 'partner-system');
    await mkdir(project);
    await writeFile(path.join(project, 'package.json'), JSON.stringify({ name: 'partner-system', private: true, type: 'module' }));
    await run('npm', ['install', tarball, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: project });
  });
  after(async () => {
    await t?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('packs itself from a fresh clone: built by prepack, only the JavaScript, its types and the README', async () => {
    assert.match(await readFile(path.join(root, 'README.md'), 'utf8'), /`npm pack -w packages\/sdk`/, 'the README gives this command');
    const files = await tarballFiles(tarball);
    assert.deepEqual(files.filter((f) => !/^dist\/.*\.(js|d\.ts)$/.test(f)), ['README.md', 'package.json']);
    for (const module of ['index', 'client', 'errors', 'paginate', '__generated__/graphql']) {
      assert.ok(files.includes(`dist/${module}.js`) && files.includes(`dist/${module}.d.ts`), `dist/${module}.js and .d.ts are shipped`);
    }
    assert.ok(!files.some((f) => /tsbuildinfo|\.map$|test/.test(f)), files.join(', '));
  });

  const example = async (index: number, apiKey?: string) => {
    const file = path.join(project, `example-${index}.mjs`);
    await writeFile(file, (await readmeExamples())[index]);
    const { stdout } = await run(process.execPath, [file], { cwd: project, env: { ...process.env, ALLIANCE_API_URL: t.url, ALLIANCE_API_KEY: apiKey ?? '' } });
    return stdout;
  };

  it('runs the README\'s first example from the packed tarball', async () => {
    const out = await example(0, keys.tdhViewer);
    assert.match(out, /Signed in as Test TdH viewer of Terre des Hommes Nederland \(VIEWER\)/);
    assert.match(out, /Children reached: 8077/);
  });

  it('runs the README\'s other examples', async () => {
    assert.match(await example(1, keys.tdhEditor), /2 created, 0 updated, 0 unchanged/);
    assert.match(await example(2), /249 countries/);
  });

  it('ships only what a browser can load: no Node built-ins, no Node globals', async () => {
    const dist = path.join(project, 'node_modules/@alliance/sdk/dist');
    const files = (await readdir(dist, { recursive: true })).filter((f) => f.endsWith('.js'));
    assert.ok(files.length >= 4);
    const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
    for (const file of files) {
      const code = await readFile(path.join(dist, file), 'utf8');
      for (const [, specifier] of code.matchAll(/(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
        if (specifier === undefined) continue;
        assert.ok(!builtins.has(specifier), `${file} imports the Node built-in ${specifier}`);
        assert.ok(specifier.startsWith('.'), `${file} imports ${specifier} at run time; the SDK has no runtime dependencies`);
      }
      assert.doesNotMatch(code, /\bprocess\.|\bBuffer\b|\brequire\(/, `${file} uses a Node global`);
    }
  });
});
