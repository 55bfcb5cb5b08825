import Foundation

/// A table of analysis results: named columns and rows of cells, rendered as aligned text
/// for the terminal, CSV, JSON (an array of objects) or Markdown (for report.md).
public struct ResultTable: Sendable, Equatable {
    /// One cell: text, or a number (NaN prints as "-" in text, empty in CSV, null in JSON).
    public enum Cell: Sendable, Equatable {
        case text(String)
        case number(Double)
        case integer(Int)
    }

    public var title: String
    public var columns: [String]
    public var rows: [[Cell]]

    public init(title: String, columns: [String], rows: [[Cell]] = []) {
        precondition(Set(columns).count == columns.count, "column names must differ: \(columns)")
        self.title = title
        self.columns = columns
        self.rows = rows
    }

    public mutating func append(_ row: [Cell]) {
        precondition(row.count == columns.count, "a row of \(row.count) cells for \(columns.count) columns")
        rows.append(row)
    }

    /// The cell as text: numbers with 4 significant digits (or more for large values).
    static func text(_ cell: Cell) -> String {
        switch cell {
        case .text(let value): value
        case .integer(let value): String(value)
        case .number(let value) where value.isNaN: "-"
        case .number(let value):
            abs(value) >= 1e5 || (abs(value) < 1e-3 && value != 0) ? String(format: "%.3e", value) : String(format: "%.4g", value)
        }
    }

    /// Columns padded to a common width: text left-aligned, numbers right-aligned.
    public var aligned: String {
        let cells = rows.map { $0.map(Self.text) }
        let widths = columns.indices.map { c in max(columns[c].count, cells.map { $0[c].count }.max() ?? 0) }
        func line(_ values: [String], _ numeric: [Bool]) -> String {
            values.indices.map { c in
                let pad = String(repeating: " ", count: widths[c] - values[c].count)
                return numeric[c] ? pad + values[c] : values[c] + pad
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        let numeric = columns.indices.map { c in rows.allSatisfy { if case .text = $0[c] { false } else { true } } && !rows.isEmpty }
        var lines = [title, line(columns, numeric), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")]
        lines += cells.map { line($0, numeric) }
        return lines.joined(separator: "\n")
    }

    /// RFC 4180 CSV with a header row; numbers at full precision.
    public var csv: String {
        func quoted(_ s: String) -> String {
            s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        let body = rows.map { row in
            row.map { cell -> String in
                switch cell {
                case .text(let value): quoted(value)
                case .integer(let value): String(value)
                case .number(let value): value.isFinite ? "\(value)" : ""
                }
            }.joined(separator: ",")
        }
        return ([columns.map(quoted).joined(separator: ",")] + body).joined(separator: "\n") + "\n"
    }

    /// The rows as JSON objects keyed by column; non-finite numbers are null.
    public var jsonObject: [[String: Any]] {
        rows.map { row in
            Dictionary(uniqueKeysWithValues: zip(columns, row).map { column, cell -> (String, Any) in
                switch cell {
                case .text(let value): (column, value)
                case .integer(let value): (column, value)
                case .number(let value): (column, value.isFinite ? value as Any : NSNull())
                }
            })
        }
    }

    /// A Markdown table with the title as a heading.
    public var markdown: String {
        let cells = rows.map { $0.map(Self.text) }
        var lines = ["### \(title)", "", "| " + columns.joined(separator: " | ") + " |",
                     "|" + columns.map { _ in "---" }.joined(separator: "|") + "|"]
        lines += cells.map { "| " + $0.joined(separator: " | ") + " |" }
        return lines.joined(separator: "\n")
    }
}
