# Flowdeck's production image: `docker build -t flowdeck .` (see docs/deployment.md).
# Three stages: the build (all dependencies, `npm run build`), the production dependencies alone, and the runtime.

FROM node:20-bookworm-slim AS build
WORKDIR /app
# patches/ before the install: postinstall (patch-package) applies them.
COPY package.json package-lock.json ./
COPY patches ./patches
# `npm install`, not `npm ci`: a lockfile made on one platform lacks other platforms' optional packages.
RUN npm install --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY patches ./patches
# adapter-node does not bundle `dependencies`: the runtime needs them, and only them.
RUN npm install --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0 \
    DATA_DIR=/app/data \
    UPLOAD_DIR=/app/uploads
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/build ./build
# tsx resolves the server's TypeScript with tsconfig.json, which extends SvelteKit's generated one.
COPY --from=build /app/.svelte-kit/tsconfig.json ./.svelte-kit/tsconfig.json
COPY package.json tsconfig.json ./
COPY server ./server
COPY src ./src
COPY drizzle ./drizzle
# PGlite's database (when DATABASE_URL is unset) and the attachments: owned by the unprivileged user that runs the app.
RUN mkdir -p /app/data /app/uploads && chown node:node /app/data /app/uploads
USER node
VOLUME ["/app/data", "/app/uploads"]
EXPOSE 3000
# Ready = migrations applied, database (and Redis, with REDIS_URL) reachable, not shutting down.
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:3000/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM saves every unsaved change before exiting (give it the time: `docker stop -t 40`, compose's stop_grace_period).
STOPSIGNAL SIGTERM
# Not `npm start`: it would try to rebuild (vite is a dev dependency) and npm does not forward signals reliably.
CMD ["node", "--import", "tsx", "server/index.ts"]
