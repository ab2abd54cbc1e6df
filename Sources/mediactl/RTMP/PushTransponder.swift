import Foundation
import MediaCore
import MediaTransport

/// `rtmp push` as a transponder (`mediactl transponder ...`): registered while it runs, its state from the
/// publisher's events, `stop` ends the push as a clean unpublish (exit status 0). It copies compressed audio, so
/// mute and sound are refused.
///
/// A second push of the same source to the same destination is refused before connecting (`.conflict`, exit
/// status 5). A runtime directory that cannot be used costs only the registration: a warning, and the push goes on.
struct PushTransponder: Sendable {
    let transponder: PublisherTransponder
    let registration: TransponderRegistration?

    static func register(source path: String, url: RTMPURL, console: Console) async throws -> PushTransponder {
        let transponder = PublisherTransponder()
        let source: TransponderSource =
            path == "-" ? .standardInput : .file(canonicalPath: URL(fileURLWithPath: path).resolvingSymlinksInPath().path)
        do {
            let registration = try await TransponderRegistration.register(
                command: "rtmp push", source: source, destination: TransponderDestination(url), editsAudio: false,
                controller: transponder, environment: ProcessInfo.processInfo.environment)
            console.note("transponder \(registration.entry.id) (mediactl transponder ls)")
            if path != "-", let size = await pictureSize(path) { transponder.setPictureSize(width: size.0, height: size.1) }
            return PushTransponder(transponder: transponder, registration: registration)
        } catch let error as MediaError where error.kind != .conflict {
            console.warning("not registered as a transponder: \(error.message)")
            return PushTransponder(transponder: transponder, registration: nil)
        }
    }

    func observe(_ event: PublishEvent) {
        transponder.observe(event)
    }

    /// Runs the publish; the registration ends with it.
    func run(_ publisher: RTMPPublisher) async throws -> PublishStats {
        try await transponder.run(publisher, registration: registration)
    }

    /// The picture size from the file's first megabyte (sequence header or onMetaData), for `ls`.
    static func pictureSize(_ path: String) async -> (Int, Int)? {
        guard let head = try? await ByteSource(path: path).read(maximum: 1 << 20) else { return nil }
        var reader = FLVReader()
        var analyzer = StreamAnalyzer()
        reader.append(head)
        while let event = try? reader.next() {
            guard case .tag(let tag) = event else { continue }
            analyzer.observe(tag)
            guard tag.type != .audio else { continue }
            if let video = analyzer.info.video, let width = video.width, let height = video.height {
                return (width, height)
            }
        }
        return nil
    }
}
