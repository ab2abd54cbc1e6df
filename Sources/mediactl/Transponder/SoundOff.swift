import ArgumentParser
import MediaCore

extension MediaCtl.Transponder {
    struct SoundOff: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sound-off",
            abstract: "Stop mixing a WAV file into a transponder's audio.",
            discussion: """
                The seed's sound_off. Audio "mix" transponders only (see `mute`).

                \(TransponderControlCommand.exitStatus())

                EXAMPLES
                  mediactl transponder sound-off k3dfqi2u54el
                """
        )

        @OptionGroup var target: TransponderIDArgument
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await TransponderControlCommand.run(.soundOff, id: target.id, output: output)
        }
    }
}
