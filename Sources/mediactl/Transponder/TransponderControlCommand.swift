import Foundation
import ArgumentParser
import MediaCore
import MediaTransport

/// What `stop`, `mute`, `unmute`, `sound` and `sound-off` share: find the transponder, send the request, print
/// the state it answers with.
enum TransponderControlCommand {
    static func run(_ request: TransponderRequest, id: String, output: OutputOptions) async throws {
        let console = Console(json: output.json, quiet: output.quiet)
        do {
            let status = try await TransponderEnvironment.registry.control(id, request)
            TransponderReport(console: console).one(status)
        } catch {
            throw fail(error, console: console, prefix: "transponder")
        }
    }

    /// The EXIT STATUS list of the control commands, with a command's own codes merged in order.
    static func exitStatus(adding extra: [(Int, String)] = []) -> String {
        let rows: [(Int, String)] = [
            (0, "done; the new state is printed"),
            (4, "no such transponder (or its process has ended)"),
            (64, "ID is not a transponder id, or the start of several"),
            (69, "the transponder refused: one that copies compressed audio (rtmp push) cannot mute, unmute or mix sound (\"unsupported: ...\")"),
            (74, "the runtime directory belongs to another user or is open to others"),
            (75, "the transponder did not answer in time"),
        ]
        let lines = (rows + extra).sorted { $0.0 < $1.0 }.map { code, text in
            "  " + String(code).padding(toLength: 5, withPad: " ", startingAt: 0) + text
        }
        return (["EXIT STATUS (besides the common ones)"] + lines).joined(separator: "\n")
    }
}

/// The ID argument of the control commands.
struct TransponderIDArgument: ParsableArguments {
    @Argument(help: ArgumentHelp("The transponder's id (mediaSessionId in `ls`), or the start of exactly one.", valueName: "id"))
    var id: String
}
