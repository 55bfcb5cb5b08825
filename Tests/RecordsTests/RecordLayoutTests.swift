import Testing
@testable import Records

@Suite struct RecordLayoutTests {
    @Test func groupsComeFromDatasetPathsAndGroupAttributesParentsFirst() {
        let layout = RecordLayout(
            groupAttributes: ["/tasks": ["mode": .string("st")], "/a/b/c": [:]],
            datasets: [.appendable("/train/loss", .float64, row: [2], description: "", units: ""),
                       .fixed("/checkpoint/parameters/w", .float32, shape: [3], description: "", units: "")])
        #expect(layout.groupPaths == ["/a", "/checkpoint", "/tasks", "/train", "/a/b", "/checkpoint/parameters", "/a/b/c"])
        #expect(layout.appendablePaths == ["/train/loss"])
        #expect(layout.fixedPaths == ["/checkpoint/parameters/w"])
    }

    @Test func defaultChunksHoldAbout16KiB() {
        #expect(DatasetSpec.appendable("/s", .int64, description: "", units: "").resolvedChunkRows == 1024)
        #expect(DatasetSpec.appendable("/g", .float64, row: [3, 3], description: "", units: "").resolvedChunkRows == 227)
        #expect(DatasetSpec.appendable("/big", .float32, row: [3, 100_000], description: "", units: "")
            .resolvedChunkRows == 1)
        #expect(DatasetSpec.appendable("/x", .float32, description: "", units: "", chunkRows: 7).resolvedChunkRows == 7)
    }

    @Test func validationRejectsBadPathsShapesAndOptions() {
        func reason(_ datasets: [DatasetSpec]) -> String? {
            do {
                try RecordLayout(datasets: datasets).validate(file: "f.h5")
                return nil
            } catch let RecordError.invalidLayout(_, reason) {
                return reason
            } catch {
                return "\(error)"
            }
        }
        #expect(reason([.appendable("train/loss", .float64, description: "", units: "")])?.contains("absolute") == true)
        #expect(reason([.appendable("/a//b", .float64, description: "", units: "")])?.contains("absolute") == true)
        #expect(reason([.appendable("/a", .float64, row: [0], description: "", units: "")])?.contains("positive") == true)
        #expect(reason([.appendable("/a", .float64, description: "", units: "", gzipLevel: 12)])?.contains("gzip") == true)
        #expect(reason([.appendable("/a", .float64, description: "", units: "", chunkRows: 0)])?.contains("chunkRows") == true)
        #expect(reason([.fixed("/scalar", .float64, shape: [], description: "", units: "")]) == nil)
    }

    @Test func pathHelpers() {
        #expect(RecordPath.ancestors("/a/b/c") == ["/a", "/a/b"])
        #expect(RecordPath.ancestors("/a").isEmpty)
        #expect(RecordPath.join("/", "x") == "/x" && RecordPath.join("/a", "x") == "/a/x")
        #expect(RecordPath.normalized("/a/b/") == "/a/b" && RecordPath.normalized("/") == "/")
        #expect(RecordPath.isValid("/") && !RecordPath.isValid("/a/../b") && !RecordPath.isValid(""))
    }
}
