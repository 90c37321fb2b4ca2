#!/usr/bin/env bash
# Page 1 of every kind of document, printed from the demo region, as the pictures in docs/pages/.
# Needs pdftoppm (Debian: apt-get install poppler-utils); run after `npm run build`.
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
npx monitor500 run --source examples/demo-region/registry.xlsx --out "$out" --as-of 2026-11-20 --stage промежуточный >/dev/null
picture() { pdftoppm -r 70 -png -f 1 -l 1 -singlefile "$out/$1" "docs/pages/$2"; }
picture reports/schools/56-001.pdf school-report
picture "reports/municipalities/$(ls "$out/reports/municipalities" | head -n 1)" municipality-report
picture reports/region.pdf region-report
picture reports/stage.pdf stage-report
for order in low-results-list working-group network-partnership plan-graph plan-graph-amendment monitoring-results; do
  picture "orders/$order.pdf" "order-$order"
done
echo "docs/pages: $(ls docs/pages | wc -l) pictures"
# The run's index.html (the dashboard) with a trend across two stages, photographed in Chromium.
npx tsx scripts/dashboard-picture.ts
