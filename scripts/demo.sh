#!/usr/bin/env bash
# make demo: run the bundled example segment (examples/segments/sample-sites.toml) end to end
# on the sample sites (a made-up business directory and four company websites, served on
# loopback by leadgen.localsites) into ./leadgen.db (or LEADGEN_DATABASE_URL), then show the
# strategic accounts and the explanation of the first.  Run it twice: the second run changes
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
echo "== leadgen run examples/segments/sample-sites.toml --skip enrich"
echo "   (the segment's source: a directory of 4 companies, then each company's own website —"
echo "    polite defaults, robots.txt obeyed — then duplicates merged and every account scored;"
echo "    email verification is skipped here: it asks real DNS servers, and the demo stays on"
echo "    this machine — see 'leadgen enrich --help')"
"$BIN/leadgen" run examples/segments/sample-sites.toml --proxy "$PROXY" --skip enrich
echo
echo "== leadgen list sample-sites --tier strategic"
"$BIN/leadgen" list sample-sites --tier strategic
FIRST=$("$BIN/leadgen" list sample-sites --tier strategic --json --limit 1 \
  | "$BIN/python" -c 'import json,sys; rows=json.load(sys.stdin); print(rows[0]["id"] if rows else "")')
if [ -n "$FIRST" ]; then
  echo
  echo "== leadgen explain $FIRST --segment sample-sites"
  "$BIN/leadgen" explain "$FIRST" --segment sample-sites
fi
echo
echo "Next: leadgen report sample-sites --html .demo/report.html  |  leadgen list  |  leadgen export -o .demo/strategic.xlsx --segment sample-sites --tier strategic  |  leadgen --help"
