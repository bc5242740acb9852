#!/usr/bin/env bash
# Compares training and inference throughput with glibc malloc and with jemalloc, alternating
# the two settings so that both see the same machine load. Prints each run's figures and the
# ratios of the medians. Usage: scripts/benchmark.sh [ROUNDS] [extra `selfdistill benchmark` options]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-3}"
shift || true
jemalloc=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2
if [[ ! -f "$jemalloc" ]]; then
  echo "error: $jemalloc not found; install it with: apt-get install libjemalloc2" >&2
  exit 2
fi
jar="$here/target/selfdistill.jar"
[[ -f "$jar" ]] || (cd "$here" && mvn -q -B -DskipTests package)
run() {
  java -Xmx8g -Djava.awt.headless=true -jar "$jar" benchmark "$@" 2>/dev/null
}
declare -A values
for ((r = 1; r <= rounds; r++)); do
  for allocator in glibc jemalloc; do
    if [[ $allocator == jemalloc ]]; then
      out=$(LD_PRELOAD="$jemalloc" MALLOC_CONF=oversize_threshold:0,dirty_decay_ms:-1,muzzy_decay_ms:-1 run "$@")
    else
      out=$(run "$@")
    fi
    echo "round $r $allocator: $(echo "$out" | tr '\n' ' ')"
    while read -r name value; do
      values[$allocator.$name]+="$value "
    done <<< "$out"
  done
done
median() { tr ' ' '\n' <<< "$1" | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
for name in train_samples_per_second inference_samples_per_second peak_resident_mib; do
  g=$(median "${values[glibc.$name]}")
  j=$(median "${values[jemalloc.$name]}")
  awk -v n="$name" -v g="$g" -v j="$j" 'BEGIN {printf "%s median: glibc %s, jemalloc %s, ratio jemalloc/glibc %.2f\n", n, g, j, j / g}'
done
