// swift-tools-version: 6.1
import PackageDescription

// The fuzz targets of ftw-swift: one executable, `ftw-fuzz TARGET [libFuzzer options] [CORPUS]`,
// built only with the fuzzer and the address sanitizer (Scripts/fuzz.sh does both):
//
//   swift build -c release --package-path Fuzz \
//     -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld
//
// A package of its own, so the main package's build and tests are untouched.
let package = Package(
  name: "ftw-fuzz",
  platforms: [.macOS(.v15)],
  dependencies: [
    .package(name: "ftw-swift", path: "..", traits: ["Distributed"])
  ],
  targets: [
    .executableTarget(
      name: "ftw-fuzz",
      dependencies: [
        .product(name: "FTWAgent", package: "ftw-swift"),
        .product(name: "FTWConformance", package: "ftw-swift"),
        .product(name: "FTWEnvironments", package: "ftw-swift"),
        .product(name: "FTWLayers", package: "ftw-swift"),
        .product(name: "FTWNetworks", package: "ftw-swift"),
        .product(name: "FTWReverb", package: "ftw-swift"),
        .product(name: "FTWReverbClient", package: "ftw-swift"),
        .product(name: "FTWTensor", package: "ftw-swift"),
      ]
    )
  ],
  swiftLanguageModes: [.v6]
)
