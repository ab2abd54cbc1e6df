import ArgumentParser

extension MediaCtl {
    struct RTMS: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rtms",
            abstract: "Receive Zoom Realtime Media Streams (RTMS): audio, video, screen share, transcripts, chat.",
            subcommands: [Listen.self]
        )
    }
}
