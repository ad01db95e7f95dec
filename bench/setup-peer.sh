#!/usr/bin/env bash
# Installs the peer gateway bench/run.sh measures next to nginx and orchestrator: Portkey's open-source
# gateway (npm @portkey-ai/gateway 1.15.2, pure JS on Node, @hono/node-server overridden to 1.13.8,
# see ../shared/stack.md) into bench/peer/node_modules, from bench/peer/package.json and its lock.
# Idempotent: does nothing when the installed version already matches. Prints the start command.
# Exit status 0 also when Node/npm are missing (with a note): run.sh then skips the peer column.
set -euo pipefail
PEER_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/peer"
log() { echo "setup-peer: $*" >&2; }
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  log "node/npm not found: the peer column will be skipped (install Node.js 18+ to measure it)"
  exit 0
fi
installed="$(node -p "require('$PEER_DIR/node_modules/@portkey-ai/gateway/package.json').version" 2>/dev/null || true)"
if [[ "$installed" == "1.15.2" && -f "$PEER_DIR/node_modules/@portkey-ai/gateway/build/start-server.js" ]]; then
  log "peer already installed (@portkey-ai/gateway $installed)"
else
  cd "$PEER_DIR"
  if [[ -f package-lock.json ]]; then
    log "installing @portkey-ai/gateway from package-lock.json (npm ci)"
    npm ci --no-audit --no-fund --loglevel=error
  else
    log "installing @portkey-ai/gateway 1.15.2 (npm install; writes package-lock.json: commit it)"
    npm install --no-audit --no-fund --loglevel=error
  fi
fi
log "start: NODE_ENV=production node $PEER_DIR/node_modules/@portkey-ai/gateway/build/start-server.js --port=N --headless"
