import MediaCore
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Mute and sound for a transponder that encodes its audio: an `AudioMixer` under a lock, shared by the control
/// server (which changes it) and the encoder (which runs every PCM block through it).
///
/// Hooking it into a bridge: `configuration.pcmFilter = { audio.process($0, sampleRate: $1, channels: $2) }`,
/// and let the bridge's `TransponderControllable` forward mute/unmute/sound/soundOff here.
public final class TransponderAudioControl: Sendable {
    /// A sound file larger than this is refused before it is read (an hour of 48 kHz stereo S16 is 660 MiB; a
    /// jingle or a notice is far smaller).
    public static let maxFileBytes = 256 << 20

    private let mixer = NIOLockedValueBox(AudioMixer())

    public init() {}

    /// Mutes and mixes one block of interleaved S16 PCM in place (the encoder's `pcmFilter`).
    public func process(_ samples: UnsafeMutableBufferPointer<Int16>, sampleRate: Int, channels: Int) {
        mixer.withLockedValue { $0.process(samples, sampleRate: sampleRate, channels: channels) }
    }

    public func mute() { mixer.withLockedValue { $0.muted = true } }
    public func unmute() { mixer.withLockedValue { $0.muted = false } }
    public func soundOff() { mixer.withLockedValue { $0.stopSound() } }

    /// Reads and checks the WAV at `path` (on NIO's thread pool), then starts mixing it in from its beginning.
    /// A missing file is `.inputMissing`, an unreadable one `.io`, a malformed one `.malformedInput` with the
    /// byte offset.
    public func sound(path: String, loop: Bool) async throws {
        let bytes = try await NIOThreadPool.singleton.runIfActive { try Self.readFile(path) }
        let audio: WAVAudio
        do {
            audio = try WAVAudio(parsing: bytes)
        } catch let error as MediaError {
            throw MediaError(error.kind, "\(path): \(error.message)")
        }
        mixer.withLockedValue { $0.startSound(audio, name: path, loop: loop) }
    }

    /// Copies mute and sound into a snapshot.
    public func describe(into snapshot: inout TransponderSnapshot) {
        mixer.withLockedValue { mixer in
            snapshot.muted = mixer.muted
            snapshot.soundFile = mixer.sound?.name
            snapshot.soundLoop = mixer.sound?.loop ?? false
        }
    }

    static func readFile(_ path: String) throws -> ByteBuffer {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            throw MediaError(code == ENOENT ? .inputMissing : .io, "cannot open sound file \(path): \(String(cString: strerror(code)))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            throw MediaError(.io, "sound file \(path) is not a regular file")
        }
        guard info.st_size <= maxFileBytes else {
            throw MediaError(.malformedInput, "sound file \(path) is \(info.st_size) bytes, more than the \(maxFileBytes >> 20) MiB limit")
        }
        var buffer = ByteBufferAllocator().buffer(capacity: Int(info.st_size))
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                let code = errno
                throw MediaError(.io, "cannot read sound file \(path): \(String(cString: strerror(code)))")
            }
            if n == 0 { break }
            guard buffer.readableBytes + n <= maxFileBytes else {
                throw MediaError(.malformedInput, "sound file \(path) grew past the \(maxFileBytes >> 20) MiB limit while being read")
            }
            buffer.writeBytes(chunk[0..<n])
        }
        return buffer
    }
}
