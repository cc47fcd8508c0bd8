// swift-tools-version: 6.0
import PackageDescription

let package = Package(
  name: "ftw-swift",
  platforms: [.macOS(.v14)],
  products: [
    .library(name: "FTWTensor", targets: ["FTWTensor"]),
    .library(name: "FTWLayers", targets: ["FTWLayers"]),
    .library(name: "FTWNetworks", targets: ["FTWNetworks"]),
    .library(name: "FTWAgent", targets: ["FTWAgent"]),
    .library(name: "FTWEnvironments", targets: ["FTWEnvironments"]),
    .library(name: "FTWReverb", targets: ["FTWReverb"]),
    .executable(name: "ftw", targets: ["ftw"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
  ],
  targets: [
    .target(
      name: "CFTWKernels",
      cSettings: [.unsafeFlags(["-O3"])]
    ),
    .target(name: "FTWTensor", dependencies: ["CFTWKernels"]),
    .target(name: "FTWLayers", dependencies: ["FTWTensor"]),
    .target(name: "FTWNetworks", dependencies: ["FTWLayers"]),
    .target(name: "FTWEnvironments"),
    .target(name: "FTWAgent", dependencies: ["FTWNetworks", "FTWEnvironments"]),
    .target(name: "FTWConformance", dependencies: ["FTWAgent"]),
    .target(name: "FTWReverb"),
    .executableTarget(
      name: "ftw",
      dependencies: [
        "FTWTensor", "FTWLayers", "FTWNetworks", "FTWAgent", "FTWConformance", "FTWEnvironments",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .target(name: "FTWTestSupport", dependencies: ["FTWTensor"], path: "Tests/FTWTestSupport"),
    .testTarget(name: "FTWTensorTests", dependencies: ["FTWTensor", "FTWTestSupport"]),
    .testTarget(name: "FTWLayersTests", dependencies: ["FTWLayers", "FTWTestSupport"]),
    .testTarget(name: "FTWNetworksTests", dependencies: ["FTWNetworks", "FTWTestSupport"]),
    .testTarget(name: "FTWEnvironmentsTests", dependencies: ["FTWEnvironments", "FTWTestSupport"]),
    .testTarget(name: "FTWAgentTests", dependencies: ["FTWAgent", "FTWEnvironments", "FTWTestSupport"]),
    .testTarget(name: "FTWReverbTests", dependencies: ["FTWReverb"], resources: [.copy("Fixtures")]),
    .testTarget(
      name: "FTWConformanceTests",
      dependencies: ["FTWConformance", "FTWTestSupport"],
      resources: [.copy("Fixtures")]
    ),
  ],
  swiftLanguageModes: [.v6]
)
