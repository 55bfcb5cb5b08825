import Foundation
import Testing

@Suite struct SweepTests {
    static func configuration(methods: String) -> String {
        """
        seeds = [1, 2]
        out = "sw"
        grid = 2
        methods = \(methods)
        [base]
        dataset = { name = "synthetic", trainCount = 300, validationCount = 100, testCount = 100 }
        widths = [8]
        batchSize = 32
        steps = 40
        evalEvery = 10
        """
    }

    /// A 3-point grid and one method over 2 seeds: sweep.h5 holds the documented shapes, and
    /// its front is recomputed from the records with h5py (validation R^2 at each record's
    /// last evaluation, averaged over seeds; a point is on the front when no other point is
    /// at least as good in both tasks and better in one).
    @Test func frontAndMethodsFromTheRecords() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        try Self.configuration(methods: #"["mgda"]"#).write(toFile: scratch.path("s.toml"), atomically: true, encoding: .utf8)
        let result = try tasktrace(["sweep", "--config", "s.toml", "--quiet"], in: scratch.url)
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("w-0.5-0.5") && result.output.contains("mgda"))
        let check = try python("""
        import h5py, numpy as np
        def metric(name):
            values = []
            for seed in (1, 2):
                f = h5py.File('sw/mt-%s-seed%d.h5' % (name, seed), 'r')
                values.append(f['eval/val_metric'][-1])
            return np.mean(values, axis=0)
        s = h5py.File('sw/sweep.h5', 'r')
        assert s.attrs['schema'] == 'tasktrace-sweep/1'
        names = list(s.attrs['scalarizations'])
        assert names == ['w-1-0', 'w-0.5-0.5', 'w-0-1'], names
        assert s['scalarizations/weights'].shape == (3, 2) and s['scalarizations/val_metric_per_seed'].shape == (3, 2, 2)
        points = np.array([metric(n) for n in names])
        assert np.allclose(s['scalarizations/val_metric'][:], points, atol=1e-12)
        def dominated(p, q): return np.all(q >= p) and np.any(q > p)
        front = [0 if any(dominated(points[i], points[j]) for j in range(3) if j != i) else 1 for i in range(3)]
        assert list(s['scalarizations/pareto'][:]) == front, (list(s['scalarizations/pareto'][:]), front)
        m = metric('mgda')
        assert np.allclose(s['methods/val_metric'][0], m, atol=1e-12)
        distance = min(np.linalg.norm(points[i] - m) for i in range(3) if front[i])
        assert abs(s['methods/distance_to_front'][0] - distance) < 1e-12
        assert s['methods/dominated'][0] == (1 if any(dominated(m, p) for p in points) else 0)
        print('ok')
        """, in: scratch.url)
        #expect(check.status == 0 && check.output.contains("ok"), "\(check.error)")

        // The plotting script draws the front from sweep.h5.
        let plot = try NotebooksTests.runScript("plot_sweep.py", ["sw/sweep.h5", "sw/figures"], in: scratch)
        #expect(plot.status == 0, "\(plot.error)")
        #expect(plot.output.trimmingCharacters(in: .whitespacesAndNewlines) == "sw/figures/front_t0_t1.png")
        #expect(FileManager.default.fileExists(atPath: scratch.path("sw/figures/front_t0_t1.png")))
    }

    @Test func aSweepWithoutMethodsWritesNoMethodsGroup() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        try Self.configuration(methods: "[]").write(toFile: scratch.path("s.toml"), atomically: true, encoding: .utf8)
        let result = try tasktrace(["sweep", "--config", "s.toml", "--quiet"], in: scratch.url)
        #expect(result.status == 0, "\(result.error)")
        let check = try python("import h5py; s = h5py.File('sw/sweep.h5', 'r'); print('methods' in s, len(s.attrs['methods']))", in: scratch.url)
        #expect(check.output.trimmingCharacters(in: .whitespacesAndNewlines) == "False 0", "\(check.output) \(check.error)")
    }

    @Test func badFieldsAreOneLineAndExitTwo() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        for (text, field) in [(Self.configuration(methods: #"["mgdaa"]"#), "methods[0]"),
                              (Self.configuration(methods: "[]").replacingOccurrences(of: "grid = 2", with: "grid = 2\nsamples = 3"), "samples"),
                              (Self.configuration(methods: "[]").replacingOccurrences(of: "grid = 2", with: "grid = 0"), "grid")] {
            try text.write(toFile: scratch.path("s.toml"), atomically: true, encoding: .utf8)
            let result = try tasktrace(["sweep", "--config", "s.toml"], in: scratch.url)
            #expect(result.status == 2 && result.error.contains(field) && result.error.split(separator: "\n").count == 1, "\(result.error)")
        }
    }
}
