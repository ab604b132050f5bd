#!/usr/bin/env node
// Bundles the offline explorer (GraphiQL, React, Monaco and its workers) into packages/api/dist/explorer, which
// the api serves at /graphiql. Part of `npm run build`; skipped when its inputs have not changed since the last run.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.join(here, '../dist/explorer');
const require = createRequire(import.meta.url);
const resolve = (specifier) => require.resolve(specifier, { paths: [here] });
const versionOf = (name) => JSON.parse(readFileSync(resolve(`${name}/package.json`), 'utf8')).version;

const sources = ['graphiql.js', 'landing.js', 'build.mjs'].map((f) => path.join(here, f));
const packages = ['esbuild', 'graphiql', '@graphiql/react', 'react', 'react-dom', 'monaco-editor', 'monaco-graphql'];
const stamp = createHash('sha256')
  .update(sources.map((f) => readFileSync(f, 'utf8')).join('\0'))
  .update(packages.map((p) => `${p}@${versionOf(p)}`).join(','))
  .digest('hex');
const stampFile = path.join(out, 'build-stamp.txt');
if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) process.exit(0);

const { build } = await import('esbuild');
const started = Date.now();
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await build({
  entryPoints: {
    graphiql: path.join(here, 'graphiql.js'),
    'editor.worker': resolve('monaco-editor/esm/vs/editor/editor.worker.js'),
    'json.worker': resolve('monaco-editor/esm/vs/language/json/json.worker.js'),
    'graphql.worker': resolve('monaco-graphql/esm/graphql.worker.js'),
  },
  outdir: out,
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2022',
  loader: { '.ttf': 'file' },
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
});
copyFileSync(path.join(here, 'landing.js'), path.join(out, 'landing.js'));
writeFileSync(stampFile, stamp);
const took = Date.now() - started;
console.log(`Bundled the offline explorer (GraphiQL ${versionOf('graphiql')}) into ${path.relative(process.cwd(), out)} in ${took} ms`);
