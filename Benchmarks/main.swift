// TaskTrace speed benchmarks. Build and run in release: `make bench` (never part of the tests).
import Linalg

precondition(keepLargeBuffersOnTheHeap(), "the allocator refused the large-buffer settings")
benchmarkMultiTaskStep()
print()
benchmarkMultiLeNetStep()
print()
try benchmarkRecordingCost()
