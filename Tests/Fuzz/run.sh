#!/usr/bin/env bash
# Builds the fuzz targets with libFuzzer and AddressSanitizer and runs each for SECONDS.
#   bash Tests/Fuzz/run.sh SECONDS [TARGET...]     (targets: tokenizer filter csv workspace database datetime commands tablefile)
# Seeds come from Tests/Fuzz/corpus/TARGET (never modified); what libFuzzer learns goes to a
# scratch corpus; crashes are written to Tests/Fuzz/crashes/ and make the script fail.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:?usage: run.sh SECONDS [TARGET...]}
shift
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(tokenizer filter csv workspace database datetime commands tablefile)

# lld: gold fails on libFuzzer's objects; -DFUZZING swaps the replayer's main for libFuzzer's driver.
swift build -c release --product valley-fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING -Xswiftc -use-ld=lld \
  --scratch-path .build-fuzz
binary=.build-fuzz/release/valley-fuzz
mkdir -p Tests/Fuzz/crashes
status=0
for target in "${targets[@]}"; do
  work=$(mktemp -d)
  cp Tests/Fuzz/corpus/"$target"/* "$work"/
  log=$(mktemp)
  if VALLEY_FUZZ_TARGET=$target ASAN_OPTIONS=detect_leaks=0 "$binary" -max_total_time="$seconds" -rss_limit_mb=4096 \
       -max_len=65536 -artifact_prefix=Tests/Fuzz/crashes/"$target"- "$work" > "$log" 2>&1; then
    echo "$target: $(grep -E '^Done [0-9]+ runs' "$log" | tail -1), corpus $(ls "$work" | wc -l) inputs"
  else
    echo "$target: CRASH (see Tests/Fuzz/crashes/$target-*)"; tail -30 "$log"; status=1
  fi
  rm -rf "$work" "$log"
done
exit $status
