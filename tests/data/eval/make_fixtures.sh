#!/bin/sh
# Regenerates the trec_eval fixtures of this folder (see README.md). Not run by the build or the
# tests. Needs:
#   TREC_EVAL       a trec_eval built from usnistgov/trec_eval at 9d55fc96 (see README.md)
#   TREC_EVAL_SKIP  the same, built so that without -c a judged query missing from the run is
#                   skipped (README.md, "The one deliberate difference")
#   SHARED          the shared data folder (default: ../shared/data from the repository root)
#   FULL_RUNS       folder with the Lucene runs named below (default: /tmp/ev/runs)
# Run from this folder: sh make_fixtures.sh
set -eu
: "${TREC_EVAL:?set TREC_EVAL}" "${TREC_EVAL_SKIP:?set TREC_EVAL_SKIP}"
SHARED=${SHARED:-../../../../shared/data}
FULL_RUNS=${FULL_RUNS:-/tmp/ev/runs}

# Inputs: qrels copied from the shared data, Lucene runs cut to keep the repository small.
cp "$SHARED/adi/qrels/test.trec" qrels/adi.trec
cp "$SHARED/cranfield/qrels/test.trec" qrels/cranfield.trec
cp "$SHARED/npl/qrels/test.trec" qrels/npl.trec
gzip -9nc "$SHARED/nfcorpus/qrels/test.tsv" > qrels/nfcorpus.tsv.gz
cp "$SHARED/scifact/anserini/qrels.beir-v1.0.0-scifact.test.txt" qrels/scifact.trec
cp "$SHARED/scifact/qrels/test.tsv" qrels/scifact.tsv
gzip -9nc "$FULL_RUNS/adi.bm25.trec" > runs/adi.bm25.trec.gz
awk '$4 <= 50' "$FULL_RUNS/cranfield.bm25.trec" | gzip -9n > runs/cranfield.bm25.top50.trec.gz
awk '$1 <= 60 && $4 <= 100' "$FULL_RUNS/cranfield.bm25.noties.trec" | gzip -9n > runs/cranfield.bm25-noties.q60.top100.trec.gz
awk '$4 <= 100' "$FULL_RUNS/npl.bm25.trec" | gzip -9n > runs/npl.bm25.top100.trec.gz
awk '$4 <= 20' "$FULL_RUNS/nfcorpus.bm25.trec" | gzip -9n > runs/nfcorpus.bm25.top20.trec.gz
awk '$4 <= 100' "$FULL_RUNS/scifact.bm25.trec" | gzip -9n > runs/scifact.bm25.top100.trec.gz

# Expected outputs: one per line of cases.tsv (name, reference, arguments). trec_eval reads
# neither gzip nor BEIR TSV, so it is given such inputs decompressed and as TREC qrels.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
grep -v '^#' cases.tsv | while IFS="$(printf '\t')" read -r name reference args; do
  [ -n "$name" ] || continue
  ref_args=""
  for a in $args; do
    case "$a" in
      *.gz) gunzip -c "$a" > "$tmp/$(basename "$a" .gz)"; a="$tmp/$(basename "$a" .gz)" ;;
    esac
    case "$a" in
      *.tsv) awk -F '\t' '{ sub(/\r$/, "") } $3 ~ /^-?[0-9]+$/ { print $1 " 0 " $2 " " $3 }' "$a" > "$tmp/qrels.trec"; a="$tmp/qrels.trec" ;;
    esac
    ref_args="$ref_args $a"
  done
  bin=$TREC_EVAL
  [ "$reference" = skip ] && bin=$TREC_EVAL_SKIP
  # shellcheck disable=SC2086
  "$bin" $ref_args > "$tmp/out"
  rm -f "expected/$name.txt" "expected/$name.txt.gz"
  if [ "$(wc -c < "$tmp/out")" -gt 20000 ]; then gzip -9nc "$tmp/out" > "expected/$name.txt.gz"; else cp "$tmp/out" "expected/$name.txt"; fi
done
