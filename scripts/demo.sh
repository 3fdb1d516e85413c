#!/usr/bin/env bash
# make demo: import the bundled sample list into ./leadgen.db (or LEADGEN_DATABASE_URL) and show
# the prospect table.  Run it twice: the second import changes nothing (idempotent).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .demo
BIN=.venv/bin
echo "== leadgen import examples/prospects.csv (a made-up list: Russian, German and English rows)"
"$BIN/leadgen" import examples/prospects.csv --source sample-list --rejects .demo/prospects.rejects.csv
echo
echo "== leadgen list"
"$BIN/leadgen" list
echo
echo "Next: leadgen export -o .demo/prospects.xlsx  |  leadgen list --json  |  leadgen --help"
