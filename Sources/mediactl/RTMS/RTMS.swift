import ArgumentParser

extension MediaCtl {
    struct RTMS: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rtms",
            abstract: "Zoom Realtime Media Streams: replay recordings, emulate an RTMS server.",
            subcommands: [Replay.self]
        )
    }
}
