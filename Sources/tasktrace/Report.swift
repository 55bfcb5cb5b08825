import Analysis
import ArgumentParser
import Foundation
import Records

/// `tasktrace report`: every table, analysis.h5 and the figures of a study.
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Analyse a study: write report.md (all tables and figure links), analysis.h5 (every curve) and PNG figures.",
        discussion: """
        Writes STUDY/analysis.h5 (layout in notebooks-data/README.md), renders the figures into STUDY/figures with notebooks-data/plot_study.py (Debian's python3 with h5py and matplotlib), and writes STUDY/report.md with the gap, conflict, correlation and factor tables. Conflict and factors need records made with --probe-every; without them the report has the gaps and the minibatch conflict.
        """)

    @OptionGroup var input: StudyInput

    @Option(help: "Folder of plot_study.py (default: notebooks-data beside the package or the current folder).")
    var notebooks: String?

    func run() throws {
        try reportingErrors {
            let runs = try input.runs()
            let probed = runs.allSatisfy { run in
                (try? RecordReader(run.file)).map { reader in defer { reader.close() }; return reader.isDataset("/probe/sharpness") } ?? false
            }
            let source: StudyAnalysis.ConflictSource = probed ? input.conflict : .minibatch
            let analysis = try StudyAnalysis(runs: runs, components: probed ? [.gaps, .conflict, .factors] : [.gaps, .conflict],
                                             conflictSource: source)
            let folder = input.study as NSString
            let analysisPath = folder.appendingPathComponent("analysis.h5")
            try AnalysisFile.write(analysis, study: input.study, to: analysisPath)
            var tables = [analysis.gapTable, analysis.conflictTable, analysis.correlationTable]
            if probed { tables.append(analysis.factorTable()) }
            let figures = renderFigures(analysis: analysisPath, into: folder.appendingPathComponent("figures"))
            var lines = ["# TaskTrace report: \(input.study)", "",
                         "Tasks: \(analysis.tasks.joined(separator: ", ")); MT variants: \(analysis.variants.joined(separator: ", ")); " +
                         "seeds: \(analysis.seeds.map(String.init).joined(separator: ", ")); \(runs.count) records.", ""]
            if !probed { lines += ["The records have no probe rows: conflict is measured on minibatch gradients and factors are omitted.", ""] }
            lines += tables.map { $0.markdown + "\n" }
            switch figures {
            case .success(let files):
                lines += ["## Figures", ""] + files.map { "![\($0)](figures/\($0))" }
            case .failure(let reason):
                lines += ["## Figures", "", "Not rendered: \(reason.reason)"]
            }
            let reportPath = folder.appendingPathComponent("report.md")
            try (lines.joined(separator: "\n") + "\n").write(toFile: reportPath, atomically: true, encoding: .utf8)
            try input.emit(tables)
            print("\nreport: \(reportPath)\nanalysis: \(analysisPath)")
            if case .success(let files) = figures {
                print("figures:\n" + files.map { "  " + folder.appendingPathComponent("figures/\($0)") }.joined(separator: "\n"))
            }
        }
    }

    /// Runs plot_study.py; the PNG names on success, the reason on failure.
    func renderFigures(analysis: String, into folder: String) -> Result<[String], FigureError> {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        let candidates = [notebooks].compactMap { $0 } + [
            executable.appendingPathComponent("../../notebooks-data").standardized.path,
            executable.appendingPathComponent("../../../notebooks-data").standardized.path, "notebooks-data",
        ]
        guard let directory = candidates.first(where: { FileManager.default.fileExists(atPath: ($0 as NSString).appendingPathComponent("plot_study.py")) }) else {
            return .failure(FigureError(reason: "notebooks-data/plot_study.py not found (give --notebooks DIR)"))
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [(directory as NSString).appendingPathComponent("plot_study.py"), analysis, folder]
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        do { try process.run() } catch { return .failure(FigureError(reason: "cannot run /usr/bin/python3: \(error)")) }
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            return .failure(FigureError(reason: "plot_study.py failed: \(message.split(separator: "\n").last ?? "")"))
        }
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".png") }.sorted()
        return .success(files)
    }

    struct FigureError: Error { var reason: String }
}
