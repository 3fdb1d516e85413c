#!/usr/bin/env bash
# make demo: crawl the bundled sample sites (a made-up business directory and four company
# websites, served on loopback by leadgen.localsites) into ./leadgen.db (or
# LEADGEN_DATABASE_URL) and show the prospects found.  Run it twice: the second crawl changes
# nothing (idempotent).  Nothing leaves this machine: the sites answer through a local proxy.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .demo
BIN=.venv/bin
"$BIN/python" -m leadgen.localsites examples/sample-sites --port 0 > .demo/sites.log 2>&1 &
SITES=$!
trap 'kill $SITES 2>/dev/null || true' EXIT
for _ in $(seq 50); do grep -q '^proxy: ' .demo/sites.log && break; sleep 0.1; done
PROXY=$(sed -n 's/^proxy: //p' .demo/sites.log)
[ -n "$PROXY" ] || { echo "the sample sites did not start:"; cat .demo/sites.log; exit 1; }
echo "== leadgen crawl directory --source examples/sample-sites/sources/tradehub.toml"
echo "   (a directory of 4 companies, then each company's own website: polite defaults, robots.txt obeyed)"
"$BIN/leadgen" crawl directory --source examples/sample-sites/sources/tradehub.toml --proxy "$PROXY"
echo
echo "== leadgen list"
"$BIN/leadgen" list
echo
echo "Next: leadgen list --json  |  leadgen export -o .demo/prospects.xlsx --contacts  |  leadgen extract FILE.html  |  leadgen --help"
