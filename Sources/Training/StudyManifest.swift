import Foundation

/// `study.json`, schema "tasktrace-study/1": a study's configuration, its runs and which ST
/// run pairs with which MT run. Written by `tasktrace study` into the study folder beside
/// the records; the analysis reads it to find the runs and their pairs.
///
/// ```
/// { "schema": "tasktrace-study/1",
///   "study": { seeds, out, base, mt },          the study configuration
///   "tasks": ["left", "right"],                 the dataset's tasks
///   "runs": [ { name, file, configFile, mode: "st"|"mt", task (ST), variant, weights (MT), seed } ],
///   "pairs": [ { task, seed, variant, st: ST record file, mt: MT record file } ] }
/// ```
public struct StudyManifest: Codable, Sendable, Equatable {
    /// The schema name written into and expected from `study.json`.
    public static let schemaName = "tasktrace-study/1"
    /// The manifest's file name in the study folder.
    public static let fileName = "study.json"

    public var schema: String
    public var study: StudyConfiguration
    /// The dataset's task names, in head order.
    public var tasks: [String]
    /// Every run: for each seed, the ST run of each task, then each MT variant's run.
    public var runs: [StudyRun]
    /// For each MT run and each task, the ST run of that task with the same seed.
    public var pairs: [StudyPair]

    /// Plans `study` (validated first): its runs, in order, and their pairs.
    public init(planning study: StudyConfiguration) throws {
        try study.validate()
        let tasks = study.taskNames
        var runs: [StudyRun] = []
        var pairs: [StudyPair] = []
        for seed in study.seeds {
            let singleTask = tasks.map { StudyRun.singleTask($0, seed: seed) }
            runs += singleTask
            for variant in study.mt {
                let run = StudyRun.multiTask(variant, taskCount: tasks.count, seed: seed)
                runs.append(run)
                pairs += zip(tasks, singleTask).map {
                    StudyPair(task: $0, seed: seed, variant: variant.name, singleTaskFile: $1.file, multiTaskFile: run.file)
                }
            }
        }
        self.init(schema: Self.schemaName, study: study, tasks: tasks, runs: runs, pairs: pairs)
    }

    init(schema: String, study: StudyConfiguration, tasks: [String], runs: [StudyRun], pairs: [StudyPair]) {
        self.schema = schema
        self.study = study
        self.tasks = tasks
        self.runs = runs
        self.pairs = pairs
    }

    enum CodingKeys: String, CodingKey {
        case schema, study, tasks, runs, pairs
    }

    /// Decodes a manifest, refusing another schema and pairs that name runs it does not list.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let schema = try c.decode(String.self, forKey: .schema)
        guard schema == Self.schemaName else {
            throw HyperparameterError(field: "schema", message: "schema is '\(schema)', expected '\(Self.schemaName)'")
        }
        self.init(schema: schema, study: try c.decode(StudyConfiguration.self, forKey: .study),
                  tasks: try c.decode([String].self, forKey: .tasks), runs: try c.decode([StudyRun].self, forKey: .runs),
                  pairs: try c.decode([StudyPair].self, forKey: .pairs))
        let files = Set(runs.map(\.file))
        for (index, pair) in pairs.enumerated() where !files.contains(pair.singleTaskFile) || !files.contains(pair.multiTaskFile) {
            throw HyperparameterError(field: "pairs[\(index)]", message: "pairs[\(index)] names a run that runs does not list")
        }
    }

    /// Reads `study.json` at `url`, or in the folder `url`. Throws `StudyFileError` naming the
    /// file (missing, not JSON, another schema, a missing or mistyped field).
    public init(reading url: URL) throws {
        let file = url.hasDirectoryPath || FileManager.default.isDirectory(url) ? url.appendingPathComponent(Self.fileName) : url
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw StudyFileError(file: file.path, message: "cannot read the file (missing or not readable)")
        }
        do {
            self = try JSONDecoder().decode(StudyManifest.self, from: data)
        } catch let error as HyperparameterError {
            throw StudyFileError(file: file.path, message: error.message)
        } catch let error as DecodingError {
            throw StudyFileError(file: file.path, message: HyperparameterError(decoding: error).message)
        }
    }

    /// The manifest as `study.json` holds it: pretty-printed JSON with sorted keys.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self) + Data("\n".utf8)
    }

    // MARK: - Queries

    /// The ST runs, in plan order.
    public var singleTaskRuns: [StudyRun] { runs.filter { $0.mode == .st } }
    /// The MT runs, in plan order.
    public var multiTaskRuns: [StudyRun] { runs.filter { $0.mode == .mt } }

    /// The run whose record is `file` (relative to the study folder).
    public func run(file: String) -> StudyRun? { runs.first { $0.file == file } }

    /// The run named `name` (its file without `.h5`).
    public func run(named name: String) -> StudyRun? { runs.first { $0.name == name } }

    /// The ST run of `task` with `seed`.
    public func singleTaskRun(task: String, seed: UInt64) -> StudyRun? {
        runs.first { $0.mode == .st && $0.task == task && $0.seed == seed }
    }

    /// The MT run of `variant` with `seed`.
    public func multiTaskRun(variant: String, seed: UInt64) -> StudyRun? {
        runs.first { $0.mode == .mt && $0.variant == variant && $0.seed == seed }
    }

    /// The pairs, optionally only those of one variant, task or seed.
    public func pairs(variant: String? = nil, task: String? = nil, seed: UInt64? = nil) -> [StudyPair] {
        pairs.filter { pair in
            (variant.map { pair.variant == $0 } ?? true) && (task.map { pair.task == $0 } ?? true)
                && (seed.map { pair.seed == $0 } ?? true)
        }
    }

    /// The ST run paired with the MT run `multiTask` for each task, by task name.
    public func pairedSingleTaskRuns(of multiTask: StudyRun) -> [String: StudyRun] {
        var result: [String: StudyRun] = [:]
        for pair in pairs where pair.multiTaskFile == multiTask.file {
            result[pair.task] = run(file: pair.singleTaskFile)
        }
        return result
    }

    /// The full configuration `run` trains with: the base with the run's seed, and its task
    /// (ST) or its variant's weights (MT; nil for equal weights, as the variant gives them).
    public func configuration(of run: StudyRun) -> RunConfiguration {
        var configuration = study.base
        configuration.seed = run.seed
        switch run.mode {
        case .st:
            configuration.task = run.task
            configuration.weights = nil
        case .mt:
            configuration.task = nil
            let variant = study.mt.first { $0.name == run.variant }
            configuration.weights = variant?.weights
            if let method = variant?.method { configuration.method = method }
            if let widths = variant?.widths { configuration.widths = widths }
        }
        return configuration
    }
}

/// A study file (`study.json`, a study configuration) that cannot be used, with the reason.
public struct StudyFileError: Error, CustomStringConvertible, Sendable, Equatable {
    public var file: String
    public var message: String
    public init(file: String, message: String) {
        self.file = file
        self.message = message
    }
    public var description: String { "\(file): \(message)" }
}

extension FileManager {
    /// Whether `url` names an existing directory.
    func isDirectory(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
