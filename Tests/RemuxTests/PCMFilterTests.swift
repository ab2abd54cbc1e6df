import Foundation
import NIOCore
import Remux
import NIOConcurrencyHelpers
import Testing

/// `FLVRemuxConfiguration.pcmFilter`: every block of PCM on its way into the AAC encoder, in order, silence and
/// decoded audio included; what it does to the samples is what comes out.
@Suite struct PCMFilterTests {
    static let start = AudioRemuxTests.start

    /// Counts the samples it sees, checks the format it is told, and applies `change`.
    final class Recorder: Sendable {
        let seen = NIOLockedValueBox<(samples: Int, formats: Set<[Int]>)>((0, []))
        let change: @Sendable (UnsafeMutableBufferPointer<Int16>) -> Void

        init(_ change: @escaping @Sendable (UnsafeMutableBufferPointer<Int16>) -> Void = { _ in }) {
            self.change = change
        }

        var filter: @Sendable (UnsafeMutableBufferPointer<Int16>, Int, Int) -> Void {
            { samples, rate, channels in
                self.seen.withLockedValue {
                    $0.samples += samples.count
                    $0.formats.insert([rate, channels])
                }
                self.change(samples)
            }
        }
    }

    @Test func zeroingFilterSilencesTheOutput() throws {
        let directory = try TestMedia.directory()
        let pcm = try TestMedia.sinePCM(rate: 16000, channels: 1, seconds: 3, in: directory)
        let output = directory.appendingPathComponent("out.flv")
        let recorder = Recorder { $0.update(repeating: 0) }
        var configuration = FLVRemuxConfiguration(outputPath: output.path)
        configuration.pcmFilter = recorder.filter
        let remuxer = try FLVRemuxer(configuration: configuration, audio: .l16(sampleRate: 16000, channels: 1), video: nil)
        _ = try AudioRemuxTests.feed(remuxer, pcm, bytesPerMessage: 640, millisecondsPerMessage: 20)
        _ = try remuxer.finish()
        let samples = try TestMedia.decodeAudio(output, rate: 16000)
        #expect(Double(samples.count) / 16000 > 2.9)
        #expect(TestMedia.rms(samples, rate: 16000, seconds: 0...2.9) < 1)
        #expect(recorder.seen.withLockedValue { $0.samples } == pcm.count / 2)
        #expect(recorder.seen.withLockedValue { $0.formats } == [[16000, 1]])
    }

    /// A filter that lets the samples through changes nothing: the tone comes back, and the filter saw every
    /// sample, the 2 s of inserted silence included.
    @Test func passThroughKeepsTheToneAndSeesSilence() throws {
        let directory = try TestMedia.directory()
        let pcm = try TestMedia.sinePCM(rate: 16000, channels: 2, seconds: 2, in: directory)
        let output = directory.appendingPathComponent("out.flv")
        let recorder = Recorder()
        var configuration = FLVRemuxConfiguration(outputPath: output.path)
        configuration.pcmFilter = recorder.filter
        let remuxer = try FLVRemuxer(configuration: configuration, audio: .l16(sampleRate: 16000, channels: 2), video: nil)
        let half = pcm.count / 2
        let resume = try AudioRemuxTests.feed(remuxer, pcm.prefix(half), bytesPerMessage: 1280, millisecondsPerMessage: 20)
        _ = try AudioRemuxTests.feed(remuxer, pcm.suffix(from: half), bytesPerMessage: 1280, millisecondsPerMessage: 20, from: resume + 2000)
        let summary = try remuxer.finish()
        #expect(summary.silenceInsertedMs == 2000)
        #expect(recorder.seen.withLockedValue { $0.samples } == pcm.count / 2 + 2 * 16000 * 2)
        #expect(recorder.seen.withLockedValue { $0.formats } == [[16000, 2]])
        let samples = try TestMedia.decodeAudio(output, rate: 16000)
        #expect(abs(TestMedia.frequency(samples, rate: 16000, seconds: 0.2...0.8) - 1000) < 10)
        #expect(TestMedia.rms(samples, rate: 16000, seconds: 1.2...2.8) < 50)
    }

    /// Decoded G.711 goes through the filter too: halving the samples halves the level.
    @Test func decodedG711IsFiltered() throws {
        let directory = try TestMedia.directory()
        let encoded = try TestMedia.sineEncoded(format: "mulaw", codec: "pcm_mulaw", rate: 8000, seconds: 3, in: directory)
        func level(_ filter: (@Sendable (UnsafeMutableBufferPointer<Int16>, Int, Int) -> Void)?) throws -> Double {
            let output = directory.appendingPathComponent("out-\(filter == nil ? "plain" : "half").flv")
            var configuration = FLVRemuxConfiguration(outputPath: output.path)
            configuration.pcmFilter = filter
            let remuxer = try FLVRemuxer(configuration: configuration, audio: .g711mu, video: nil)
            _ = try AudioRemuxTests.feed(remuxer, encoded, bytesPerMessage: 160, millisecondsPerMessage: 20)
            _ = try remuxer.finish()
            return TestMedia.rms(try TestMedia.decodeAudio(output, rate: 8000), rate: 8000, seconds: 0.5...2.5)
        }
        let recorder = Recorder { samples in
            for index in samples.indices { samples[index] /= 2 }
        }
        let plain = try level(nil)
        let halved = try level(recorder.filter)
        #expect(plain > 1000)
        #expect(abs(halved / plain - 0.5) < 0.05, "plain \(plain), halved \(halved)")
        #expect(recorder.seen.withLockedValue { $0.samples } == 3 * 8000)
        #expect(recorder.seen.withLockedValue { $0.formats } == [[8000, 1]])
    }
}
