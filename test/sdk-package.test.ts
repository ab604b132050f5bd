import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { builtinModules } from 'node:module';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
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

describe('the SDK as a partner installs it', () => {
  let t: TestApi;
  let keys: TestKeys;
  let project: string;
  before(async () => {
    t = await startTestApi();
    keys = await createTestKeys(t);
    project = await mkdtemp(path.join(os.tmpdir(), 'alliance-sdk-'));
    const { stdout } = await run('npm', ['pack', '--silent', '--pack-destination', project], { cwd: sdkDir });
    const tarball = path.join(project, stdout.trim().split('\n').at(-1)!);
    await writeFile(path.join(project, 'package.json'), JSON.stringify({ name: 'partner-system', private: true, type: 'module', dependencies: { '@alliance/sdk': `file:${tarball}` } }));
    await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: project });
  });
  after(async () => {
    await t?.stop();
    if (project) await rm(project, { recursive: true, force: true });
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
