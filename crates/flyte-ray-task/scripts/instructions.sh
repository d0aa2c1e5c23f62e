#!/usr/bin/env bash
# Instructions per call of each task-layer path (the names of
# benches/build.rs) for both SDKs on examples/ray_config.yaml, with callgrind
# (independent of machine load). Run from the workspace root:
#
#   bash crates/flyte-ray-task/scripts/instructions.sh
#
# Each figure is (run with N calls - run with 0 calls) / N, so the set-up
# (reading the document once, and the one warm-up call build_loop makes
# before the N: one-time initialisation such as compiling a regex) cancels out.
set -euo pipefail
cargo build --quiet --release -p flyte-ray-task --example build_loop
bin=target/release/examples/build_loop
count() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" "$1" "$2" "$3" 2>&1 \
    | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'; }
n=100
printf '| path | flytekit | flyte2 |\n|---|---|---|\n'
for path in get_custom build document_to_custom; do
    declare -A per
    for sdk in flytekit flyte2; do
        zero=$(count "$path" "$sdk" 0)
        full=$(count "$path" "$sdk" "$n")
        per[$sdk]=$(( (full - zero) / n ))
    done
    printf '| `%s` | %d | %d |\n' "$path" "${per[flytekit]}" "${per[flyte2]}"
done
