/// The root and `/tasks` attributes of a tasktrace/1 record, as read back.
public struct TrajectoryHeader: Sendable, Hashable {
    /// Root attribute `schema` ("tasktrace/1").
    public var schema: String
    /// Root attribute `tool_version`.
    public var toolVersion: String
    /// Root attribute `created` (ISO 8601).
    public var created: String
    /// Root attribute `config` (JSON text).
    public var config: String
    /// Root attribute `seed`.
    public var seed: Int64
    /// Root attribute `status`: running | complete | diverged | interrupted.
    public var status: String
    /// `/tasks` attributes `names`, `kinds` and, when present, `loss_units`, `metrics`, `metric_units`.
    public var tasks: [TrajectoryTask]
    /// `/tasks` attribute `mode`.
    public var mode: TrajectorySchema.Mode

    /// Reads the header; throws `RecordError.wrongSchema` when `schema` is not tasktrace/1.
    public init(reading reader: RecordReader) throws {
        let file = reader.file
        let schema: String
        do {
            schema = try reader.stringAttribute("schema")
        } catch RecordError.missingAttribute {
            throw RecordError.wrongSchema(file: file, expected: TrajectorySchema.name, found: nil)
        }
        guard schema == TrajectorySchema.name else {
            throw RecordError.wrongSchema(file: file, expected: TrajectorySchema.name, found: schema)
        }
        self.schema = schema
        toolVersion = try reader.stringAttribute("tool_version")
        created = try reader.stringAttribute("created")
        config = try reader.stringAttribute("config")
        seed = try reader.intAttribute("seed")
        status = try reader.stringAttribute("status")

        let names = try reader.stringArrayAttribute("names", of: "/tasks")
        let kindNames = try reader.stringArrayAttribute("kinds", of: "/tasks")
        let present = Set(try reader.attributeNames(of: "/tasks"))
        func optional(_ name: String) throws -> [String]? {
            guard present.contains(name) else { return nil }
            let values = try reader.stringArrayAttribute(name, of: "/tasks")
            guard values.count == names.count else {
                throw RecordError.wrongAttributeType(file: file, path: "/tasks", name: name,
                                                     expected: "\(names.count) strings", found: "\(values.count) strings")
            }
            return values
        }
        guard kindNames.count == names.count else {
            throw RecordError.wrongAttributeType(file: file, path: "/tasks", name: "kinds",
                                                 expected: "\(names.count) strings", found: "\(kindNames.count) strings")
        }
        let lossUnits = try optional("loss_units"), metrics = try optional("metrics")
        let metricUnits = try optional("metric_units")
        tasks = try names.indices.map { i in
            guard let kind = TrajectoryTask.Kind(rawValue: kindNames[i]) else {
                throw RecordError.wrongAttributeType(file: file, path: "/tasks", name: "kinds",
                                                     expected: "classification or regression",
                                                     found: "\"\(kindNames[i])\"")
            }
            return TrajectoryTask(name: names[i], kind: kind, lossUnits: lossUnits?[i], metric: metrics?[i],
                                  metricUnits: metricUnits?[i])
        }
        let modeName = try reader.stringAttribute("mode", of: "/tasks")
        guard let mode = TrajectorySchema.Mode(rawValue: modeName) else {
            throw RecordError.wrongAttributeType(file: file, path: "/tasks", name: "mode", expected: "st or mt",
                                                 found: "\"\(modeName)\"")
        }
        self.mode = mode
    }
}
