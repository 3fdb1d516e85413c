#!/usr/bin/env bash
# make demo: run the bundled example segment (examples/segments/sample-sites.toml) end to end
# on the sample sites (a made-up business directory and four company websites, served on
# loopback by leadgen.localsites, with their mail hosts: a DNS server and SMTP servers on
# 127.0.0.x) into ./leadgen.db (or LEADGEN_DATABASE_URL): crawl, guess and verify emails, merge,
# score; then show the strategic accounts, the emails and the explanation of the first account.
# Run it twice: the second run changes nothing (idempotent).  Nothing leaves this machine: the
# sites answer through a local proxy, DNS and SMTP are asked on loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .demo
BIN=.venv/bin
"$BIN/python" -m leadgen.localsites examples/sample-sites --port 0 --mail > .demo/sites.log 2>&1 &
SITES=$!
trap 'kill $SITES 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q '^smtp-port: ' .demo/sites.log && break; sleep 0.1; done
PROXY=$(sed -n 's/^proxy: //p' .demo/sites.log)
DNS=$(sed -n 's/^dns: //p' .demo/sites.log)
SMTP_PORT=$(sed -n 's/^smtp-port: //p' .demo/sites.log)
[ -n "$PROXY" ] && [ -n "$DNS" ] && [ -n "$SMTP_PORT" ] \
  || { echo "the sample sites did not start:"; cat .demo/sites.log; exit 1; }
echo "== leadgen run examples/segments/sample-sites.toml --smtp --nameserver $DNS --smtp-port $SMTP_PORT"
echo "   (the segment's source: a directory of 4 companies, then each company's own website —"
echo "    polite defaults, robots.txt obeyed — then every person's work email found or guessed"
echo "    from the domain's pattern and verified by DNS and SMTP (RCPT TO, no mail sent), then"
echo "    duplicates merged and every account scored.  The sample mail hosts run on loopback:"
sed -n 's/^mail: /      /p' .demo/sites.log
echo "   )"
"$BIN/leadgen" run examples/segments/sample-sites.toml --proxy "$PROXY" \
  --smtp --nameserver "$DNS" --smtp-port "$SMTP_PORT" --timeout 5 --helo demo.leadgen.invalid
echo
echo "== leadgen list sample-sites --tier strategic"
"$BIN/leadgen" list sample-sites --tier strategic
echo
echo "== every contact's email and its verification (leadgen export --contacts)"
"$BIN/leadgen" export -o .demo/contacts.csv --contacts --segment sample-sites 2>/dev/null
"$BIN/python" - .demo/contacts.csv <<'PY'
import csv, sys
with open(sys.argv[1], encoding="utf-8") as fh:
    rows = list(csv.DictReader(fh))
for r in rows:
    email = r["contact_email"] or "(none)"
    print(f"  {r['domain']:<28} {r['contact_name']:<28} {email:<42} {r['contact_email_status']}")
PY
FIRST=$("$BIN/leadgen" list sample-sites --tier strategic --json --limit 1 \
  | "$BIN/python" -c 'import json,sys; rows=json.load(sys.stdin); print(rows[0]["id"] if rows else "")')
if [ -n "$FIRST" ]; then
  echo
  echo "== leadgen explain $FIRST --segment sample-sites"
  "$BIN/leadgen" explain "$FIRST" --segment sample-sites
fi
echo
echo "Next: leadgen report sample-sites --html .demo/report.html  |  leadgen list  |  leadgen export -o .demo/strategic.xlsx --segment sample-sites --tier strategic  |  leadgen --help"
