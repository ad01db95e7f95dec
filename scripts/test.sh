#!/usr/bin/env bash
# The whole test suite, from a fresh Debian 12 machine of this project's kind: install what the tests
# need (JDK, Maven, promtool/prometheus, Redis, PostgreSQL, Node modules), start the services they use when they are
# not running, then run the Maven build with every test. README.md's second command; CI runs it too.
set -euo pipefail
cd "$(dirname "$0")/.."

export DEBIAN_FRONTEND=noninteractive
apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then apt-get update -qq; apt_updated=1; fi
  # Packages install their services here, but must not start them (a packaged Prometheus would sit on
  # :9090): tests start what they need. Only a guard we create is removed again.
  local guard=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    guard=yes
  fi
  apt-get install -y -qq --no-install-recommends "$@"
  if [ -n "$guard" ]; then rm -f /usr/sbin/policy-rc.d; fi
}

missing=()
command -v java >/dev/null || missing+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null || missing+=(maven)
# promtool (exposition and alert-rule checks) and prometheus (the end-to-end alert test) come in one package.
{ command -v promtool >/dev/null && command -v prometheus >/dev/null; } || missing+=(prometheus)
command -v redis-server >/dev/null || missing+=(redis-server)
command -v node >/dev/null || missing+=(nodejs npm)
if [ "${#missing[@]}" -gt 0 ]; then apt_install "${missing[@]}"; fi

command -v pg_ctlcluster >/dev/null || apt_install postgresql

# Redis and PostgreSQL on their standard loopback ports, as on every machine of this kind (the shared
# cache, limits and Responses store use Redis; the usage ledger PostgreSQL). Tests use key prefixes and
# a database of their own, and clean up.
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
fi
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  cluster_version="$(ls /etc/postgresql | head -1)"
  # A cluster installed just now authenticates loopback clients by password; the tests connect as the
  # postgres superuser without one, as on the machines of this kind (trust on loopback).
  hba="/etc/postgresql/$cluster_version/main/pg_hba.conf"
  if ! grep -q '^host all all 127.0.0.1/32 trust' "$hba"; then
    sed -i -e '1i host all all 127.0.0.1/32 trust' -e '1i host all all ::1/128 trust' "$hba"
  fi
  pg_ctlcluster --skip-systemctl-redirect "$cluster_version" main start
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi

# Set-ups of their own (idempotent).
# The monitoring package's own set-up (node modules for manifest validation).
if [ -f .ci/setup-monitoring.sh ]; then bash .ci/setup-monitoring.sh; fi

# The SDK compatibility suite's set-up (the npm client SDKs in compat/, from its lock file).
bash .ci/setup-compat.sh

mvn -B verify "$@"
