#!/usr/bin/env bash
# Every measurement in RESULTS.md, in order, one at a time (about 70 minutes on 2 cores).
# Usage, from the repository root:
#   PY=.venv/bin/python BENCH_PY=/tmp/benchvenv/bin/python bash benchmarks/run_all.sh
# PY runs the project (its own environment); BENCH_PY has the `bench` extra (see README.md).
set -euo pipefail
PY=${PY:-python}
BENCH_PY=${BENCH_PY:-$PY}
uptime
$PY benchmarks/make_export.py -n 100000 --mode unique
$PY benchmarks/make_export.py -n 100000 --mode repeats
$PY benchmarks/make_export.py --mode unique
$PY benchmarks/make_export.py --mode repeats
$PY benchmarks/run.py coldstart --runs 7
$PY benchmarks/run.py train
$PY benchmarks/run.py preprocess
$PY benchmarks/run.py e2e --rows 100000 --jobs 0 1
$PY benchmarks/run.py e2e --rows 1000000
$PY benchmarks/profile_classify.py
$BENCH_PY benchmarks/peers.py
$BENCH_PY benchmarks/peers.py compare
$PY benchmarks/whatif.py baseline dedup lemma_tables vocab
uptime
$PY benchmarks/run.py report > benchmarks/data/tables.md
$BENCH_PY benchmarks/peers.py report >> benchmarks/data/tables.md
echo "tables: benchmarks/data/tables.md"
