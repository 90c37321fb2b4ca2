#!/usr/bin/env bash
# Regenerates the real-writer .xlsx corpus in tests/fixtures/writers/ from its sources.
# Needs Debian packages (bookworm versions are recorded in tests/fixtures/writers/README.md):
#   apt-get install -y --no-install-recommends libreoffice-calc-nogui python3-openpyxl python3-xlsxwriter gnumeric unzip
# The *.expected.json files are written by hand and are NOT regenerated: if a program
# version changes, re-check the XML (unzip -p FILE xl/worksheets/sheet1.xml) against them.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="$ROOT/tests/fixtures/writers"
SRC="$DIR/sources"
PY=/usr/bin/python3   # Debian's python3: the Debian packages live there, not in pyenv/venv pythons

missing=()
command -v soffice >/dev/null || missing+=(libreoffice-calc-nogui)
command -v ssconvert >/dev/null || missing+=(gnumeric)
command -v unzip >/dev/null || missing+=(unzip)
"$PY" -c 'import openpyxl' 2>/dev/null || missing+=(python3-openpyxl)
"$PY" -c 'import xlsxwriter' 2>/dev/null || missing+=(python3-xlsxwriter)
if [ ${#missing[@]} -gt 0 ]; then
  echo "missing programs; install them with:" >&2
  echo "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
# A private LibreOffice profile, so a running soffice or a user profile cannot interfere.
LO=(soffice "-env:UserInstallation=file://$TMP/lo-profile" --headless)

echo "LibreOffice: $(soffice --version | head -1)"
"${LO[@]}" --convert-to xlsx --outdir "$DIR" "$SRC/libreoffice.fods" "$SRC/libreoffice-1904.fods" >/dev/null 2>&1

echo "Gnumeric: $(ssconvert --version 2>&1 | head -1)"
# ssconvert cannot read Flat ODS; LibreOffice turns the same sources into .ods first.
"${LO[@]}" --convert-to ods --outdir "$TMP" "$SRC/libreoffice.fods" "$SRC/libreoffice-1904.fods" >/dev/null 2>&1
ssconvert --export-type=Gnumeric_Excel:xlsx2 "$TMP/libreoffice.ods" "$DIR/gnumeric.xlsx" 2>/dev/null
ssconvert --export-type=Gnumeric_Excel:xlsx2 "$TMP/libreoffice-1904.ods" "$DIR/gnumeric-1904.xlsx" 2>/dev/null

echo "XlsxWriter: $("$PY" -c 'import xlsxwriter; print(xlsxwriter.__version__)')"
"$PY" "$SRC/xlsxwriter_fixtures.py" "$DIR"

echo "openpyxl: $("$PY" -c 'import openpyxl; print(openpyxl.__version__)')"
"$PY" "$SRC/openpyxl_fixtures.py" "$DIR"

echo "hand-assembled"
"$PY" "$SRC/handmade_fixtures.py" "$DIR"

# Sanity check: every file must open back in LibreOffice.
for f in "$DIR"/*.xlsx; do
  "${LO[@]}" --convert-to csv --outdir "$TMP/csv" "$f" >/dev/null 2>&1
  test -s "$TMP/csv/$(basename "${f%.xlsx}").csv" || { echo "LibreOffice could not open $f" >&2; exit 1; }
done
ls -l "$DIR"/*.xlsx
