// TaskTrace speed benchmarks. Build and run in release: `make bench` (never part of the tests).
benchmarkMultiTaskStep()
