import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import express from 'express';
import type { ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginLandingPageLocalDefault,
  ApolloServerPluginLandingPageProductionDefault,
} from '@apollo/server/plugin/landingPage/default';

/** Where the self-hosted GraphiQL answers: the explorer that works without the internet. */
export const EXPLORER_PATH = '/graphiql';
/** GraphiQL, React and Monaco, bundled by packages/api/explorer/build.mjs during `npm run build`. */
const BUNDLE_DIR = fileURLToPath(new URL('../explorer/', import.meta.url));
/** Everything the page needs comes from the api itself; Monaco sets styles inline. */
const EXPLORER_CSP = [
  "default-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const page = (graphqlPath: string) => `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width,initial-scale=1" />
    <title>Alliance Data API — GraphiQL</title>
    <link rel="stylesheet" href="${EXPLORER_PATH}/graphiql.css" />
  </head>
  <body style="margin: 0">
    <div id="graphiql" data-endpoint="${graphqlPath}" style="height: 100vh"></div>
    <script type="module" src="${EXPLORER_PATH}/graphiql.js"></script>
  </body>
</html>
`;

/**
 * GraphiQL at /graphiql, served from the api's own files (no CDN), wherever introspection is on: it needs the
 * schema, so in production it is off unless INTROSPECTION=true.
 */
export function explorerRouter(graphqlPath: string): express.Router {
  const router = express.Router();
  router.use(EXPLORER_PATH, (_req, res, next) => {
    res.setHeader('content-security-policy', EXPLORER_CSP);
    next();
  });
  router.get([EXPLORER_PATH, `${EXPLORER_PATH}/`], (_req, res) => {
    if (!existsSync(`${BUNDLE_DIR}graphiql.js`)) {
      res.status(503).type('text/plain').send('The offline explorer is not built: run `npm run build`.\n');
      return;
    }
    res.setHeader('cache-control', 'no-cache');
    res.type('html').send(page(graphqlPath));
  });
  router.use(EXPLORER_PATH, express.static(BUNDLE_DIR, { index: false }));
  return router;
}

/**
 * Apollo's landing page (Sandbox in development) and, where the explorer is served, a link to it and a switch
 * to it when the page's scripts cannot be loaded from Apollo's CDN. Apollo's own HTML is kept; one script is added.
 */
export function landingPage(options: { production: boolean; explorer: boolean }): ApolloServerPlugin {
  const apollo = options.production
    ? ApolloServerPluginLandingPageProductionDefault({ footer: false })
    : ApolloServerPluginLandingPageLocalDefault({ footer: false, embed: true });
  if (!options.explorer) return apollo;
  const script = `<script src="${EXPLORER_PATH}/landing.js" data-explorer="${EXPLORER_PATH}"></script>`;
  return {
    async serverWillStart(service) {
      const listener = await apollo.serverWillStart?.(service);
      const rendered = await listener?.renderLandingPage?.();
      if (!listener || !rendered) return listener;
      return {
        ...listener,
        async renderLandingPage() {
          return {
            html: async () => {
              const html = typeof rendered.html === 'string' ? rendered.html : await rendered.html();
              return html.replace('</head>', `  ${script}\n  </head>`);
            },
          };
        },
      };
    },
  };
}
