import ArgumentParser

extension MediaCtl {
    struct RTMP: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rtmp",
            abstract: "Publish to and probe RTMP/RTMPS servers.",
            subcommands: [Push.self, Probe.self]
        )
    }
}
