import Bridge
import Foundation
import MediaCore
import MediaTransport
import Remux

/// An RTMS-to-RTMP bridge (an `FLVPublishBridge` feeding an `RTMPPublisher`, one per stream) as a transponder:
/// registered while it runs, its state from the publisher's events, its picture size from the converter, and
/// `mute`, `unmute`, `sound` and `sound-off` acting on the audio on its way into the AAC encoder (the remux
/// configuration's `pcmFilter`). `stop` ends the publish as a clean unpublish.
///
/// Use, per stream:
///
///     var configuration = FLVRemuxConfiguration(...)
///     let transponder = try await BridgeTransponder.register(
///         command: "rtms replay", source: ..., url: options.url, configuration: &configuration, console: console)
///     let bridge = FLVPublishBridge(configuration: configuration, selection: selection)
///     let publisher = RTMPPublisher(source: bridge, options: options) { transponder.observe($0); report.show($0) }
///     let stats = try await transponder.run(publisher, bridge: bridge)
///
/// A second bridge of the same source to the same destination is refused before connecting (`.conflict`, exit
/// status 5). A runtime directory that cannot be used costs only the registration: a warning, and the bridge
/// goes on (its audio still passes through the unused controls).
struct BridgeTransponder: Sendable {
    let transponder: PublisherTransponder
    let registration: TransponderRegistration?

    /// Registers the bridge and routes `configuration`'s PCM through its audio controls: call it before the
    /// bridge is made from `configuration`.
    static func register(
        command: String, source: TransponderSource, url: RTMPURL, configuration: inout FLVRemuxConfiguration,
        console: Console
    ) async throws -> BridgeTransponder {
        let audio = TransponderAudioControl()
        let previous = configuration.pcmFilter
        configuration.pcmFilter = { samples, sampleRate, channels in
            previous?(samples, sampleRate, channels)
            audio.process(samples, sampleRate: sampleRate, channels: channels)
        }
        let transponder = PublisherTransponder(audio: audio)
        let registration = try await registration(
            command: command, source: source, url: url, controller: transponder, console: console)
        return BridgeTransponder(transponder: transponder, registration: registration)
    }

    /// Registers `controller` as an audio-editing transponder: nil (and a warning) when the runtime directory
    /// cannot be used; a duplicate of source and destination throws `.conflict`.
    static func registration(
        command: String, source: TransponderSource, url: RTMPURL, controller: PublisherTransponder, console: Console
    ) async throws -> TransponderRegistration? {
        do {
            let registration = try await TransponderRegistration.register(
                command: command, source: source, destination: TransponderDestination(url), editsAudio: true,
                controller: controller, environment: ProcessInfo.processInfo.environment)
            console.note("transponder \(registration.entry.id) (mediactl transponder ls)")
            return registration
        } catch let error as MediaError where error.kind != .conflict {
            console.warning("not registered as a transponder: \(error.message)")
            return nil
        }
    }

    /// The source of one recorded stream: the recording as named on the command line, the stream's first file.
    static func recordingSource(_ recording: String, stream: RTMSRecordedStream) -> TransponderSource {
        func canonical(_ path: String) -> String { URL(fileURLWithPath: path).resolvingSymlinksInPath().path }
        return .recording(
            canonicalPath: canonical(recording), firstFile: stream.files.first.map(canonical) ?? canonical(recording),
            streamID: stream.streamID)
    }

    func observe(_ event: PublishEvent) {
        transponder.observe(event)
    }

    /// Runs the publish; the registration ends with it.
    func run(_ publisher: RTMPPublisher, bridge: FLVPublishBridge) async throws -> PublishStats {
        transponder.setPictureSize { bridge.pictureSize }
        return try await transponder.run(publisher, registration: registration)
    }
}
