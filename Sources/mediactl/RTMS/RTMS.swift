import ArgumentParser

extension MediaCtl {
    struct RTMS: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rtms",
            abstract: "Zoom Realtime Media Streams (RTMS): receive and record streams, replay recordings, emulate a server.",
            subcommands: [Listen.self, Replay.self]
        )
    }
}
