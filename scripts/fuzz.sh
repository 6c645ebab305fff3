#!/usr/bin/env bash
# Fuzzes RequestParser with libFuzzer + AddressSanitizer for SECONDS (default 60).
#
#   scripts/fuzz.sh [SECONDS]
#
# Builds fuzz/ParserFuzz.swift together with the codec sources (Sources/HTTP/Codec/*.swift, which need
# nothing else from the HTTP module) into .build-fuzz/parser-fuzz, runs it on a copy of fuzz/corpus in
# .build-fuzz/corpus (with the token dictionary fuzz/http.dict), and ends with one line:
#   fuzz: executions=N seconds=S crashes=C
# Exits non-zero when the fuzzer found a crash (the reproducer is .build-fuzz/crash-*; replay it with
# `SWIFT_BACKTRACE=enable=no .build-fuzz/parser-fuzz .build-fuzz/crash-…`).
set -euo pipefail

seconds="${1:-60}"
[[ "$seconds" =~ ^[0-9]+$ ]] || { echo "usage: $0 [SECONDS]" >&2; exit 2; }

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/.build-fuzz"
mkdir -p "$out"

# swiftc ships its own libFuzzer and ASan runtimes; fail early with a hint if they are missing.
resource_dir="$(dirname "$(dirname "$(command -v swiftc)")")/lib/swift/clang/lib/linux"
if ! ls "$resource_dir"/libclang_rt.fuzzer-*.a >/dev/null 2>&1; then
    echo "fuzz: libFuzzer runtime not found in $resource_dir" >&2
    echo "fuzz: try: apt-get install -y libclang-rt-14-dev" >&2
fi

echo "fuzz: building $out/parser-fuzz"
(
    cd "$out"  # swiftc drops intermediate files in the working directory
    swiftc -O -sanitize=fuzzer,address -parse-as-library -swift-version 6 -module-name HTTP \
        "$root"/Sources/HTTP/Codec/*.swift "$root/fuzz/ParserFuzz.swift" \
        -o "$out/parser-fuzz"
) >"$out/build.log" 2>&1 || { cat "$out/build.log" >&2; echo "fuzz: build failed" >&2; exit 2; }
# (ld.gold warns "Cannot export local symbol '__asan_…'" for every ASan stub; harmless, kept in build.log.)

rm -rf "$out/corpus"
cp -R "$root/fuzz/corpus" "$out/corpus"
rm -f "$out"/crash-* "$out"/timeout-* "$out"/oom-* "$out"/leak-*

log="$out/fuzz.log"
started=$(date +%s)
set +e
# Swift's own crash backtracer would catch the trap first (and can hang); let libFuzzer handle it.
SWIFT_BACKTRACE=enable=no "$out/parser-fuzz" "$out/corpus" \
    -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 \
    -dict="$root/fuzz/http.dict" -artifact_prefix="$out/" -print_final_stats=1 >"$log" 2>&1
status=$?
set -e
measured=$(( $(date +%s) - started ))

tail -n 25 "$log"

executions="$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$log" | tail -n 1)"
elapsed="$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -n 1)"
if [[ -z "$executions" ]]; then  # crashed before the final stats: take the last status line "#N ..."
    executions="$(grep -oE '^#[0-9]+' "$log" | tail -n 1 | tr -d '#')"
fi
elapsed="${elapsed:-$measured}"
crashes="$(find "$out" -maxdepth 1 \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' -o -name 'leak-*' \) | wc -l)"
if [[ $status -ne 0 && $crashes -eq 0 ]]; then crashes=1; fi

echo "fuzz: executions=${executions:-0} seconds=$elapsed crashes=$crashes"
[[ $status -eq 0 && $crashes -eq 0 ]]
