// swift-tools-version: 6.1
import PackageDescription

let distributed = TargetDependencyCondition.when(traits: ["Distributed"])
let web = TargetDependencyCondition.when(traits: ["Web"])

let package = Package(
  name: "ftw-swift",
  platforms: [.macOS(.v15)],
  products: [
    .library(name: "FTWTensor", targets: ["FTWTensor"]),
    .library(name: "FTWLayers", targets: ["FTWLayers"]),
    .library(name: "FTWNetworks", targets: ["FTWNetworks"]),
    .library(name: "FTWAgent", targets: ["FTWAgent"]),
    .library(name: "FTWConformance", targets: ["FTWConformance"]),
    .library(name: "FTWEnvironments", targets: ["FTWEnvironments"]),
    .library(name: "FTWReverb", targets: ["FTWReverb"]),
    .library(name: "FTWReverbClient", targets: ["FTWReverbClient"]),
    .executable(name: "ftw", targets: ["ftw"]),
  ],
  traits: [
    .trait(
      name: "Distributed",
      description:
        "The Reverb client (gRPC and protobuf) and the distributed commands, ftw actor and ftw learner."
    ),
    .trait(
      name: "Web",
      description:
        "ftw serve: people play with and against the agents in a browser and watch runs train (Hummingbird)."
    ),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    // Built only with the Distributed trait.
    .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
    .package(url: "https://github.com/grpc/grpc-swift-2", from: "2.4.3"),
    .package(url: "https://github.com/grpc/grpc-swift-nio-transport", from: "2.9.2"),
    .package(url: "https://github.com/grpc/grpc-swift-protobuf", from: "2.4.1"),
    // Built only with the Web trait.
    .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
  ],
  targets: [
    .target(
      name: "CFTWKernels",
      cSettings: [.unsafeFlags(["-O3"])]
    ),
    .target(name: "FTWTensor", dependencies: ["CFTWKernels"]),
    .target(name: "FTWLayers", dependencies: ["FTWTensor", "CFTWKernels"]),
    .target(name: "FTWNetworks", dependencies: ["FTWLayers"]),
    .target(name: "FTWEnvironments"),
    .target(
      name: "FTWAgent", dependencies: ["FTWNetworks", "FTWEnvironments"],
      resources: [.copy("Ladder/BotLadder.json")]),
    .target(name: "FTWConformance", dependencies: ["FTWAgent"]),
    .target(name: "FTWReverb"),
    // Its gRPC sources compile only with the Distributed trait (`swift build --traits Distributed`).
    .target(
      name: "FTWReverbClient",
      dependencies: [
        "FTWReverb", "FTWAgent",
        .product(name: "SwiftProtobuf", package: "swift-protobuf", condition: distributed),
        .product(name: "GRPCCore", package: "grpc-swift-2", condition: distributed),
        .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport", condition: distributed),
        .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf", condition: distributed),
      ]
    ),
    // Its sources compile only with the Web trait (`swift build --traits Web`).
    .target(
      name: "FTWWeb",
      dependencies: [
        "FTWAgent", "FTWEnvironments",
        .product(name: "Hummingbird", package: "hummingbird", condition: web),
        .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket", condition: web),
      ],
      resources: [.copy("Page/index.html")]
    ),
    .executableTarget(
      name: "ftw",
      dependencies: [
        "FTWTensor", "FTWLayers", "FTWNetworks", "FTWAgent", "FTWConformance", "FTWEnvironments",
        .target(name: "FTWReverb", condition: distributed),
        .target(name: "FTWReverbClient", condition: distributed),
        .target(name: "FTWWeb", condition: web),
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .target(name: "FTWTestSupport", dependencies: ["FTWTensor"], path: "Tests/FTWTestSupport"),
    .target(name: "FTWAgentTestSupport", dependencies: ["FTWAgent"], path: "Tests/FTWAgentTestSupport"),
    .testTarget(name: "FTWTensorTests", dependencies: ["FTWTensor", "CFTWKernels", "FTWTestSupport"]),
    .testTarget(name: "FTWLayersTests", dependencies: ["FTWLayers", "FTWTestSupport"]),
    .testTarget(name: "FTWNetworksTests", dependencies: ["FTWNetworks", "FTWTestSupport"]),
    .testTarget(name: "FTWEnvironmentsTests", dependencies: ["FTWEnvironments", "FTWTestSupport"]),
    .testTarget(
      name: "FTWAgentTests",
      dependencies: ["FTWAgent", "FTWEnvironments", "FTWTestSupport", "FTWAgentTestSupport"],
      resources: [.copy("Fixtures")]),
    .testTarget(name: "FTWReverbTests", dependencies: ["FTWReverb"], resources: [.copy("Fixtures")]),
    .testTarget(
      name: "FTWReverbClientTests",
      dependencies: ["FTWReverbClient", "FTWReverb", "FTWAgent", "FTWAgentTestSupport"]),
    .testTarget(
      name: "FTWConformanceTests",
      dependencies: ["FTWConformance", "FTWTestSupport"],
      resources: [.copy("Fixtures")]
    ),
  ],
  swiftLanguageModes: [.v6]
)
