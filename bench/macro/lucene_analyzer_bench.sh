#!/bin/sh
# Lucene 8.8's analyzer throughput next to tandem's, on the same corpus (default: the bundled
# SciFact). Needs the Debian Lucene jars (scripts/setup.sh) and a bench build of tandem:
#   cmake --preset bench && cmake --build build/bench --target bench_analyzer tandem_cli
#   bench/macro/lucene_analyzer_bench.sh [CORPUS.jsonl[.gz]]
# Prints: Lucene warm in-JVM passes (median and best of 10 after 5 warm-up passes), tandem's
# micro-benchmark (median of 5 repetitions),
# and both end-to-end tools (the peer's Analyze, `tandem analyze --format jsonl`) writing JSONL.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
corpus=${1:-$root/data/scifact/corpus.jsonl.gz}
build=${TANDEM_BUILD:-$root/build/bench}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
CP=/usr/share/java/lucene-core-8.7.0.jar:/usr/share/java/lucene-analyzers-common-8.7.0.jar:/usr/share/java/jackson-core.jar
javac -encoding UTF-8 -cp "$CP" -d "$work" "$here/LuceneAnalyzerBench.java"
java ${LUCENE_JAVA_OPTS:--Xms256m -Xmx2g} -cp "$CP:$work" LuceneAnalyzerBench "$corpus" 5 10
TANDEM_BENCH_CORPUS="$corpus" "$build/bench/bench_analyzer" --benchmark_filter='Analyze' --benchmark_repetitions=5 \
  --benchmark_report_aggregates_only=true 2>/dev/null | grep median
if [ -n "${PEER:-}" ]; then  # PEER=path/to/a/compiled/copy/of/peers/lucene
  /usr/bin/time -f "lucene Analyze (JVM start to end): %e s" env LUCENE_JAVA_OPTS="-Xms256m -Xmx2g" \
    sh "$PEER/run.sh" Analyze -input "$corpus" -output "$work/lucene.jsonl"
fi
/usr/bin/time -f "tandem analyze (process start to end): %e s" \
  "$build/apps/cli/tandem" analyze --input "$corpus" --format jsonl > "$work/tandem.jsonl"
