/// What a transponder that encodes its audio does to the PCM on its way to the encoder: `mute` (the seed's
/// mute: the source's audio becomes silence) and `sound` (the seed's sound_on: a WAV mixed in, once or looped).
///
/// `process` takes one block of interleaved signed 16-bit samples at whatever rate and channel count the
/// encoder runs, in place: with `mute` the block is zeroed first; then the WAV, converted to that rate
/// (linear interpolation) and channel count, is added with saturation (a sum past Int16's range clips rather
/// than wraps). Muting does not silence the inserted sound: an operator can mute a meeting and play a notice.
///
/// Channels: equal counts map one to one; a mono WAV goes to every channel; into mono output every WAV channel
/// is averaged; otherwise output channel c takes WAV channel c modulo the WAV's channel count.
///
/// The position in the WAV is kept as a whole frame plus a fraction in units of the output rate, so a looped
/// sound never drifts, however long it plays. A value type with no locks: the transport holds it under one.
public struct AudioMixer: Sendable {
    /// A WAV being mixed in.
    public struct Sound: Sendable {
        public let audio: WAVAudio
        /// How the user named the file (shown by `ls` as `soundFile`).
        public let name: String
        public let loop: Bool
        /// Whole WAV frame of the next output frame...
        var frame = 0
        /// ...plus `fraction / outputRate` of a frame.
        var fraction = 0
        /// The output rate `fraction` counts in.
        var outputRate = 0
    }

    public var muted = false
    public private(set) var sound: Sound?

    public init() {}

    public var soundEnabled: Bool { sound != nil }

    /// Starts mixing `audio` in from its beginning (replacing a sound already playing).
    public mutating func startSound(_ audio: WAVAudio, name: String, loop: Bool) {
        sound = Sound(audio: audio, name: name, loop: loop)
    }

    public mutating func stopSound() {
        sound = nil
    }

    /// Mutes and mixes `samples` (interleaved, `channels` per frame, at `sampleRate`) in place. Mute zeroes the
    /// whole block; the sound is mixed into whole frames only (a trailing partial frame gets none). A sound that
    /// is not looped ends when its last frame has been mixed (`soundEnabled` turns false).
    public mutating func process(_ samples: UnsafeMutableBufferPointer<Int16>, sampleRate: Int, channels: Int) {
        guard channels > 0, sampleRate > 0 else { return }
        if muted { samples.update(repeating: 0) }
        guard var sound else { return }
        let frames = samples.count / channels
        let source = sound.audio
        let sourceFrames = source.frameCount
        let sourceChannels = source.channels
        if sound.outputRate != sampleRate {
            // The encoder's rate changed (or this is the first block): keep the position, in the new unit.
            sound.fraction = sound.outputRate == 0 ? 0 : sound.fraction * sampleRate / sound.outputRate
            sound.outputRate = sampleRate
        }
        let sourceRate = source.sampleRate
        var finished = false
        source.samples.withUnsafeBufferPointer { wav in
            for f in 0..<frames {
                if sound.frame >= sourceFrames {
                    guard sound.loop else {
                        finished = true
                        return
                    }
                    sound.frame %= sourceFrames
                }
                let next = sound.frame + 1 < sourceFrames ? sound.frame + 1 : (sound.loop ? 0 : sound.frame)
                let a = sound.frame * sourceChannels
                let b = next * sourceChannels
                for c in 0..<channels {
                    let first: Int
                    let second: Int
                    if sourceChannels == channels || sourceChannels > 1 && channels > 1 {
                        let sc = c % sourceChannels
                        first = Int(wav[a + sc])
                        second = Int(wav[b + sc])
                    } else if sourceChannels == 1 {
                        first = Int(wav[a])
                        second = Int(wav[b])
                    } else {
                        // Into mono: the average of every WAV channel.
                        var sumA = 0
                        var sumB = 0
                        for sc in 0..<sourceChannels {
                            sumA += Int(wav[a + sc])
                            sumB += Int(wav[b + sc])
                        }
                        first = sumA / sourceChannels
                        second = sumB / sourceChannels
                    }
                    let value = first + (second - first) * sound.fraction / sampleRate
                    let index = f * channels + c
                    samples[index] = Int16(clamping: Int(samples[index]) + value)
                }
                // Advance by sourceRate / sampleRate WAV frames.
                sound.fraction += sourceRate
                sound.frame += sound.fraction / sampleRate
                sound.fraction %= sampleRate
            }
        }
        if !finished && !sound.loop && sound.frame >= sourceFrames { finished = true }
        self.sound = finished ? nil : sound
    }
}
