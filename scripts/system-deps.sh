#!/usr/bin/env bash
# Debian packages the test suite uses: chromium for the browser tests, wrk for the load test,
# nginx for serving the static export, WordPress with PHP for the WordPress target's tests
# (served by `php -S` against the machine's MariaDB, with a theme so post pages render), and
# npm for axe-core (the accessibility tests install it from npm into a cache folder). Installed only when missing and only where
# apt-get can run (root); otherwise those tests skip with a reason.
set -u
need=()
[ -x /usr/bin/chromium ] || need+=(chromium chromium-driver)
command -v wrk >/dev/null 2>&1 || need+=(wrk)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx)
command -v php >/dev/null 2>&1 || need+=(php-cli)
php -m 2>/dev/null | grep -qx mysqli || need+=(php-mysql)
php -m 2>/dev/null | grep -qx gd || need+=(php-gd)
[ -f /usr/share/wordpress/wp-settings.php ] || need+=(wordpress)
# Debian's wordpress ships no theme; the WordPress tests read a post's page (its <title>).
[ -d /usr/share/wordpress/wp-content/themes/twentytwentyone ] || need+=(wordpress-theme-twentytwentyone)
command -v npm >/dev/null 2>&1 || need+=(npm)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: not root or no apt-get; skipping ${need[*]} (the tests needing them will skip)" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null 2>&1 || true
# Another process may hold the dpkg lock for a while; wait for it rather than fail.
for attempt in 1 2 3 4 5 6; do
  apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=120 "${need[@]}" >/dev/null 2>&1 && exit 0
  sleep 10
done
echo "system-deps: could not install ${need[*]}" >&2
exit 0
