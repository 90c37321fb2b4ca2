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
# The editable twins (.docx) as another program lays them out: LibreOffice Writer (Debian:
# apt-get install libreoffice-writer-nogui) converts each to PDF, with the PDF's PT Serif
# (templates/fonts) made known to it through a fontconfig file of its own; page 1 as docx-<kind>.png.
cat >"$out/fonts.conf" <<EOF
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>$PWD/templates/fonts</dir>
  <cachedir>$out/font-cache</cachedir>
</fontconfig>
EOF
# Each twin: its .docx path in the run and the picture's name.
twins=(
  "reports/schools/56-001.docx docx-school-report"
  "reports/municipalities/$(ls "$out/reports/municipalities" | grep '\.docx$' | head -n 1) docx-municipality-report"
  "reports/region.docx docx-region-report"
  "reports/stage.docx docx-stage-report"
)
for order in low-results-list working-group network-partnership plan-graph plan-graph-amendment monitoring-results; do
  twins+=("orders/$order.docx docx-order-$order")
done
for twin in "${twins[@]}"; do
  read -r file name <<<"$twin"
  mkdir -p "$out/docx/$name"
  FONTCONFIG_FILE="$out/fonts.conf" soffice --headless "-env:UserInstallation=file://$out/libreoffice" \
    --convert-to pdf --outdir "$out/docx/$name" "$out/$file" >/dev/null 2>&1
  pdftoppm -r 70 -png -f 1 -l 1 -singlefile "$out/docx/$name/$(basename "$file" .docx).pdf" "docs/pages/$name"
done
echo "docs/pages: $(ls docs/pages | wc -l) pictures"
# The run's index.html (the dashboard) with a trend across two stages, photographed in Chromium.
npx tsx scripts/dashboard-picture.ts
