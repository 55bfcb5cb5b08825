import Foundation
import Testing

@Suite struct TrainTests {
    @Test func badFlagsGiveOneLineAndExitTwo() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        for arguments in [["train", "--dataset", "bogus"], ["train", "--widths", "3,x"], ["train", "--bogus"],
                          ["train", "--dataset", "synthetic", "--task", "zz"]] {
            let result = try tasktrace(arguments, in: scratch.url)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.error.split(separator: "\n").count == 1, "\(arguments): \(result.error)")
            #expect(result.error.hasPrefix("tasktrace: "))
        }
    }

    @Test func aShortSyntheticRunPrintsEvaluations() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let result = try tasktrace(["train", "--dataset", "synthetic", "--steps", "20", "--eval-every", "10",
                                    "--batch-size", "32", "--quiet"], in: scratch.url)
        #expect(result.status == 0)
        #expect(result.output.contains("step 10") && result.output.contains("final"))
    }
}
