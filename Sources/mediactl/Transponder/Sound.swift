import ArgumentParser
import Foundation
import MediaCore

extension MediaCtl.Transponder {
    struct Sound: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Mix a RIFF WAV file into a transponder's outgoing audio.",
            discussion: """
                The seed's sound_on. The transponder reads FILE (PCM 8, 16, 24 or 32 bit or 32-bit float, any \
                rate and up to 18 channels), converts it to its own rate and channel count and adds it to its \
                audio from the next block on, once or, with --loop, until `sound-off`. A sound already playing is \
                replaced. Muting does not silence it. Audio "mix" transponders only (see `mute`).

                \(TransponderControlCommand.exitStatus(adding: [(65, "FILE is not a usable WAV (the message says what and at which byte)"), (66, "FILE does not exist")]))

                EXAMPLES
                  mediactl transponder sound k3dfqi2u54el notice.wav
                  mediactl transponder sound --loop k3df hold-music.wav
                """
        )

        @OptionGroup var target: TransponderIDArgument

        @Argument(help: ArgumentHelp("A RIFF WAV file.", valueName: "file.wav"))
        var file: String

        @Flag(help: "Start the file over at its end, until sound-off.")
        var loop = false

        @OptionGroup var output: OutputOptions

        func run() async throws {
            // The transponder's working directory is not ours: it gets an absolute path.
            let path = file.hasPrefix("/") ? file : FileManager.default.currentDirectoryPath + "/" + file
            guard FileManager.default.fileExists(atPath: path) else {
                let console = Console(json: output.json, quiet: output.quiet)
                throw fail(MediaError(.inputMissing, "sound file \(file) does not exist"), console: console, prefix: "transponder")
            }
            try await TransponderControlCommand.run(.sound(path: path, loop: loop), id: target.id, output: output)
        }
    }
}
