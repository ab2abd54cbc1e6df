import Foundation

/// The built `mediactl` the end-to-end tests run: `$MEDIACTL_BIN` when set, else `<repo>/.build/debug/mediactl`
/// (the repository root found from this file's own path). `swift build --build-tests` (as `make test` runs it)
/// builds both the tests and the executable.
enum MediaCtl {
    /// Tests/EndToEndTests/Support/MediaCtl.swift -> the repository root.
    static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// The binary's path; throws with what to do when it is missing.
    static func path() throws -> String {
        if let fromEnvironment = ProcessInfo.processInfo.environment["MEDIACTL_BIN"], !fromEnvironment.isEmpty {
            guard FileManager.default.isExecutableFile(atPath: fromEnvironment) else {
                throw HarnessError("MEDIACTL_BIN=\(fromEnvironment) is not an executable file")
            }
            return fromEnvironment
        }
        let built = "\(repositoryRoot)/.build/debug/mediactl"
        guard FileManager.default.isExecutableFile(atPath: built) else {
            throw HarnessError(
                "mediactl is not built at \(built): run `swift build` (or `make test`) first, "
                    + "or point MEDIACTL_BIN at a binary")
        }
        return built
    }

    /// Runs `mediactl ARGS` to completion (see `run(_:_:stdin:environment:currentDirectory:timeout:)`).
    static func run(
        _ args: [String], stdin: Data? = nil, environment: [String: String]? = nil, timeout: TimeInterval
    ) throws -> RunResult {
        try EndToEndTests.run(try path(), args, stdin: stdin, environment: environment, timeout: timeout)
    }

    /// Starts `mediactl ARGS` in the background (read its NDJSON with `readLine(timeout:)`).
    static func start(
        _ args: [String], stdin: BackgroundProcess.StandardInput = .null, environment: [String: String]? = nil
    ) throws -> BackgroundProcess {
        try BackgroundProcess(try path(), args, stdin: stdin, environment: environment)
    }
}
