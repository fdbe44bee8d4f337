# syntax=docker/dockerfile:1
# The controller image: compiled JavaScript on Node 24 slim, production dependencies only, run as
# a non-root user, nothing written outside /tmp (the chart mounts the root filesystem read-only).
# test/helm/dockerfile.test.ts checks this file and replays the build stage's commands without Docker;
# test/helm/image.test.ts builds it with podman (scripts/build-image.sh, `npm run image`) and runs the image.

ARG NODE_IMAGE=node:24.22-bookworm-slim

# Compile: every dependency (TypeScript), then `npm run build` (scripts/build.mjs): src/ compiled
# into dist/ with the files the code reads at run time (the emulator's API models) beside it.
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/build.mjs ./scripts/
COPY src ./src
RUN node scripts/build.mjs

# Production dependencies only, without install scripts: no TypeScript, tsx or esbuild.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

# The layout of the published package: dist/ beside package.json, whose version the CLI reports.
FROM ${NODE_IMAGE} AS runtime
# A JavaScript heap limit of 224 MiB: without one V8 sizes the heap from the machine's memory and
# lets it grow after each burst of work (a page of listings, a batch of reconciles), so the process
# kept hundreds of MiB it no longer used. With 10,000 VoiceConnectors about 120 MiB are live
# (docs/benchmarks.md); the chart sets it from controller.heapLimitMiB, and NODE_OPTIONS overrides it.
ENV NODE_ENV=production NODE_OPTIONS="--max-old-space-size=224"
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /src/package.json ./
COPY --from=build /src/dist ./dist
# The node user of the official image (uid 1000), by number so that runAsNonRoot can verify it.
USER 1000:1000
EXPOSE 8080
# A young generation of 2 MiB semi-spaces instead of V8's 16: the controller allocates in short
# bursts (a page of listings, a batch of reconciles), and the larger young generation promoted that
# garbage into an old space that then stayed committed. Measured in docs/benchmarks.md (steady-state
# RSS with 2,000 VoiceConnectors 399 -> 272 MiB, the CPU to converge unchanged).
# --optimize-for-size: V8 grows the heap less after each collection and keeps fewer pages for
# reuse. With 10,000 VoiceConnectors the steady-state RSS went 301 -> 215 MiB (the target is under
# 300), for more CPU: a quarter more at 3,000 objects, up to twice the CPU to converge at 10,000
# on the loaded machine (docs/benchmarks.md). Not a NODE_OPTIONS flag, so here.
ENTRYPOINT ["node", "--max-semi-space-size=2", "--optimize-for-size", "dist/cli/main.js"]
CMD ["run"]
