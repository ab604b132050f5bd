// The offline explorer: GraphiQL and its Monaco editors, bundled by build.mjs so the page loads nothing from a CDN.
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import 'graphiql/style.css';

// Monaco runs its language services in workers; build.mjs bundles each beside this file.
globalThis.MonacoEnvironment = {
  getWorker(_id, label) {
    const file = label === 'json' ? 'json.worker.js' : label === 'graphql' ? 'graphql.worker.js' : 'editor.worker.js';
    return new Worker(new URL(file, import.meta.url), { type: 'module' });
  },
};

/** The first tab a programme lead sees: the alliance's headline figures, which need no API key. */
const DEFAULT_QUERY = `# The Alliance Data API. An API key goes in the Headers tab: {"Authorization": "Bearer ak_…"}
query HeadlineFigures {
  headlineFigures {
    childrenReached { value }
    familiesSupported { value }
    officialsTrained { value }
    prosecutions { value }
    victimsAssisted { value }
  }
}
`;

const root = document.getElementById('graphiql');
const endpoint = root.dataset.endpoint;

/** POSTs the operation as JSON (which Apollo's CSRF prevention accepts), with the headers typed in GraphiQL's tab. */
async function fetcher(params, options) {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...options?.headers },
    body: JSON.stringify(params),
  });
  return response.json();
}

createRoot(root).render(createElement(GraphiQL, { fetcher, defaultQuery: DEFAULT_QUERY }));
