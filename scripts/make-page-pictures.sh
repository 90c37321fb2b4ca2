#!/usr/bin/env bash
# Page 1 of every kind of document, printed from the demo region, as the pictures in docs/pages/.
# Needs pdftoppm (Debian: apt-get install poppler-utils) and, for the .docx twins, soffice; run after `npm run build`.
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
npx monitor500 run --source examples/demo-region/registry.xlsx --out "$out" --as-of 2026-11-20 --stage промежуточный >/dev/null
picture() { pdftoppm -r 70 -png -f 1 -l 1 -singlefile "$out/$1" "docs/pages/$2"; }
picture reports/schools/56-001.pdf school-report
picture "reports/municipalities/$(ls "$out/reports/municipalities" | grep '\.pdf$' | head -n 1)" municipality-report
picture reports/region.pdf region-report
picture reports/stage.pdf stage-report
for order in low-results-list working-group network-partnership plan-graph plan-graph-amendment monitoring-results; do
  picture "orders/$order.pdf" "order-$order"
done
# The orders' editable twins (.docx) as another program lays them out: LibreOffice Writer (Debian:
# apt-get install libreoffice-writer-nogui) converts each to PDF, with the PDF's PT Serif
# (templates/fonts) made known to it through a fontconfig file of its own; page 1 as docx-order-<name>.png.
cat >"$out/fonts.conf" <<EOF
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>$PWD/templates/fonts</dir>
  <cachedir>$out/font-cache</cachedir>
</fontconfig>
EOF
orders=(low-results-list working-group network-partnership plan-graph plan-graph-amendment monitoring-results)
twins=()
for order in "${orders[@]}"; do twins+=("$out/orders/$order.docx"); done
FONTCONFIG_FILE="$out/fonts.conf" soffice --headless "-env:UserInstallation=file://$out/libreoffice" \
  --convert-to pdf --outdir "$out/docx" "${twins[@]}" >/dev/null 2>&1
for order in "${orders[@]}"; do
  pdftoppm -r 70 -png -f 1 -l 1 -singlefile "$out/docx/$order.pdf" "docs/pages/docx-order-$order"
done
echo "docs/pages: $(ls docs/pages | wc -l) pictures"
# The run's index.html (the dashboard) with a trend across two stages, photographed in Chromium.
npx tsx scripts/dashboard-picture.ts
