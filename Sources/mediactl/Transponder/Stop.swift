import ArgumentParser
import MediaCore

extension MediaCtl.Transponder {
    struct Stop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Stop a transponder: it unpublishes cleanly and its process ends.",
            discussion: """
                The seed's terminate. The transponder stops reading its source, unpublishes (FCUnpublish, \
                deleteStream) and closes; this command answers after that with its final state (stopped, with \
                its totals). `rtmp push` then exits with status 0.

                \(TransponderControlCommand.exitStatus())

                EXAMPLES
                  mediactl transponder stop k3dfqi2u54el
                  mediactl transponder stop k3df
                  mediactl transponder ls --json | jq -r '.[].mediaSessionId' | xargs -n1 mediactl transponder stop
                """
        )

        @OptionGroup var target: TransponderIDArgument
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await TransponderControlCommand.run(.stop, id: target.id, output: output)
        }
    }
}
