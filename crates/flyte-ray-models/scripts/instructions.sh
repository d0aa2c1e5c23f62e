#!/usr/bin/env bash
# Instructions per call of every codec path on the typical and large bench
# fixtures, with callgrind (independent of machine load), and the
# large/typical ratio. Run from the workspace root:
#
#   bash crates/flyte-ray-models/scripts/instructions.sh
#
# Each figure is (run with N calls - run with 0 calls) / N, so the set-up
# (reading the fixtures, the descriptor pool) cancels out.
set -euo pipefail
cargo build --quiet --release -p flyte-ray-models --example codec_loop
bin=target/release/examples/codec_loop
count() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" "$1" "$2" "$3" 2>&1 \
    | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'; }
printf '| path | typical | large | large / typical |\n|---|---|---|---|\n'
for path in encode decode to_json from_json short_string json_parse_floor; do
    declare -A per
    for size in typical large; do
        n=$([ "$size" = typical ] && echo 200 || echo 10)
        zero=$(count "$path" "$size" 0)
        full=$(count "$path" "$size" "$n")
        per[$size]=$(( (full - zero) / n ))
    done
    ratio=$(awk -v a="${per[large]}" -v b="${per[typical]}" 'BEGIN { printf "%.1f", a / b }')
    printf '| `%s` | %d | %d | %s× |\n' "$path" "${per[typical]}" "${per[large]}" "$ratio"
done
