import Foundation
import Testing
@testable import Training

@Suite struct JSONValueTests {
    func json(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    @Test func decodesEveryKindAndKeepsLargeIntegersExact() throws {
        #expect(try json(#"{"a": [1, -2, 2.5, "x", true, null], "b": {"c": 18446744073709551615}}"#) == .object([
            "a": .array([.integer(1), .integer(-2), .number(2.5), .string("x"), .bool(true), .null]),
            "b": .object(["c": .unsigned(UInt64.max)]),
        ]))
        let value = try json(#"{"a": [1, 2.5], "b": {"c": 9007199254740993}}"#)
        #expect(try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(value)) == value)
    }

    @Test func firstDifferenceNamesTheFieldGivenHereThatDiffers() throws {
        let recorded = try json(#"{"steps": 30, "seed": 1, "weights": [0.5, 0.5], "optimizer": {"kind": "adam", "beta1": 0.9}}"#)
        #expect(try json(#"{"steps": 30, "optimizer": {"kind": "adam"}}"#).firstDifference(from: recorded) == nil)
        #expect(try json(#"{"steps": 30.0}"#).firstDifference(from: recorded) == nil)
        #expect(try json(#"{"steps": 31}"#).firstDifference(from: recorded) == "steps")
        #expect(try json(#"{"task": "t0"}"#).firstDifference(from: recorded) == "task")
        #expect(try json(#"{"optimizer": {"kind": "sgd"}}"#).firstDifference(from: recorded) == "optimizer.kind")
        #expect(try json(#"{"weights": [0.5, 0.7]}"#).firstDifference(from: recorded) == "weights[1]")
        #expect(try json(#"{"weights": [0.5]}"#).firstDifference(from: recorded) == "weights")
        #expect(try json(#"{"seed": 1}"#).removing("seed") == .object([:]))
    }
}
