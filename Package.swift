// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "TaskTrace",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "tasktrace", targets: ["tasktrace"]),
        .library(name: "TaskTraceKit", targets: ["Linalg", "Nets", "Datasets", "Training", "Records"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        // System libraries: OpenBLAS (BLAS + the LAPACK symbols it exports), HDF5 (serial), zlib.
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CHDF5", pkgConfig: "hdf5", providers: [.apt(["libhdf5-dev"])]),
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),

        .target(name: "CAllocator"),
        .target(name: "Linalg", dependencies: [
            "CAllocator",
            "CBLAS", .product(name: "RealModule", package: "swift-numerics"),
        ]),
        .target(name: "Nets", dependencies: ["Linalg"]),
        .target(name: "Datasets", dependencies: ["Linalg", "CZlib"]),
        .target(name: "Training", dependencies: ["Linalg", "Nets", "Datasets", "Records"]),
        .target(name: "Records", dependencies: ["CHDF5"]),
        .target(name: "Analysis", dependencies: ["Records", "Linalg"], path: "Analysis"),
        .executableTarget(name: "tasktrace", dependencies: [
            "Training", "Nets", "Datasets", "Linalg", "Analysis",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "TOMLKit", package: "TOMLKit"),
        ]),
        .executableTarget(name: "Benchmarks", dependencies: ["Training", "Nets", "Datasets", "Linalg", "Records"],
                          path: "Benchmarks", exclude: ["reference", "README.md"]),

        .testTarget(name: "LinalgTests", dependencies: ["Linalg"]),
        .testTarget(name: "NetsTests", dependencies: ["Nets", "Linalg"]),
        .testTarget(name: "DatasetsTests", dependencies: ["Datasets", "Linalg", "CZlib"]),
        .testTarget(name: "TrainingTests", dependencies: ["Training", "Nets", "Datasets", "Linalg", "Records"]),
        .testTarget(name: "RecordsTests", dependencies: ["Records"]),
        .testTarget(name: "AnalysisTests", dependencies: ["Analysis"]),
        .testTarget(name: "tasktraceTests", dependencies: ["tasktrace", "Training", "Records", "Nets", "Linalg"]),
    ]
)
