import ArgumentParser
import MediaCore

extension MediaCtl.Transponder {
    struct Unmute: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Bring back a muted transponder's audio.",
            discussion: """
                The seed's unmute. Audio "mix" transponders only (see `mute`).

                \(TransponderControlCommand.exitStatus())

                EXAMPLES
                  mediactl transponder unmute k3dfqi2u54el
                """
        )

        @OptionGroup var target: TransponderIDArgument
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await TransponderControlCommand.run(.unmute, id: target.id, output: output)
        }
    }
}
