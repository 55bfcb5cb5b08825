import Testing
import Linalg

@Suite struct AllocatorTuningTests {
    @Test func glibcAcceptsTheLargeBufferSettings() {
        #if canImport(Glibc)
        #expect(keepLargeBuffersOnTheHeap())
        #endif
    }
}
