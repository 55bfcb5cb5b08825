import Foundation
import Testing
import Analysis

@Suite struct ResultTableTests {
    let table = ResultTable(title: "Gaps", columns: ["task", "gap", "n"],
                            rows: [[.text("left"), .number(0.1), .integer(3)], [.text("right, b"), .number(.nan), .integer(12)]])

    @Test func alignedTextPadsColumnsAndRightAlignsNumbers() {
        let lines = table.aligned.split(separator: "\n").map(String.init)
        #expect(lines == ["Gaps", "task      gap   n", "--------  ---  --", "left      0.1   3", "right, b    -  12"])
    }

    @Test func csvQuotesAndLeavesNaNEmpty() {
        #expect(table.csv == "task,gap,n\nleft,0.1,3\n\"right, b\",,12\n")
    }

    @Test func jsonHasNullForNaN() throws {
        let data = try JSONSerialization.data(withJSONObject: table.jsonObject, options: [.sortedKeys])
        #expect(String(decoding: data, as: UTF8.self) == #"[{"gap":0.1,"n":3,"task":"left"},{"gap":null,"n":12,"task":"right, b"}]"#)
    }

    @Test func markdownHasAHeadingAndOneLinePerRow() {
        #expect(table.markdown.split(separator: "\n", omittingEmptySubsequences: false).count == 6 && table.markdown.hasPrefix("### Gaps"))
    }
}
