#!/usr/bin/env bash
# Install the Debian packages the test suite needs, when they are missing.
#   postgresql       - the storage tests start a throwaway PostgreSQL server (initdb + pg_ctl)
#   python3-venv     - `python3 -m venv` on Debian/Ubuntu
#   chromium         - JavaScript-rendered lists are crawled (and tested) in headless Chromium
#                      through scrapy-playwright; Playwright's own browser download does not work
#                      on every machine, Debian's package does (LEADGEN_CHROMIUM overrides it)
#   dnsmasq-base     - the email verification tests serve their fixture DNS zones with dnsmasq
# As root it runs apt-get; otherwise it tries `sudo -n`, else names the packages and fails.
set -euo pipefail

missing=()
have_pg() { compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || command -v initdb >/dev/null; }
have_pg || missing+=(postgresql)
python3 -c 'import ensurepip' 2>/dev/null || missing+=(python3-venv)
have_chromium() { [ -n "${LEADGEN_CHROMIUM:-}" ] && [ -x "$LEADGEN_CHROMIUM" ] || command -v chromium >/dev/null; }
have_chromium || missing+=(chromium)
command -v dnsmasq >/dev/null || [ -x /usr/sbin/dnsmasq ] || missing+=(dnsmasq-base)

[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  SUDO=(sudo -n)
else
  echo "leadgen tests need these Debian packages: ${missing[*]}" >&2
  echo "install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null; then
  echo "no apt-get here: install ${missing[*]} with your package manager" >&2
  exit 1
fi
echo "installing Debian packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
