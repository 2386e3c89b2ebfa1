#!/usr/bin/env bash
# Debian packages the test suite uses: chromium for the browser tests, wrk for the load test,
# npm for axe-core (the accessibility tests install it from npm into a cache folder).
# Installed only when missing and only where apt-get can run (root); otherwise those tests skip
# with a reason.
set -u
need=()
[ -x /usr/bin/chromium ] || need+=(chromium chromium-driver)
command -v wrk >/dev/null 2>&1 || need+=(wrk)
command -v npm >/dev/null 2>&1 || need+=(npm)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: not root or no apt-get; skipping ${need[*]} (browser and load tests will skip)" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null 2>&1 || true
apt-get install -y -qq "${need[@]}" >/dev/null 2>&1 || echo "system-deps: could not install ${need[*]}" >&2
exit 0
