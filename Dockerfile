# syntax=docker/dockerfile:1
# phin-submit as a container job: each start is one run that exits with the code a scheduler acts
# on (docs/operations.md). Build with `docker build -t phin-submit .`; deploy/ has the schedules.
#
# Base: the official node:24-bookworm-slim image, pinned to the digest of its multi-platform
# index: Node 24.18.1, as docker-library/repo-info lists the tag on 30 Jul 2026 (not checked
# against the registry itself). Before a release compare it with
# `docker buildx imagetools inspect node:24-bookworm-slim`; update digest and version together.
FROM node:24-bookworm-slim@sha256:235600a8101ab264e117b1768e925532262668dc9b581ef1dd7d96ced463b8e7 AS base

# Production dependencies only, exactly as locked. No package needs an install script.
FROM base AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

FROM base AS runtime
# Only what runs: no samples, keys, tests, docs or dev tools (.dockerignore keeps them out of the
# build context too). The code stays owned by root, so the job cannot change it.
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY bin ./bin
COPY src ./src

# Mount points, all provided at run time (docs/operations.md):
#   /etc/phin-submit            phin.config.json and the mappings (read-only; the working folder,
#                               so the default --config is found and relative paths resolve here)
#   /run/secrets/phin-submit    pseudonymisation key, client key and certificate, token, CA and
#                               receipt key (read-only)
#   /var/lib/phin-submit        the persistent state volume (ledger, outputs, run logs, locks)
#   /tmp                        optional tmpfs: the compile cache below; without it the cache is
#                               silently off and nothing else changes
# The state directory is a folder inside the volume, not the mount itself: phin-submit makes it
# 0700 and must own it, which a volume's root (owned by root, group-shared) may not allow.
# No VOLUME instruction: an unmounted state volume must fail the run (exit 78 on a read-only
# root), not succeed into an anonymous volume the next run never sees, losing the ledger.
ENV PHIN_STATE_DIR=/var/lib/phin-submit/state \
    PHIN_PSEUDONYM_KEY_FILE=/run/secrets/phin-submit/pseudonym.key \
    NODE_COMPILE_CACHE=/tmp/node-compile-cache
# uid 1000 is the base image's `node` user: the ledger and the period lock name the user, and
# Node cannot look up a uid that has no passwd entry.
RUN mkdir -p /etc/phin-submit /run/secrets/phin-submit /var/lib/phin-submit \
 && chown 1000:1000 /var/lib/phin-submit \
 && chmod 0700 /var/lib/phin-submit
WORKDIR /etc/phin-submit
USER 1000:1000

# No HEALTHCHECK: this is a job, not a service. It runs to completion and its exit code is the
# health signal (0 done, 75 retry, anything else needs a person: docs/operations.md).
ENTRYPOINT ["node", "/app/bin/phin-submit.js"]
CMD ["submit", "--period", "previous"]
