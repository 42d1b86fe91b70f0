#!/usr/bin/env bash
# Install the few system packages the pipeline needs, only where missing:
# the book face (EB Garamond with true small caps), a Java runtime for
# EPUBCheck, poppler and qpdf for PDF checks, Ghostscript for separations,
# ICU headers for PyICU (Spanish collation), python3-venv, and Chromium
# (tests open the diff report in it).
# Debian/Ubuntu (apt). Safe to run again: it does nothing when all is there.
set -euo pipefail

missing=()
need() {  # need PACKAGE TEST...
  local pkg=$1; shift
  if ! "$@" >/dev/null 2>&1; then missing+=("$pkg"); fi
}

need fonts-ebgaramond        test -f /usr/share/fonts/opentype/ebgaramond/EBGaramond12-Regular.otf
need fonts-ebgaramond-extra  test -f /usr/share/fonts/opentype/ebgaramond/EBGaramond12-AllSC.otf
need default-jre-headless    command -v java
need poppler-utils           command -v pdffonts
need qpdf                    command -v qpdf
need python3-venv            python3 -c "import ensurepip, venv"
need libicu-dev              test -f /usr/include/unicode/coll.h     # PyICU builds against it
need pkg-config              command -v pkg-config
need g++                     command -v g++
need nodejs                  command -v node                          # Ace by DAISY (EPUB accessibility)
need npm                     command -v npm
need chromium                command -v chromium                      # Ace's renderer, screenshots
need libharfbuzz-subset0     sh -c 'ls /usr/lib/*/libharfbuzz-subset.so.0'   # WeasyPrint subsets fonts with it
need chromium                command -v chromium                      # tests open the diff report headless
need ghostscript             command -v gs                            # separations of the printer's PDF (check pdf)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if ! command -v apt-get >/dev/null; then
  echo "setup: please install: ${missing[*]} (no apt-get on this machine)" >&2
  exit 1
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "setup: installing ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
