import ArgumentParser
import MediaCore

extension MediaCtl.Transponder {
    struct Mute: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace a transponder's outgoing audio with silence (a sound being mixed in still plays).",
            discussion: """
                The seed's mute. Takes effect on the next audio block the transponder encodes (within a second). \
                Only transponders that encode their audio (audio "mix" in `ls`) can; one that copies compressed \
                audio (`rtmp push`) answers "unsupported" and this command exits with status 69.

                \(TransponderControlCommand.exitStatus())

                EXAMPLES
                  mediactl transponder mute k3dfqi2u54el
                  mediactl transponder mute --json k3df | jq .muted
                """
        )

        @OptionGroup var target: TransponderIDArgument
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await TransponderControlCommand.run(.mute, id: target.id, output: output)
        }
    }
}
