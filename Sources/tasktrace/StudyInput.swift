import Analysis
import ArgumentParser
import Foundation
import Records
import Training

/// The study an analysis command reads, and where its tables go.
struct StudyInput: ParsableArguments {
    @Argument(help: "The study folder (runs plus study.json), or a folder of records.")
    var study: String

    @Option(help: "Conflict from the probe's big-batch gradients (probe, default) or every step's minibatch gradients (minibatch).")
    var conflict: StudyAnalysis.ConflictSource = .probe

    @Option(help: "Also write the table(s) as CSV to this file.")
    var csv: String?

    @Option(help: "Also write the table(s) as JSON to this file.")
    var json: String?

    /// The runs of the study: from its study.json when there is one, else every record in the
    /// folder, its mode, tasks and seed read from the record (MT runs grouped by their weights).
    func runs() throws -> [StudyRecord] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: study, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw AnalysisError.badStudy(path: study, detail: "not a folder")
        }
        let manifestPath = (study as NSString).appendingPathComponent("study.json")
        if FileManager.default.fileExists(atPath: manifestPath) {
            let manifest = try StudyManifest(reading: URL(fileURLWithPath: study))
            let records = manifest.runs.map { run in
                StudyRecord(file: (study as NSString).appendingPathComponent(run.file), mode: run.mode == .st ? .st : .mt,
                            variant: run.variant ?? "", seed: Int64(bitPattern: run.seed))
            }
            for record in records where !FileManager.default.fileExists(atPath: record.file) {
                throw AnalysisError.badStudy(path: record.file, detail: "listed in study.json but missing (run `tasktrace study` to finish the study)")
            }
            return records
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: study).filter { $0.hasSuffix(".h5") && $0 != "analysis.h5" }.sorted()
        var runs: [StudyRecord] = []
        for name in files {
            let path = (study as NSString).appendingPathComponent(name)
            let reader = try RecordReader(path)
            defer { reader.close() }
            guard (try? reader.stringAttribute("schema")) == TrajectorySchema.name else { continue }
            let mode = (try? reader.stringAttribute("mode", of: "/tasks")) ?? "mt"
            let seed = (try? reader.intAttribute("seed")) ?? 0
            var variant = ""
            if mode == "mt" {
                let config = (try? reader.stringAttribute("config")).flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
                let weights = (config?["weights"] as? [Double])?.map { String(format: "%g", $0) }.joined(separator: "-")
                variant = weights.map { "weights-\($0)" } ?? "mt"
            }
            runs.append(StudyRecord(file: path, mode: mode == "st" ? .st : .mt, variant: variant, seed: seed))
        }
        guard !runs.isEmpty else { throw AnalysisError.badStudy(path: study, detail: "holds no TaskTrace records") }
        return runs
    }

    /// Prints the tables and writes them to --csv and --json when given.
    func emit(_ tables: [ResultTable]) throws {
        print(tables.map(\.aligned).joined(separator: "\n\n"))
        if let csv {
            try tables.map { "# \($0.title)\n" + $0.csv }.joined(separator: "\n").write(toFile: csv, atomically: true, encoding: .utf8)
        }
        if let json {
            let object = tables.map { ["title": $0.title, "rows": $0.jsonObject] as [String: Any] }
            let data = try JSONSerialization.data(withJSONObject: tables.count == 1 ? object[0] : object as Any,
                                                  options: [.prettyPrinted, .sortedKeys])
            try data.write(to: URL(fileURLWithPath: json))
        }
    }
}

extension StudyAnalysis.ConflictSource: ExpressibleByArgument {}
