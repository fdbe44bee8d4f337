# syntax=docker/dockerfile:1
# The controller image: compiled JavaScript on Node 20 slim, production dependencies only, run as
# a non-root user, nothing written outside /tmp (the chart mounts the root filesystem read-only).
# test/helm/dockerfile.test.ts checks this file and replays the build stage's commands without Docker.

ARG NODE_IMAGE=node:20.19-bookworm-slim

# Compile: every dependency (TypeScript), then tsc over the sources into /out.
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
RUN npx tsc -p tsconfig.json --outDir /out --sourceMap false
# The CLI reads its version from ../../package.json (next to src/), and the emulator its API models.
RUN cp package.json /out/ && mkdir -p /out/src/emulator/model && cp src/emulator/model/*.json /out/src/emulator/model/

# Production dependencies only, without install scripts.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /out/ ./
# The node user of the official image (uid 1000), by number so that runAsNonRoot can verify it.
USER 1000:1000
EXPOSE 8080
ENTRYPOINT ["node", "src/cli/main.js"]
CMD ["run"]
