// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "mediactl",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "mediactl", targets: ["mediactl"]),
        .library(name: "MediaCore", targets: ["MediaCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
    ],
    targets: [
        // The protocol core: codecs, parsers and state machines. No sockets, files or clocks.
        .target(
            name: "MediaCore",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Real I/O that drives the core: TCP/TLS for RTMP, websockets and the webhook server for RTMS.
        .target(
            name: "MediaTransport",
            dependencies: [
                "MediaCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // The libav headers (Debian puts them on the default include path). Not linked: see CLibavLoader.
        // scripts/install-deps.sh installs the -dev packages that provide them.
        .systemLibrary(name: "CFFmpeg"),
        // Defines the libav functions Remux calls and forwards them to libav opened with dlopen on first use, so
        // only commands that remux map libav and the ~130 libraries it pulls in.
        .target(name: "CLibavLoader"),
        // RTMS media into FLV: the only code that calls libav.
        .target(
            name: "Remux",
            dependencies: ["CFFmpeg", "CLibavLoader", .product(name: "NIOCore", package: "swift-nio")]
        ),
        // RTMS media messages -> FLV bytes a publisher pulls, with backpressure (rtms replay/listen --push).
        .target(
            name: "Bridge",
            dependencies: [
                "MediaCore", "MediaTransport", "Remux",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "mediactl",
            dependencies: [
                "MediaCore",
                "MediaTransport",
                "Remux",
                "Bridge",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            // A position-dependent executable: no relative relocations to apply to its data pages at start-up,
            // 3 MiB less resident memory for `rtmp push`, at the cost of address randomisation of the executable
            // itself (shared libraries, stack and heap are still randomised). See README, Benchmarks.
            linkerSettings: [.unsafeFlags(["-Xlinker", "-no-pie"], .when(platforms: [.linux]))]
        ),
        // Load generator for scripts/bench-rtms-listen.sh: many RTMS streams from one process, and a recording check.
        .executableTarget(
            name: "rtms-loadgen",
            dependencies: [
                "MediaCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
            ]
        ),
        // Load client for scripts/bench-rtms-serve.sh: many concurrent RTMS client sessions against `rtms replay --serve`.
        .executableTarget(
            name: "rtms-serve-load",
            dependencies: [
                "MediaCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "MediaCoreTests", dependencies: ["MediaCore"]),
        .testTarget(
            name: "MediaTransportTests",
            dependencies: [
                "MediaCore", "MediaTransport", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["MediaCore", .product(name: "NIOCore", package: "swift-nio")]
        ),
        .testTarget(
            name: "RemuxTests",
            dependencies: [
                "Remux", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "BridgeTests",
            dependencies: ["Bridge", "MediaCore", "MediaTransport", "Remux", .product(name: "NIOCore", package: "swift-nio")]
        ),
    ]
)
