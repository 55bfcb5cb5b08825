import Datasets
import Foundation
import Testing

@Test func taskKindRawValuesAreTheRecordSchemaNames() {
    #expect(TaskKind.classification.rawValue == "classification")
    #expect(TaskKind.regression.rawValue == "regression")
    #expect(TaskKind(rawValue: "regression") == .regression)
}

@Test func taskInfoRoundTripsThroughJSON() throws {
    let info = TaskInfo(name: "left", kind: .classification, outputCount: 10)
    let data = try JSONEncoder().encode(info)
    let text = String(decoding: data, as: UTF8.self)
    #expect(text.contains("\"classification\""))
    #expect(try JSONDecoder().decode(TaskInfo.self, from: data) == info)
}
