import Linalg

extension Trainer {
    /// Marks the per-task samplers' seeds ("TASK") apart from other users of the run seed.
    static let taskSamplerStream: UInt64 = 0x5441_534B_0000_0000

    /// The seed of the sampling-mode minibatch sampler of dataset task `task`: the first draw
    /// of `RandomGenerator(seed: runSeed, stream: taskSamplerStream | task)`. It depends on the
    /// dataset task, not the head position, so an ST run of a task sees that task's batches in
    /// the MT run's order.
    public static func taskSamplerSeed(runSeed: UInt64, task: Int) -> UInt64 {
        var generator = RandomGenerator(seed: runSeed, stream: taskSamplerStream | UInt64(task))
        return generator.next()
    }

    /// Draws the task of a sampling step: head t with probability w_t / sum_s w_s, by one
    /// uniform draw from the run's `generator` (so a checkpoint of the generator resumes the
    /// same sequence of tasks).
    mutating func drawTask() -> Int {
        let total = weights.reduce(0, +)
        let threshold = generator.uniform() * total
        var cumulative = 0.0
        for (t, weight) in weights.enumerated() where weight > 0 {
            cumulative += weight
            if threshold < cumulative { return t }
        }
        return weights.lastIndex { $0 > 0 }!  // rounding left the threshold at the total
    }
}
