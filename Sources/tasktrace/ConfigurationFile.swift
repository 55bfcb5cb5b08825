import Foundation
import TOMLKit
import Training

/// Reads a run configuration from a JSON or TOML file (by extension; other names are tried
/// as JSON, then TOML). Unknown fields, wrong types and out-of-range values are errors that
/// name the file and the field.
func readConfigurationFile(_ path: String) throws -> RunConfiguration {
    try readConfigurationFile(path, as: RunConfiguration.self)
}

/// Reads a configuration of type `T` (a run or a study configuration, decoding strictly and
/// throwing `HyperparameterError`s that name the field) from a JSON or TOML file, as above.
func readConfigurationFile<T: Decodable>(_ path: String, as _: T.Type) throws -> T {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw ConfigurationFileError(file: path, message: "cannot read the file (missing or not readable)")
    }
    let text = String(decoding: data, as: UTF8.self)
    let isTOML = path.hasSuffix(".toml") || (!path.hasSuffix(".json") && (try? JSONSerialization.jsonObject(with: data)) == nil)
    let json: Data
    if isTOML {
        do {
            json = Data(try TOMLTable(string: text).convert(to: .json).utf8)
        } catch let error as TOMLParseError {
            throw ConfigurationFileError(file: path, message: "TOML syntax error at line \(error.source.begin.line), column \(error.source.begin.column): \(error.description)")
        }
    } else {
        json = data
    }
    do {
        return try JSONDecoder().decode(T.self, from: json)
    } catch let error as HyperparameterError {
        throw ConfigurationFileError(file: path, message: error.message)
    } catch let error as DecodingError {
        if case .dataCorrupted(let context) = error, context.codingPath.isEmpty {
            throw ConfigurationFileError(file: path, message: "not valid JSON: \(context.underlyingError.map { "\($0.localizedDescription)" } ?? context.debugDescription)")
        }
        throw ConfigurationFileError(file: path, message: HyperparameterError(decoding: error).message)
    }
}

/// A configuration file that cannot be used, with the reason.
struct ConfigurationFileError: Error, CustomStringConvertible {
    var file: String
    var message: String
    var description: String { "\(file): \(message)" }
}
