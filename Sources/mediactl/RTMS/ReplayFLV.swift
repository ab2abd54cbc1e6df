import ArgumentParser
import Bridge
import Foundation
import MediaCore
import MediaTransport
import Remux

/// `rtms replay --flv OUT` and `--push URL`: one stream's recorded audio and video, converted to FLV (remuxed or
/// encoded by `Remux`), written to a file or stdout, or published live through `RTMPPublisher`.
struct ReplayFLV {
    let command: MediaCtl.RTMS.Replay
    let console: Console

    enum Target {
        case file(String)
        /// The publishing options, URL checked.
        case push(PublishOptions)
    }

    let target: Target

    /// Where and why the recording stopped early.
    struct Damage {
        var file: String
        var damage: RTMSRecordingDamage
        var records: Int
    }

    /// Where the time went (hidden --timing): reading the file, decoding JSON and base64, decoding pictures (the
    /// reading side), converting (the converting side, at the same time).
    struct Timing {
        var read = Duration.zero
        var decode = Duration.zero
        var pictures = Duration.zero
        var convert = Duration.zero
        var start = ContinuousClock.now
    }

    func run() async throws {
        let stream = try await chooseStream()
        var configuration = FLVRemuxConfiguration(output: .standardOutput)
        configuration.x264Preset = command.x264Preset
        configuration.videoBitrate = command.videoBitrate.map { $0 * 1000 }
        configuration.audioBitrate = command.audioBitrate * 1000
        configuration.libavLogLevel = command.output.quiet ? .quiet : .error
        let selection = RTMSFLVSelection(video: command.video, audioUserID: command.user)
        switch target {
        case .file(let path):
            configuration.output = path == "-" ? .standardOutput : .file(path)
            configuration.audioEncoderThreads = command.audioThreads
            // Refuse at once (74), not after reading the recording, when OUT cannot be written.
            if path != "-" && !FileManager.default.createFile(atPath: path, contents: nil) {
                throw MediaError(.io, "cannot write '\(path)': \(String(cString: strerror(errno)))")
            }
            try await convert(stream, configuration: configuration, selection: selection, to: path)
        case .push(let options):
            try await push(stream, configuration: configuration, selection: selection, options: options)
        }
    }

    /// FLV holds one stream: RECORDING must hold one, or --stream picks it.
    private func chooseStream() async throws -> RTMSRecordedStream {
        let streams = try await RTMSRecordingLocator.streams(at: command.recording, streamID: command.stream)
        guard streams.count == 1 else {
            throw MediaError(
                .usage,
                "'\(command.recording)' holds \(streams.count) streams (\(streams.map(\.streamID).joined(separator: ", "))) and an FLV holds one: choose it with --stream ID")
        }
        return streams[0]
    }

    // MARK: --flv

    /// How many bytes of decoded messages (payloads and decoded pictures) the reading side may be ahead of the
    /// converting side: some 200 s of 16 kHz audio, or 5 decoded 720p pictures.
    static let handoffBytes = 8 << 20

    /// Two stages on two threads, joined by a bounded hand-off: the reading side reads the recording, decodes JSON
    /// and base64 and decodes the selected JPG/PNG pictures; the converting side scales and encodes them (or
    /// encodes the audio) and writes the FLV. The converter sees the messages in the same order either way.
    private func convert(_ stream: RTMSRecordedStream, configuration: FLVRemuxConfiguration, selection: RTMSFLVSelection, to path: String) async throws {
        let converter = RTMSFLVConverter(configuration: configuration, selection: selection)
        let signals = Signals { _ in }
        let total = stream.files.compactMap { try? FileManager.default.attributesOfItem(atPath: $0)[.size] as? Int64 }.reduce(0, +)
        let handoff = BoundedHandoff<Decoded>(capacity: Self.handoffBytes)
        let reading = Task { () async throws -> (Damage?, Timing) in
            let predecoder = RTMSPicturePredecoder(selection: selection)
            var timing = Timing()
            var pictures = Duration.zero
            do {
                let damage = try await read(stream, timing: &timing, stop: { signals.wasInterrupted }) { message, done in
                    let began = ContinuousClock.now
                    let picture = predecoder.decode(message)
                    pictures += ContinuousClock.now - began
                    let item = Decoded(message: message, picture: picture, done: done)
                    guard await handoff.send(item, cost: item.byteCount) else {
                        throw CancellationError()
                    }
                }
                timing.pictures = pictures
                handoff.finish()
                return (damage, timing)
            } catch {
                handoff.finish(throwing: error)
                throw error
            }
        }
        var lastProgress = ContinuousClock.now
        var convertTime = Duration.zero
        // Errors of the reading side come out of `next()` as they were thrown.
        while let item = try await handoff.next() {
            let began = ContinuousClock.now
            do {
                try converter.add(item.message, decoded: item.picture)
            } catch {
                handoff.cancel()
                _ = await reading.result
                throw Self.conversionError(error)
            }
            convertTime += ContinuousClock.now - began
            if console.stderrIsTerminal, ContinuousClock.now - lastProgress > .milliseconds(200) {
                lastProgress = .now
                let progress = converter.progress
                let percent = total > 0 ? Double(item.done) * 100 / Double(total) : 0
                console.progress(String(format: "%5.1f%%  %d audio, %d video messages", percent, progress.audioMessages, progress.videoMessages))
            }
        }
        let (damage, timingSoFar) = try await reading.value
        var timing = timingSoFar
        let began = ContinuousClock.now
        let result: RTMSFLVResult
        do {
            result = try converter.finish()
        } catch {
            throw Self.conversionError(error)
        }
        timing.convert = convertTime + (ContinuousClock.now - began)
        console.clearProgress()
        if command.timing { report(timing) }
        show(result, stream: stream, output: path, damage: damage)
        if signals.wasInterrupted { throw ExitCode(130) }
        if damage != nil { throw ExitCode(MediaError.Kind.malformedInput.exitCode) }
    }

    /// One message of the reading side, with its picture decoded and the bytes read so far.
    private struct Decoded: Sendable {
        var message: RTMSMessage
        var picture: DecodedPicture?
        var done: Int64

        var byteCount: Int {
            let payload: Int
            switch message {
            case .audio(let media), .video(let media), .share(let media): payload = media.data.readableBytes
            default: payload = 0
            }
            return payload + (picture?.byteCount ?? 0)
        }
    }

    // MARK: --push

    private func push(_ stream: RTMSRecordedStream, configuration: FLVRemuxConfiguration, selection: RTMSFLVSelection, options: PublishOptions) async throws {
        var options = options
        options.realtime = true
        var configuration = configuration
        let transponder = try await BridgeTransponder.register(
            command: "rtms replay", source: BridgeTransponder.recordingSource(command.recording, stream: stream),
            url: options.url, configuration: &configuration, console: console)
        let bridge = FLVPublishBridge(configuration: configuration, selection: selection)
        let report = PushReport(console: console, url: options.url)
        let publisher = RTMPPublisher(source: bridge, options: options) { transponder.observe($0); report.show($0) }
        let signals = Signals { _ in publisher.requestStop() }
        let pacing = ReplayPushPacing(bridge: bridge, publisher: publisher)
        let feeder = Task { () throws -> (RTMSFLVResult, Damage?) in
            var timing = Timing()
            do {
                let damage = try await read(stream, timing: &timing, stop: { publisher.isStopping }) { message, _ in
                    await pacing.wait()
                    try await bridge.add(message)
                }
                return (try bridge.finish(), damage)
            } catch let error as MediaError where error.kind == .interrupted && publisher.isStopping {
                // Stopped (a signal, `transponder stop`) while converting: the FLV ends here.
                guard let result = try? bridge.finish() else { throw error }
                return (result, nil)
            } catch let error as MediaError {
                bridge.fail(error)
                throw error
            } catch {
                let error = Self.conversionError(error)
                bridge.fail(error)
                throw error
            }
        }
        let stats: PublishStats
        do {
            stats = try await transponder.run(publisher, bridge: bridge)
            bridge.stop()
        } catch {
            bridge.stop()
            feeder.cancel()
            // The conversion's own error says more than the publisher's "source failed".
            if case .failure(let conversion) = await feeder.result, !(conversion is CancellationError),
                (conversion as? MediaError)?.kind != .interrupted
            {
                throw conversion
            }
            throw error
        }
        let outcome = await feeder.result
        if case .success(let (result, damage)) = outcome {
            show(result, stream: stream, output: options.url.redacted, damage: damage)
        }
        report.done(stats, interrupted: signals.wasInterrupted)
        if signals.wasInterrupted { throw ExitCode(130) }
        if case .failure(let error) = outcome { throw error }
        if case .success((_, _?)) = outcome { throw ExitCode(MediaError.Kind.malformedInput.exitCode) }
    }

    // MARK: Reading

    /// Every message of the stream's files in order, decoded, to `body` (with the bytes read so far). Stops at
    /// the first damage (returned, and noted on stderr) or when `stop` says so. Messages that are not RTMS JSON
    /// are skipped.
    private func read(
        _ stream: RTMSRecordedStream, timing: inout Timing, stop: () -> Bool,
        _ body: (RTMSMessage, Int64) async throws -> Void
    ) async throws -> Damage? {
        var done: Int64 = 0
        var records = 0
        for file in stream.files {
            var reader = try RTMSRecordingFileReader(path: file)
            while true {
                if stop() { return nil }
                var began = ContinuousClock.now
                guard let record = try await reader.next() else { break }
                var now = ContinuousClock.now
                timing.read += now - began
                records += 1
                done += Int64(record.payload.readableBytes + RTMSRecordingFormat.recordHeaderSize + RTMSRecordingFormat.recordTrailerSize)
                guard record.isMessage else { continue }
                began = now
                let message = try? record.message()
                now = ContinuousClock.now
                timing.decode += now - began
                guard let message else { continue }
                try await body(message, done)
            }
            if let damage = reader.damage {
                console.clearProgress()
                console.error("\(file): \(damage); converted the \(records) records before it, the FLV ends there")
                return Damage(file: file, damage: damage, records: records)
            }
        }
        return nil
    }

    /// libav's errors are about the input media: bad input data (65).
    private static func conversionError(_ error: any Error) -> MediaError {
        if let error = error as? MediaError { return error }
        return MediaError(.malformedInput, "FLV conversion failed: \(error)")
    }

    // MARK: Output

    private func show(_ result: RTMSFLVResult, stream: RTMSRecordedStream, output: String, damage: Damage?) {
        let summary = result.summary
        if console.json {
            var fields: [JSONField] = [
                JSONField("type", "rtms.flv"),
                JSONField("stream", .string(stream.streamID)),
                JSONField("output", .string(output)),
                JSONField("audio_codec", result.audioCodec.map { .string(RTMSFLVCodecs.name($0)) } ?? .null),
                JSONField("video_codec", result.videoCodec.map { .string(RTMSFLVCodecs.name($0)) } ?? .null),
                JSONField("audio_messages", .int(Int64(result.audioMessages))),
                JSONField("video_messages", .int(Int64(result.videoMessages))),
                JSONField("messages_skipped", .int(Int64(result.messagesSkipped))),
                JSONField("duration_ms", .int(summary.durationMs)),
                JSONField("has_audio", .bool(summary.hasAudio)),
                JSONField("has_video", .bool(summary.hasVideo)),
                JSONField("audio_packets", .int(Int64(summary.audioPackets))),
                JSONField("video_packets", .int(Int64(summary.videoPackets))),
                JSONField("width", summary.width.map { .int(Int64($0)) } ?? .null),
                JSONField("height", summary.height.map { .int(Int64($0)) } ?? .null),
                JSONField("frames_dropped_before_keyframe", .int(Int64(summary.framesDroppedBeforeKeyframe))),
                JSONField("pictures_letterboxed", .int(Int64(summary.picturesLetterboxed))),
                JSONField("undecodable_messages", .int(Int64(summary.undecodableMessages))),
                JSONField("messages_ignored", .int(Int64(summary.messagesIgnored))),
                JSONField("silence_inserted_ms", .int(summary.silenceInsertedMs)),
                JSONField("timestamps_corrected", .int(Int64(summary.timestampsCorrected))),
                JSONField("pictures_reordered", .int(Int64(summary.picturesReordered))),
                JSONField("bytes_written", .int(summary.bytesWritten)),
                JSONField("notes", .array(summary.notes.map { .string($0) })),
                JSONField("damaged", .bool(damage != nil)),
            ]
            if let damage {
                fields += [
                    JSONField("damage_file", .string(damage.file)),
                    JSONField("damage_offset", .int(Int64(damage.damage.offset))),
                    JSONField("damage_reason", .string(damage.damage.reason)),
                ]
            }
            console.json(.object(fields))
        } else {
            for note in summary.notes { console.note(note) }
            let media = [
                summary.hasAudio ? "AAC audio (\(result.audioCodec.map(RTMSFLVCodecs.name) ?? "?"))" : nil,
                summary.hasVideo ? "H.264 video (\(result.videoCodec.map(RTMSFLVCodecs.name) ?? "?")\(summary.width.map { ", \($0)x\(summary.height ?? 0)" } ?? ""))" : nil,
            ].compactMap { $0 }.joined(separator: " and ")
            console.note(
                "\(output): \(String(format: "%.1f", Double(summary.durationMs) / 1000)) s of \(media.isEmpty ? "nothing" : media), \(summary.bytesWritten) bytes; \(result.audioMessages) audio and \(result.videoMessages) video messages, \(summary.silenceInsertedMs) ms of silence inserted")
        }
    }

    private func report(_ timing: Timing) {
        let total = ContinuousClock.now - timing.start
        func share(_ part: Duration) -> String {
            let seconds = Double(part.components.seconds) + Double(part.components.attoseconds) / 1e18
            let all = Double(total.components.seconds) + Double(total.components.attoseconds) / 1e18
            return String(format: "%.3f s (%.1f%%)", seconds, all > 0 ? seconds * 100 / all : 0)
        }
        Console.writeAll(
            STDERR_FILENO,
            "timing: total \(share(total)); read \(share(timing.read)); decode JSON+base64 \(share(timing.decode)); decode pictures \(share(timing.pictures)); convert \(share(timing.convert)) (reading and converting overlap)\n")
    }
}
