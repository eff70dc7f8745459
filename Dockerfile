# syntax=docker/dockerfile:1
# The bot image: `docker build -t fsms-register-bot .` — see docs/DEPLOY.md (and docker-compose.yml).
# Every mode runs from it: sandbox (no BOT_TOKEN), long polling (BOT_TOKEN), webhook (+ WEBHOOK_URL).

# Node: the current LTS line in the image; package.json's engines (>=20.19) keeps Node 20.19+ working for
# development machines that have it. Build another line with --build-arg NODE_VERSION=22.
ARG NODE_VERSION=24

# ── build: install from the lock file, generate the Prisma client, drop dev dependencies ──
FROM node:${NODE_VERSION}-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run db:generate && npm prune --omit=dev --no-audit --no-fund

# ── runtime ──
FROM node:${NODE_VERSION}-slim
ENV NODE_ENV=production \
    PGLITE_DIR=/app/.data/pglite \
    FILES_DIR=/app/.data/files \
    PORT=3000 \
    SANDBOX_PORT=8080 \
    SANDBOX_HOST=0.0.0.0
WORKDIR /app
# code and dependencies stay owned by root (read-only for the app); only .data is writable
COPY --from=build /app /app
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node
VOLUME ["/app/.data"]
# 3000: webhook + /healthz + /readyz (polling mode: health only); 8080: the sandbox web chat
EXPOSE 3000 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=90s --retries=3 \
  CMD ["node", "scripts/start.mjs", "--healthcheck"]
# start.mjs runs the bot in its own process (PID 1 gets SIGTERM: graceful shutdown)
CMD ["node", "scripts/start.mjs"]
