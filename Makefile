# TaskTrace: `make demo` and `make test` set everything up on a fresh Debian machine.
SHELL := /bin/bash
DEBIAN_PACKAGES := libopenblas-dev libhdf5-dev zlib1g-dev pkg-config dataset-fashion-mnist \
                   hdf5-tools python3-h5py python3-matplotlib python3-venv parallel
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
RELEASE_BIN := .build/release
RUNS ?= runs/demo

.PHONY: deps build test demo bench bench-deps clean compare

## deps: install the Debian packages TaskTrace needs (apt-get update first; skipped when all are present)
deps:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:" $$missing; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	else echo "Debian packages present."; fi
	@$(MAKE) --no-print-directory python-deps

## build: release build of the tasktrace command
build: deps
	swift build -c release --product tasktrace

## test: the whole test suite
test: deps
	swift test

## demo: a MultiFashion study (ST left, ST right, MT equal weights, 3 seeds), inspect summaries
##       of seed 1's records, then the report: gap, conflict, correlation and factor tables, figures
DEMO_STUDY := runs/multifashion-study
demo: build
	@set -e; start=$$(date +%s); \
	$(RELEASE_BIN)/tasktrace study --config studies/multifashion-demo.toml; \
	for run in st-left-seed1 st-right-seed1 mt-equal-seed1; do echo; $(RELEASE_BIN)/tasktrace inspect $(DEMO_STUDY)/$$run.h5; done; \
	echo; $(RELEASE_BIN)/tasktrace report $(DEMO_STUDY); \
	echo; echo "demo wall time: $$(( $$(date +%s) - start )) s"

## compare: MTO methods against tuned scalarization on MultiFashion (studies/multifashion-compare.toml:
##          6 methods + 2 weightings + a wider trunk, 2 learning rates, 3 seeds), then the table
compare: build
	@start=$$(date +%s); $(RELEASE_BIN)/tasktrace compare --config studies/multifashion-compare.toml; \
	status=$$?; echo "compare wall time: $$(( $$(date +%s) - start )) s"; exit $$status

## bench: speed benchmarks, release build (never part of the tests): TaskTrace against PyTorch on
##        the same CPU and the same work. First the same-work check (PyTorch recomputes TaskTrace's
##        per-task gradients and top eigenvalue from its weights and batch; a mismatch stops here),
##        then both sides in turn, A B A B, each appending JSON lines to $(BENCH_OUT), then the
##        table with targets, then the recording-cost benchmark. Two threads on both sides.
BENCH_OUT := .build/bench
BENCH_PYTHON := .venv-bench/bin/python
BENCH_ROUNDS := 1 2
# Environment for the PyTorch side only; empty keeps PyTorch's defaults (right on a quiet machine).
# On a machine shared with other jobs, libgomp's spinning threads stall PyTorch by up to 300x:
# make bench PYTORCH_ENV=OMP_WAIT_POLICY=PASSIVE
PYTORCH_ENV ?=
# Environment for the TaskTrace side only; empty keeps this machine's OpenBLAS settings. Where
# OPENBLAS_CORETYPE pins OpenBLAS to older kernels (here: Haswell, AVX2), this lets it choose
# its own for the CPU; the same-work check runs under it too and stops the bench on wrong numbers:
# make bench TASKTRACE_ENV="-u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE"
TASKTRACE_ENV ?=
bench: deps bench-deps
	swift build -c release --product Benchmarks
	@set -e; rm -rf $(BENCH_OUT); mkdir -p $(BENCH_OUT); \
	export OPENBLAS_NUM_THREADS=2; \
	echo "== same-work check"; \
	echo "OpenBLAS for TaskTrace: $$(env $(TASKTRACE_ENV) OPENBLAS_VERBOSE=2 $(RELEASE_BIN)/Benchmarks --help 2>&1 | grep -m1 '^Core' || echo 'kernel not reported')"; \
	env $(TASKTRACE_ENV) $(RELEASE_BIN)/Benchmarks --same-work $(BENCH_OUT)/same-work; \
	$(BENCH_PYTHON) Benchmarks/reference/same_work.py $(BENCH_OUT)/same-work; \
	for round in $(BENCH_ROUNDS); do \
	  echo; echo "== round $$round: TaskTrace"; env $(TASKTRACE_ENV) $(RELEASE_BIN)/Benchmarks --comparison --json $(BENCH_OUT)/tasktrace.jsonl; \
	  echo; echo "== round $$round: PyTorch"; env $(PYTORCH_ENV) $(BENCH_PYTHON) Benchmarks/reference/step.py --json $(BENCH_OUT)/pytorch.jsonl; \
	done; \
	echo; $(BENCH_PYTHON) Benchmarks/reference/table.py $(BENCH_OUT)/tasktrace.jsonl $(BENCH_OUT)/pytorch.jsonl; \
	echo; env $(TASKTRACE_ENV) $(RELEASE_BIN)/Benchmarks --recording-cost

## bench-deps: .venv-bench on Debian's python3 with torch (CPU) and numpy for the PyTorch side of
##             `make bench`; torch from the CPU wheel in /opt/wheels when present, else from PyPI
##             (PyPI's default torch is the CUDA build, several GB); skipped when torch is there
TORCH_WHEEL := $(firstword $(wildcard /opt/wheels/torch-*+cpu-cp311-*.whl))
bench-deps:
	@if [ -x $(BENCH_PYTHON) ] && $(BENCH_PYTHON) -c "import torch, numpy" 2>/dev/null; then \
	  echo "torch present in .venv-bench."; \
	else \
	  /usr/bin/python3 -m venv .venv-bench; \
	  if [ -n "$(TORCH_WHEEL)" ]; then .venv-bench/bin/pip install --find-links /opt/wheels $(TORCH_WHEEL) numpy; \
	  else .venv-bench/bin/pip install torch numpy; fi; \
	fi

clean:
	rm -rf .build

## figures: PNG figures of a study from its analysis file: make figures STUDY=path/to/study
##          (reads $(STUDY)/analysis.h5, writes $(STUDY)/figures/*.png and prints their paths)
STUDY ?=
.PHONY: figures python-deps
figures:
	@if [ -z "$(STUDY)" ]; then echo "usage: make figures STUDY=path/to/study (a folder with analysis.h5)" >&2; exit 2; fi
	@/usr/bin/python3 notebooks-data/plot_study.py "$(STUDY)/analysis.h5" "$(STUDY)/figures"

## python-deps: .venv on Debian's python3 with its system site packages (h5py, numpy, matplotlib
##              from apt), checked against notebooks-data/requirements.txt; nothing is downloaded
python-deps:
	/usr/bin/python3 -m venv --system-site-packages .venv
	.venv/bin/python notebooks-data/check_requirements.py notebooks-data/requirements.txt
