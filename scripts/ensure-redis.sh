#!/usr/bin/env bash
# The tests start their own redis-server on loopback; this makes sure the binary is there.
set -euo pipefail
command -v redis-server >/dev/null 2>&1 && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "redis-server missing: installing Debian's redis-server package" >&2
  (apt-get install -y redis-server >/dev/null 2>&1 || (apt-get update >/dev/null && apt-get install -y redis-server >/dev/null))
  systemctl disable --now redis-server >/dev/null 2>&1 || service redis-server stop >/dev/null 2>&1 || true
  exit 0
fi
echo "redis-server is missing: install it with 'sudo apt-get install -y redis-server' and run the tests again" >&2
exit 1
