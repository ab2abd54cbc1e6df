import ArgumentParser

/// A load generator for `scripts/bench-rtms-listen.sh`: an RTMS server that serves many streams from one process
/// (`serve`), and a checker of what `rtms listen --record` wrote (`verify`). Not a protocol reference: the
/// end-to-end tests use Tests/Peers/rtms_server.py for that.
@main
struct LoadGen: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rtms-loadgen",
        abstract: "RTMS load generator for benchmarks: serve many streams, verify recordings.",
        subcommands: [Serve.self, Verify.self]
    )
}
