// swift-tools-version: 6.0
import PackageDescription

// Swift 5 language mode: the engine shares raw buffers between a serial engine queue and the
// UI thread by immutable snapshots; see DECISIONS.md (2026-11-28, "language mode"). Release builds
// keep Swift's checks (bounds, overflow, preconditions): the hot loops are C (DECISIONS.md,
// 2026-11-30, "checked builds").
let swift5: [SwiftSetting] = []

let package = Package(
  name: "AsyncVoice",
  platforms: [.macOS(.v13)],
  products: [.executable(name: "asyncvoice", targets: ["asyncvoice"])],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
  ],
  targets: [
    .systemLibrary(
      name: "COpenBLAS", path: "Sources/COpenBLAS", pkgConfig: "openblas",
      providers: [.apt(["libopenblas-dev"])]),
    .systemLibrary(
      name: "CNcursesw", path: "Sources/CNcursesw", pkgConfig: "ncursesw",
      providers: [.apt(["libncurses-dev"])]),
    .target(
      name: "CKernels", path: "Sources/CKernels",
      cSettings: [.unsafeFlags(["-O3", "-ffast-math", "-fno-finite-math-only"])]),
    .target(name: "Kernels", dependencies: ["CKernels", "COpenBLAS"], swiftSettings: swift5),
    .target(name: "Transformer", dependencies: ["Kernels"], swiftSettings: swift5),
    .target(name: "Reasoning", dependencies: ["Transformer"], swiftSettings: swift5),
    .target(name: "Session", dependencies: ["Reasoning", "Transformer"], swiftSettings: swift5),
    .target(name: "Terminal", dependencies: ["CNcursesw"], swiftSettings: swift5),
    // What the executable shows and drives: the event → view-model fold, the screen loop, the live
    // and replay drivers, exports. Commands are declarations over it.
    .target(name: "App", dependencies: ["Reasoning", "Session", "Terminal"], swiftSettings: swift5),
    .executableTarget(
      name: "asyncvoice",
      dependencies: [
        "App", "Transformer", "Reasoning", "Session", "Terminal", "Kernels",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ], swiftSettings: swift5),
    // The fuzzers' per-case time limit, shared by two test targets.
    .target(name: "FuzzSupport", path: "Tests/FuzzSupport", swiftSettings: swift5),
    .testTarget(
      name: "TransformerTests", dependencies: ["Transformer", "Kernels", "FuzzSupport"],
      exclude: ["Fixtures"], swiftSettings: swift5),
    .testTarget(
      name: "ReasoningTests", dependencies: ["Reasoning", "Transformer", "Session", "Kernels"],
      exclude: ["Goldens"], swiftSettings: swift5),
    .testTarget(
      name: "SessionTests", dependencies: ["Session", "Reasoning", "FuzzSupport"],
      swiftSettings: swift5),
    .testTarget(name: "AppTests", dependencies: ["App", "Reasoning", "Session", "Terminal", "Transformer"], swiftSettings: swift5),
    .testTarget(
      name: "TerminalTests", dependencies: ["Terminal"],
      exclude: ["Snapshots"], swiftSettings: swift5),
    // Runs the built binary; `swift build` first (scripts/test.sh does).
    .testTarget(name: "EndToEndTests", dependencies: ["Reasoning"], exclude: ["Fixtures"], swiftSettings: swift5),
  ],
  swiftLanguageModes: [.v5]
)
