#!/usr/bin/env bash
# Instructions per call of the render paths on the typical task
# (examples/ray_task.json, the `render` bench's input), with callgrind
# (independent of machine load). Run from the workspace root:
#
#   bash crates/flyte-ray-kuberay/scripts/instructions.sh
#
# Each figure is (run with N calls - run with 0 calls) / N, so the set-up
# (reading and parsing the task, the first render) cancels out.
set -euo pipefail
cargo build --quiet --release -p flyte-ray-kuberay --example render_loop
bin=target/release/examples/render_loop
count() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" "$1" "$2" 2>&1 \
    | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'; }
n=${N:-100}
printf '| path | instructions per call |\n|---|---|\n'
for path in render text_to_yaml; do
    zero=$(count "$path" 0)
    full=$(count "$path" "$n")
    printf '| `%s` | %d |\n' "$path" $(( (full - zero) / n ))
done
