#!/usr/bin/env bash
# Remake the CMYK output profiles in styles/icc/ from published
# characterization data. Not part of the build: the profiles are committed,
# and a build reads them as files. Run only to change them; see
# styles/icc/README.md for the sources and their licences.
#
# Needs ArgyllCMS (`apt-get install argyll`: colprof) and the measurement
# data of Debian's icc-profiles-free (FOGRA39L.ti3, TR003.ti3 in
# /usr/share/color/icc/; `apt-get download icc-profiles-free` and
# `dpkg-deb -x` it if the package is not installed).
#
#   FOGRA39-pipeline.icc         ISO 12647-2 coated offset (FOGRA39L data),
#                                total ink 330 % (ISO Coated v2's), for `generic`
#   CGATS-TR003-240-pipeline.icc SWOP on grade 3 coated (CGATS TR 003 data),
#                                total ink 240 % (IngramSpark's), for
#                                `ingramspark` and `kdp`
#
# Options: -qm medium quality A2B; -b l a low quality B2A (smaller file,
# still within 1 dE of the data on average); -nc no measurement data inside;
# -kr black generation ramping from none at white to all at black; -l the
# total ink limit; -S the perceptual and saturation tables gamut-mapped
# from sRGB (styles/icc/sRGB.icc), what our images and colours are in;
# -cmt -dpp viewing conditions: monitor source, practical print reflection.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
data=${ICC_DATA:-/usr/share/color/icc}
out=$here/styles/icc
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

make_profile() {  # make_profile DATA LIMIT NAME DESCRIPTION COPYRIGHT
  cp "$data/$1.ti3" "$work/$1.ti3"
  colprof -qm -b l -nc -kr -l "$2" -L 100 -S "$out/sRGB.icc" -cmt -dpp \
    -D "$4" -C "$5" -O "$work/$3" "$work/$1" >"$work/$1.log"
  cp "$work/$3" "$out/$3"
  echo "$out/$3: $(stat -c %s "$out/$3") bytes"
}

make_profile FOGRA39L 330 FOGRA39-pipeline.icc \
  "FOGRA39 (ISO 12647-2 coated), 330% TAC, made with ArgyllCMS" \
  "No copyright. Made from Fogra's FOGRA39L characterization data (via icc-profiles-free, zlib)"
make_profile TR003 240 CGATS-TR003-240-pipeline.icc \
  "CGATS TR 003 (SWOP grade 3), 240% TAC, made with ArgyllCMS" \
  "No copyright. Made from ANSI/CGATS/SWOP TR 003-2007 characterization data (via icc-profiles-free, zlib)"
