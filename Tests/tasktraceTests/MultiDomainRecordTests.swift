import Foundation
import Records
import Testing

/// `tasktrace record` on multi-domain data with proportional sampling, and the flags'
/// refusals: end to end through the executable.
@Suite struct MultiDomainRecordTests {
    @Test(.enabled(if: fashionMNISTAvailable, "needs the Fashion-MNIST files"))
    func aSamplingRunOnTwoDomainsWritesARecordThatInspectReads() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let run = try tasktrace(["record", "--dataset", "multidomain", "--domains", "original,inverted", "--scalarization", "sampling",
                                 "--steps", "50", "--train-count", "500", "--validation-count", "200", "--widths", "32",
                                 "--batch-size", "32", "--eval-every", "25", "--quiet", "--out", "md.h5"], in: scratch.url)
        #expect(run.status == 0, "\(run.error)")
        #expect(run.output.contains("tasks original, inverted"))
        let inspect = try tasktrace(["inspect", "md.h5"], in: scratch.url)
        #expect(inspect.status == 0, "\(inspect.error)")
        #expect(inspect.output.contains("status      complete"))
        #expect(inspect.output.contains("domains original,inverted"))
        #expect(inspect.output.contains("scalarization sampling"))
        let reader = try RecordReader(scratch.path("md.h5"))
        defer { reader.close() }
        let weights = try reader.readDoubles("/train/weight")
        #expect(weights.count == 100)
        for step in 0..<50 { #expect(weights[2 * step] + weights[2 * step + 1] == 1 && Set(weights[(2 * step)...(2 * step + 1)]) == [0, 1]) }
        // Validation accuracy of each domain is measured on that domain's examples alone.
        let accuracy = try reader.readDoubles("/eval/val_metric")
        #expect(accuracy.count == 6 && accuracy.allSatisfy { $0 > 0 && $0 <= 1 })
    }

    @Test func badValuesEndWithOneLineAndExitTwo() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let cases: [([String], [String])] = [
            (["--dataset", "multidomain", "--domains", "original,sepia"], ["--domains", "sepia"]),
            (["--dataset", "synthetic", "--scalarization", "resample"], ["scalarization"]),
            (["--dataset", "synthetic", "--scalarization", "sampling", "--method", "pcgrad"], ["scalarization", "pcgrad"]),
            (["--dataset", "synthetic", "--domains", "original"], ["dataset.domains"]),
        ]
        for (flags, naming) in cases {
            let result = try tasktrace(["record"] + flags + ["--steps", "2", "--quiet", "--out", "bad.h5"], in: scratch.url)
            expectOneLineFailure(result, naming: naming, flags.joined(separator: " "))
        }
    }

    @Test func theHelpSaysWhenToSample() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let help = try tasktrace(["record", "--help"], in: scratch.url)
        let text = help.output.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(text.contains("Use sampling for multi-domain data"))
        #expect(text.contains("--shared-head") && text.contains("--domains"))
    }
}
