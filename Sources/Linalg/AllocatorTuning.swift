import CAllocator

/// Keeps large buffers on the heap instead of fresh memory maps.
///
/// A training step allocates buffers of megabytes (task-gradient matrices, activations).
/// glibc serves such allocations with `mmap` and returns them with `munmap`, so every step
/// page-faults its buffers in again; measured here on the MultiFashion MLP step, that cost
/// 1.4 ms of a 5.6 ms step. Raising the mmap and trim thresholds lets freed buffers be
/// reused. Call once at program start; it affects the whole process.
/// - Returns: whether the allocator accepted the settings (false off glibc).
@discardableResult
public func keepLargeBuffersOnTheHeap() -> Bool {
    tt_keep_large_buffers_on_heap() == 1
}
