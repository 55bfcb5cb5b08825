import Foundation
import Testing

@Suite struct CompareTests {
    static let configuration = """
    seeds = [1, 2]
    out = "cmp"
    learningRates = [0.01, 0.001]
    methods = ["scalarization", "pcgrad"]
    [[matched]]
    name = "wide"
    widths = [24]
    [base]
    dataset = { name = "synthetic", trainCount = 300, validationCount = 100, testCount = 100 }
    widths = [8]
    batchSize = 32
    steps = 40
    evalEvery = 10
    """

    /// The whole command on a tiny synthetic comparison: every run recorded with test rows and
    /// wall time; the table's test metric of a method is the mean over seeds of the test R^2 at
    /// each record's lowest mean validation loss, recomputed here with h5py.
    @Test func comparesMethodsAtTheirBestLearningRate() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        try Self.configuration.write(toFile: scratch.path("c.toml"), atomically: true, encoding: .utf8)
        let result = try tasktrace(["compare", "--config", "c.toml", "--jobs", "2", "--quiet"], in: scratch.url)
        #expect(result.status == 0, "\(result.error)")
        // 2 learning rates x 2 seeds x (2 ST + 3 MT) runs.
        for rate in ["0.01", "0.001"] {
            let files = try FileManager.default.contentsOfDirectory(atPath: scratch.path("cmp/lr-\(rate)")).filter { $0.hasSuffix(".h5") }
            #expect(files.count == 10)
        }
        let csv = try String(contentsOfFile: scratch.path("cmp/compare.csv"), encoding: .utf8)
        let rows = csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.count == 1 + 3 + 1)
        #expect(Set(rows.dropFirst().map { $0[1] }) == ["scalarization", "pcgrad", "matched-wide", "ST (each task alone)"])
        #expect(result.output.contains("tuned scalarization: scalarization"))

        // Independent recomputation of the pcgrad row's t0 test metric.
        let pcgrad = try #require(rows.first { $0[1] == "pcgrad" })
        let rate = pcgrad[2]
        let check = try python("""
        import h5py, numpy as np
        values = []
        for seed in (1, 2):
            f = h5py.File('cmp/lr-\(rate)/mt-pcgrad-seed%d.h5' % seed, 'r')
            assert f['eval/test_metric'].shape == f['eval/val_loss'].shape
            wall = f['train/wall_time'][:]
            assert len(wall) == 40 and np.all(np.diff(wall) >= 0) and wall[-1] > 0
            row = int(np.argmin(f['eval/val_loss'][:].mean(axis=1)))
            values.append(f['eval/test_metric'][row, 0])
        print('%.4f' % np.mean(values))
        """, in: scratch.url)
        #expect(check.status == 0, "\(check.error)")
        let expected = check.output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(pcgrad[3].hasPrefix("\"" + expected + " ["), "table cell \(pcgrad[3]), recomputed \(expected)")

        // A second run finds every record of both learning rates complete and prints the same table.
        let again = try tasktrace(["compare", "--config", "c.toml", "--quiet"], in: scratch.url)
        #expect(again.status == 0 && again.output.components(separatedBy: "0 recorded, 10 skipped (complete)").count == 3, "\(again.output)")
        #expect(try String(contentsOfFile: scratch.path("cmp/compare.csv"), encoding: .utf8) == csv)
    }

    @Test func aBadFieldIsOneLineAndExitTwo() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        try Self.configuration.replacingOccurrences(of: "\"pcgrad\"", with: "\"pcgard\"")
            .write(toFile: scratch.path("c.toml"), atomically: true, encoding: .utf8)
        let result = try tasktrace(["compare", "--config", "c.toml"], in: scratch.url)
        #expect(result.status == 2)
        #expect(result.error.contains("methods[1]") && result.error.split(separator: "\n").count == 1, "\(result.error)")
    }
}
