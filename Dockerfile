# The Alliance Data API as a container. Used by docker-compose.yml; see the README.
# .ci/dockerfile-check runs these stages' commands outside Docker (no engine on the CI machines) and checks that the
# build stage makes the same files `npm start` runs and that the runtime stage starts with production dependencies only.

# ---- build: all dependencies, compile the api -------------------------------------------------------------
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.base.json ./
COPY packages/api/package.json packages/api/
COPY packages/sdk/package.json packages/sdk/
COPY packages/schema/package.json packages/schema/
RUN npm ci --no-audit --no-fund
COPY packages/api packages/api
# The api, and the offline explorer (GraphiQL) it serves at /graphiql, bundled into packages/api/dist/explorer.
RUN npx tsc -b packages/api && node packages/api/explorer/build.mjs

# ---- runtime: production dependencies and the compiled api, as the unprivileged `node` user -----------------
FROM node:20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4000 LOG_FORMAT=json
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/api/package.json packages/api/
COPY packages/sdk/package.json packages/sdk/
COPY packages/schema/package.json packages/schema/
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/packages/api/dist packages/api/dist
USER node
EXPOSE 4000
# Ready = the database answers and every migration is applied (see /health/live for liveness).
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 CMD node -e "fetch('http://127.0.0.1:4000/health/ready').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
# main.ts handles SIGTERM: readiness fails and new requests get SHUTTING_DOWN at once, requests in flight get
# SHUTDOWN_TIMEOUT_MS, then the pool closes and the process exits 0 (docker-compose's stop_grace_period is longer).
STOPSIGNAL SIGTERM
CMD ["node", "packages/api/dist/main.js"]
