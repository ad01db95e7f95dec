#!/usr/bin/env bash
# Installs what the SDK compatibility tests (src/test/java/dev/ossaat/orchestrator/compat) need beyond
# Maven: the npm client SDKs in compat/ (openai, @anthropic-ai/sdk, pinned by compat/package-lock.json),
# which the tests run with Node. The Java SDKs come from Maven Central as test dependencies.
# Idempotent: `npm ci` installs exactly what the lock file records (it replaces node_modules, so running
# it again is harmless), and npm's cache makes a second run quick and lets it work offline once filled.
# Node.js and npm are preinstalled on this kind of machine; scripts/test.sh installs them when missing.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "setup-compat: node and npm are required (Debian packages nodejs npm; scripts/test.sh installs them)" >&2
  exit 1
fi
# Both SDKs support "Node.js 20 LTS or later" (their READMEs). Debian 12's own nodejs package is 18: on a
# machine without the preinstalled Node 20 this stops with a clear message rather than failing in a test.
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 20 ]; then
  echo "setup-compat: Node $(node --version) is too old, the compat SDKs need Node >= 20" >&2
  exit 1
fi

cd "$ROOT/compat"
npm ci --no-audit --no-fund --prefer-offline --loglevel=error
# The SDKs load, at the versions the lock file pins.
node --input-type=module -e '
  import { readFileSync } from "node:fs";
  await import("openai");
  await import("@anthropic-ai/sdk");
  const v = (p) => JSON.parse(readFileSync(`node_modules/${p}/package.json`, "utf8")).version;
  console.log(`compat SDKs ok: openai ${v("openai")}, @anthropic-ai/sdk ${v("@anthropic-ai/sdk")}`);
'
