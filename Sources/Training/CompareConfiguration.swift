import Foundation

/// A comparison of MTO methods against scalarization (`tasktrace compare --config`): every
/// method at every learning rate and seed, the single-task runs at the same learning rates
/// (the reference of Delta_m), optional weighted scalarizations (candidates for the tuned
/// scalarization) and optional compute-matched scalarizations with another trunk.
///
/// It is planned as one study per learning rate (`StudyConfiguration`, in the folder
/// `<out>/lr-<rate>`): the base with that learning rate and test-split evaluation on, one
/// MT variant per method, weighting and matched trunk. Decoding is strict; errors name the
/// field (`learningRates[1]`, `methods[0]`, `matched[0].widths`, `base.optimizer.kind`).
public struct CompareConfiguration: Decodable, Sendable, Equatable {
    /// A scalarization with another trunk (for example wider, or deeper) for the same budget.
    public struct ComputeMatched: Codable, Sendable, Equatable {
        /// Names the variant `matched-<name>`.
        public var name: String
        /// Hidden widths of its MLP trunk.
        public var widths: [Int]
        public init(name: String, widths: [Int]) {
            self.name = name
            self.widths = widths
        }
    }

    public var seeds: [UInt64]
    public var out: String?
    /// Learning rates tried for every method (and the ST runs).
    public var learningRates: [Double]
    /// Methods compared (`AggregatorChoice.allNames`); `scalarization` is equal weights.
    public var methods: [String]
    /// Further scalarization weights, one vector per variant (`scalarization-<w1>-<w2>...`).
    public var scalarizationWeights: [[Double]]
    public var matched: [ComputeMatched]
    /// What every run shares; its learning rate is replaced by each of `learningRates`.
    public var base: RunConfiguration

    /// The methods of the acceptance comparison: equal-weight scalarization, PCGrad, MGDA-UB,
    /// CAGrad, IMTL-G and Nash-MTL.
    public static let defaultMethods = ["scalarization", "pcgrad", "mgda", "cagrad", "imtlg", "nashmtl"]

    public init(seeds: [UInt64], out: String? = nil, learningRates: [Double], methods: [String] = defaultMethods,
                scalarizationWeights: [[Double]] = [], matched: [ComputeMatched] = [], base: RunConfiguration) {
        self.seeds = seeds
        self.out = out
        self.learningRates = learningRates
        self.methods = methods
        self.scalarizationWeights = scalarizationWeights
        self.matched = matched
        self.base = base
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case seeds, out, learningRates, methods, scalarizationWeights, matched, base
    }

    /// Decodes strictly. `seeds`, `out` and `base` are read as a study's are (the same
    /// checks and messages); `base` may not set `method` either, which each variant sets.
    public init(from decoder: any Decoder) throws {
        try rejectUnknownKeys(in: decoder, allowed: CodingKeys.self, context: "the compare configuration")
        let c = try decoder.container(keyedBy: CodingKeys.self)
        do {
            guard let rates = try c.decodeIfPresent([Double].self, forKey: .learningRates) else {
                throw HyperparameterError(field: "learningRates", message: "learningRates is required (e.g. [1e-3, 3e-4])")
            }
            if c.contains(.base) {
                let given = try c.nestedContainer(keyedBy: AnyCodingKey.self, forKey: .base)
                if given.contains(AnyCodingKey(stringValue: "method")) {
                    throw HyperparameterError(field: "base.method", message: "base.method is set per variant: list the methods in methods")
                }
            }
            let planned = try StudyConfiguration(sharedFieldsOf: decoder, besides: [.learningRates, .methods, .scalarizationWeights, .matched] as [CodingKeys])
            self.init(seeds: planned.seeds, out: planned.out, learningRates: rates,
                      methods: try c.decodeIfPresent([String].self, forKey: .methods) ?? Self.defaultMethods,
                      scalarizationWeights: try c.decodeIfPresent([[Double]].self, forKey: .scalarizationWeights) ?? [],
                      matched: try c.decodeIfPresent([ComputeMatched].self, forKey: .matched) ?? [], base: planned.base)
        } catch let error as DecodingError {
            throw HyperparameterError(decoding: error)
        }
    }

    /// The folder name of a learning rate's study, `lr-<rate>` (`%g`).
    public static func folderName(learningRate: Double) -> String { "lr-" + String(format: "%g", learningRate) }

    /// The variant name of a scalarization with `weights`: `scalarization-0.7-0.3`.
    public static func scalarizationName(_ weights: [Double]) -> String {
        "scalarization-" + weights.map { String(format: "%g", $0) }.joined(separator: "-")
    }

    /// The MT variants every learning rate trains: the methods, the weighted scalarizations,
    /// the compute-matched trunks.
    public var variants: [StudyVariant] {
        methods.map { StudyVariant(name: $0, method: $0) }
            + scalarizationWeights.map { StudyVariant(name: Self.scalarizationName($0), weights: $0, method: "scalarization") }
            + matched.map { StudyVariant(name: "matched-\($0.name)", method: "scalarization", widths: $0.widths) }
    }

    /// One study per learning rate, in the order of `learningRates`; each study's `out` is
    /// its folder under `out` (validated: every error names its field).
    public func studies() throws -> [(learningRate: Double, study: StudyConfiguration)] {
        try validate()
        return learningRates.map { rate in
            var base = self.base
            base.optimizer.learningRate = rate
            base.evalTest = true
            let folder = out.map { ($0 as NSString).appendingPathComponent(Self.folderName(learningRate: rate)) }
            return (rate, StudyConfiguration(seeds: seeds, out: folder, base: base, mt: variants))
        }
    }

    /// Checks the fields, naming the one at fault.
    public func validate() throws {
        if learningRates.isEmpty {
            throw HyperparameterError(field: "learningRates", message: "learningRates must list at least one learning rate")
        }
        for (index, rate) in learningRates.enumerated() where !(rate > 0 && rate.isFinite) {
            throw HyperparameterError(field: "learningRates[\(index)]", message: "learningRates[\(index)] must be a positive number (got \(rate))")
        }
        if Set(learningRates.map { String(format: "%g", $0) }).count != learningRates.count {
            throw HyperparameterError(field: "learningRates", message: "learningRates lists a rate twice (compared at 6 significant digits)")
        }
        if methods.isEmpty && scalarizationWeights.isEmpty {
            throw HyperparameterError(field: "methods", message: "methods must list at least one method")
        }
        for (index, method) in methods.enumerated() { try AggregatorChoice.check(method, field: "methods[\(index)]") }
        let study = StudyConfiguration(seeds: seeds, out: out, base: base, mt: variants)
        do {
            try study.validate()
        } catch let error as HyperparameterError {
            // Point a variant's error at the field it came from.
            guard error.field.hasPrefix("mt[") else { throw error }
            let index = Int(error.field.dropFirst(3).prefix { $0.isNumber }) ?? 0
            let rest = error.field.drop { $0 != "]" }.dropFirst()
            let (field, local) = index < methods.count ? ("methods", index)
                : index < methods.count + scalarizationWeights.count ? ("scalarizationWeights", index - methods.count)
                : ("matched", index - methods.count - scalarizationWeights.count)
            let name = field == "matched" ? "matched[\(local)]\(rest)" : "\(field)[\(local)]"
            let detail = error.message.drop { $0 != " " }
            throw HyperparameterError(field: name, message: "\(name)\(detail)")
        }
    }
}
