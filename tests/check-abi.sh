#!/bin/sh
# Compares the ABI of a freshly built libpovmetrics.so with the committed
# baseline. Fails on an incompatible change (abidiff exit bit 8: a removed or
# changed symbol or type). Compatible additions (bit 4) pass but are listed,
# so a reviewer sees them; refresh the baseline deliberately with
#   tests/check-abi.sh --update build-abi/libpovmetrics.so abi/libpovmetrics.abi include
# and record the change in CHANGELOG.md.
set -u
update=0
if [ "${1:-}" = --update ]; then update=1; shift; fi
lib=$1 baseline=$2 incdir=$3
gen_hdrs=$(dirname "$lib")/include
if [ $update = 1 ]; then
  mkdir -p "$(dirname "$baseline")"
  abidw --no-corpus-path --headers-dir "$incdir" --headers-dir "$gen_hdrs" \
        --out-file "$baseline" "$lib" || exit 2
  echo "baseline written: $baseline"
  exit 0
fi
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
abidw --no-corpus-path --headers-dir "$incdir" --headers-dir "$gen_hdrs" \
      --out-file "$tmp/current.abi" "$lib" || exit 2
abidiff --no-added-syms "$baseline" "$tmp/current.abi" > "$tmp/report" 2>&1
rc=$?
if [ $((rc & 1)) -ne 0 ]; then echo "abidiff failed to run:"; cat "$tmp/report"; exit 2; fi
if [ $((rc & 8)) -ne 0 ]; then
  echo "INCOMPATIBLE ABI CHANGE against $baseline:"; cat "$tmp/report"; exit 1
fi
if [ $((rc & 4)) -ne 0 ]; then echo "compatible ABI change:"; cat "$tmp/report"; fi
echo "abi: compatible with $baseline"
exit 0
