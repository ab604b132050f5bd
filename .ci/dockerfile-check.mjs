#!/usr/bin/env node
// Runs the Dockerfile's stages outside Docker (the CI machines have no Docker engine) and checks that
//  1. the build stage produces exactly the files `npm start` runs (packages/api/dist from `npm run build`), and
//  2. the runtime stage (production dependencies only, the build stage's output) starts and becomes ready.
// The commands are read from the Dockerfile itself, so this check follows it when it changes.
// Usage: node .ci/dockerfile-check.mjs   (after `npm run build`; uses DATABASE_URL when set, else embedded PostgreSQL)
import { execSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const lines = readFileSync(path.join(repo, 'Dockerfile'), 'utf8').replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));

/** The stages: their name and instructions. */
const stages = [];
for (const line of lines) {
  const [instruction, ...rest] = line.split(/\s+/);
  const args = rest.join(' ');
  if (instruction === 'FROM') stages.push({ name: /\bAS\s+(\S+)/i.exec(args)?.[1] ?? `stage${stages.length}`, steps: [] });
  else stages.at(-1).steps.push({ instruction, args });
}

const root = mkdtempSync(path.join(os.tmpdir(), 'dockerfile-check-'));
// As root, embedded PostgreSQL runs as a separate `postgres` user, which must be able to reach its binaries.
chmodSync(root, 0o755);
const dirs = {};
function runStage(stage) {
  const base = path.join(root, stage.name);
  mkdirSync(base, { recursive: true });
  dirs[stage.name] = base;
  let workdir = base;
  const env = { PATH: process.env.PATH, HOME: process.env.HOME ?? os.homedir() };
  for (const { instruction, args } of stage.steps) {
    if (instruction === 'WORKDIR') {
      workdir = path.join(base, args);
      mkdirSync(workdir, { recursive: true });
    } else if (instruction === 'ENV') {
      for (const m of args.matchAll(/(\w+)=(\S+)/g)) env[m[1]] = m[2];
    } else if (instruction === 'COPY') {
      const from = /--from=(\S+)/.exec(args)?.[1];
      const parts = args.replace(/--\S+/g, '').trim().split(/\s+/);
      const dest = parts.pop();
      for (const source of parts) {
        // A path inside another stage is under that stage's folder (its WORKDIR is /app there too).
        const src = from ? path.join(dirs[from], source.replace(/^\/app\/?/, 'app/')) : path.join(repo, source);
        const target = path.resolve(workdir, dest.endsWith('/') || parts.length > 1 ? path.join(dest, path.basename(source)) : dest);
        mkdirSync(path.dirname(target), { recursive: true });
        cpSync(src, target, { recursive: true, filter: (p) => !/(^|\/)(node_modules|dist|\.data)(\/|$)/.test(path.relative(src, p)) || from !== undefined });
      }
    } else if (instruction === 'RUN') {
      console.log(`[${stage.name}] RUN ${args}`);
      execSync(args, { cwd: workdir, env, stdio: 'inherit', shell: '/bin/bash' });
    }
    // USER, EXPOSE, HEALTHCHECK, STOPSIGNAL, CMD only matter inside Docker.
  }
  return { workdir, env, cmd: JSON.parse(stage.steps.findLast((s) => s.instruction === 'CMD')?.args ?? 'null') };
}

function filesOf(dir) {
  const out = new Map();
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const p = path.join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (!name.endsWith('.tsbuildinfo')) out.set(path.relative(dir, p), createHash('sha256').update(readFileSync(p)).digest('hex'));
    }
  };
  walk(dir);
  return out;
}

let failed = false;
try {
  const [build, runtime] = stages;
  runStage(build);
  const built = filesOf(path.join(dirs[build.name], 'app/packages/api/dist'));
  const local = filesOf(path.join(repo, 'packages/api/dist'));
  const differ = [...new Set([...built.keys(), ...local.keys()])].filter((f) => built.get(f) !== local.get(f));
  if (differ.length) {
    failed = true;
    console.error(`The build stage's packages/api/dist differs from npm run build's in ${differ.length} file(s): ${differ.slice(0, 10).join(', ')}`);
  } else console.log(`ok: the build stage makes the same ${built.size} files as npm run build`);

  const { workdir, env, cmd } = runStage(runtime);
  const dev = ['pino-pretty', 'typescript', '@graphql-inspector/core', 'graphiql', 'esbuild'].filter((p) => {
    try {
      statSync(path.join(workdir, 'node_modules', p));
      return true;
    } catch {
      return false;
    }
  });
  if (dev.length) {
    failed = true;
    console.error(`The runtime stage installed development dependencies: ${dev.join(', ')}`);
  } else console.log('ok: the runtime stage has production dependencies only');

  // Start the image's command as the container would (another port and host; the database from DATABASE_URL). Production
  // refuses the embedded PostgreSQL, so without DATABASE_URL the command runs in test mode on an embedded one.
  const database = process.env.DATABASE_URL
    ? { DATABASE_URL: process.env.DATABASE_URL }
    : { NODE_ENV: 'test', EMBEDDED_PG_DIR: path.join(root, 'pg') };
  const child = spawn(cmd[0], cmd.slice(1), {
    cwd: workdir,
    env: { ...env, HOST: '127.0.0.1', PORT: '0', SEED_ON_START: 'false', METRICS_TOKEN: 'dockerfile-check-metrics-token', ...database },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const started = Date.now();
  while (!/ready at/.test(out) && child.exitCode === null && Date.now() - started < 120_000) await new Promise((r) => setTimeout(r, 100));
  const url = /ready at (http\S+)/.exec(out)?.[1];
  const ready = url ? await fetch(new URL('/health/ready', url)).then((r) => r.status, () => 0) : 0;
  child.kill('SIGTERM');
  const code = await exited;
  if (ready !== 200 || code !== 0) {
    failed = true;
    console.error(`The runtime stage's command did not start and stop cleanly (ready: ${ready}, exit code: ${code}).\n${out}`);
  } else console.log('ok: the runtime stage starts, reports ready and stops cleanly on SIGTERM');
} finally {
  rmSync(root, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
