#!/usr/bin/env bash
# Builds the fuzz targets with libFuzzer on the stable toolchain and runs one.
#
#   bash fuzz/run.sh TARGET [SECONDS] [-- LIBFUZZER OPTIONS]
#
# TARGET is scan_file, fix_file or set_cookie_header. The corpus lives in
# fuzz/corpus/TARGET (seeded from the rule fixtures on first use), crashes go
# to fuzz/artifacts/TARGET. cargo-fuzz needs a nightly compiler for its
# sanitizer flags; the coverage instrumentation libFuzzer needs is made of
# stable `-C` flags, so this script passes those itself.
set -euo pipefail
cd "$(dirname "$0")"

target="${1:?usage: run.sh TARGET [SECONDS] [-- LIBFUZZER OPTIONS]}"
seconds="${2:-60}"
shift $(( $# >= 2 ? 2 : 1 ))
[ "${1:-}" = "--" ] && shift

triple="$(rustc -vV | sed -n 's/^host: //p')"
export RUSTFLAGS="-Cpasses=sancov-module \
 -Cllvm-args=-sanitizer-coverage-level=4 \
 -Cllvm-args=-sanitizer-coverage-inline-8bit-counters \
 -Cllvm-args=-sanitizer-coverage-pc-table \
 -Cllvm-args=-sanitizer-coverage-trace-compares \
 --cfg fuzzing"
# --target keeps the flags off build scripts and proc macros.
cargo build --release --locked --target "$triple" --bin "$target"

corpus="corpus/$target"
artifacts="artifacts/$target"
mkdir -p "$corpus" "$artifacts"
if [ -z "$(ls -A "$corpus")" ]; then
  case "$target" in
    set_cookie_header)
      i=0
      while IFS= read -r line; do
        i=$((i + 1)); printf '%s' "$line" > "$corpus/seed-$i"
      done < seeds/set_cookie_header.txt
      ;;
    *)
      find ../crates/pathfinder_rules/resources/test/fixtures ../examples -name '*.py' -size -64k \
        | while read -r file; do
            cp "$file" "$corpus/seed-$(echo "$file" | sha1sum | cut -c1-16).py"
          done
      ;;
  esac
fi

exec "target/$triple/release/$target" "$corpus" \
  -dict=python.dict -artifact_prefix="$artifacts/" -max_len=65536 \
  -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 "$@"
