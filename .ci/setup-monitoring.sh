#!/usr/bin/env bash
# Installs what the monitoring-package tests (src/test/java/dev/ossaat/orchestrator/deploy) need on a
# fresh Debian 12 machine, and nothing else:
#   - promtool and prometheus (Debian package `prometheus` 2.42): `promtool check rules` / `promtool
#     test rules`, parsing every dashboard query, and a real Prometheus evaluating the rendered rules
#     (the tests start and stop their own, on a free loopback port);
#   - the npm packages in deploy/ (kubernetes-models, @kubernetes-models/prometheus-operator) that
#     validate the rendered Helm manifests against the Kubernetes and prometheus-operator schemas.
# Idempotent: run again, it installs no package and leaves the same node_modules (npm ci from the
# lock file). Node.js and npm are preinstalled on this kind of machine.
# Helm itself needs nothing: helm-java (Maven Central) embeds it.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

if ! command -v promtool >/dev/null 2>&1; then
  # Debian's maintainer scripts start the daemon through invoke-rc.d, which asks /usr/sbin/policy-rc.d
  # first: exit code 101 means "do not start". Without that guard the package would leave a Prometheus
  # server on :9090 (where tests, or the end-to-end test's own Prometheus, may want to listen).
  # Put a guard in place only when none exists, and remove only the guard we created.
  created_policy=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
    $SUDO chmod 755 /usr/sbin/policy-rc.d
    created_policy="yes"
  fi
  # --no-install-recommends: the recommended prometheus-node-exporter would be another daemon.
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends prometheus
  if [ -n "$created_policy" ]; then $SUDO rm -f /usr/sbin/policy-rc.d; fi
fi

# Should the package's server have been started anyway (a systemd machine that ignores policy-rc.d),
# stop that service and keep it from starting at boot. Only the packaged service is touched.
if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
  if systemctl is-active --quiet prometheus 2>/dev/null; then
    $SUDO systemctl stop prometheus || true
  fi
  $SUDO systemctl disable prometheus >/dev/null 2>&1 || true
elif [ -f /run/prometheus/prometheus.pid ] && [ -x /etc/init.d/prometheus ]; then
  $SUDO /etc/init.d/prometheus stop || true
fi

promtool --version 2>&1 | head -n 1

# npm ci installs exactly what deploy/package-lock.json records (it replaces node_modules, so running
# it again is harmless; npm's cache makes the second run quick).
cd "$ROOT/deploy"
npm ci --no-audit --no-fund --loglevel=error
node --input-type=module -e 'await import("kubernetes-models/apps/v1/Deployment"); await import("@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule"); console.log("kubernetes-models ok")'
