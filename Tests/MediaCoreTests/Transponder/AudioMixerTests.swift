import MediaCore
import Testing

@Suite("Audio mixer (mute, sound)")
struct AudioMixerTests {
    /// Runs `input` through the mixer in blocks of `block` frames.
    func run(_ mixer: inout AudioMixer, _ input: [Int16], rate: Int, channels: Int, block: Int? = nil) -> [Int16] {
        var output = input
        let step = (block ?? input.count / channels) * channels
        var start = 0
        while start < output.count {
            let end = min(start + step, output.count)
            output[start..<end].withUnsafeMutableBufferPointer { mixer.process($0, sampleRate: rate, channels: channels) }
            start = end
        }
        return output
    }

    @Test func untouchedWithoutMuteOrSound() {
        var mixer = AudioMixer()
        #expect(run(&mixer, [1, 2, 3, -4], rate: 48000, channels: 2) == [1, 2, 3, -4])
    }

    @Test func muteZeroesAndUnmuteRestores() {
        var mixer = AudioMixer()
        mixer.muted = true
        #expect(run(&mixer, [1, 2, 3, -4], rate: 48000, channels: 2) == [0, 0, 0, 0])
        mixer.muted = false
        #expect(run(&mixer, [1, 2, 3, -4], rate: 48000, channels: 2) == [1, 2, 3, -4])
    }

    @Test func sameRateAndLayoutAddsSampleForSampleAndEnds() {
        var mixer = AudioMixer()
        mixer.startSound(WAVAudio(sampleRate: 16000, channels: 2, samples: [10, 20, 30, 40]), name: "t.wav", loop: false)
        #expect(mixer.soundEnabled)
        let out = run(&mixer, [1, 1, 1, 1, 1, 1], rate: 16000, channels: 2)
        #expect(out == [11, 21, 31, 41, 1, 1])
        #expect(!mixer.soundEnabled)
    }

    @Test func theSoundPlaysOverMute() {
        var mixer = AudioMixer()
        mixer.muted = true
        mixer.startSound(WAVAudio(sampleRate: 8000, channels: 1, samples: [100, 200]), name: "n.wav", loop: true)
        #expect(run(&mixer, [5, 5, 5, 5, 5], rate: 8000, channels: 1) == [100, 200, 100, 200, 100])
        #expect(mixer.soundEnabled)
        mixer.stopSound()
        #expect(run(&mixer, [5, 5], rate: 8000, channels: 1) == [0, 0])
    }

    @Test func sumsSaturate() {
        var mixer = AudioMixer()
        mixer.startSound(WAVAudio(sampleRate: 8000, channels: 1, samples: [30000, -30000]), name: "x", loop: false)
        #expect(run(&mixer, [10000, -10000], rate: 8000, channels: 1) == [32767, -32768])
    }

    @Test func upsamplingInterpolatesLinearly() {
        var mixer = AudioMixer()
        // 8 kHz into 16 kHz: every other output sample lies halfway between two WAV samples.
        mixer.startSound(WAVAudio(sampleRate: 8000, channels: 1, samples: [0, 100, 200, 300]), name: "r", loop: false)
        let out = run(&mixer, [Int16](repeating: 0, count: 10), rate: 16000, channels: 1)
        #expect(out == [0, 50, 100, 150, 200, 250, 300, 300, 0, 0])
    }

    @Test func downsamplingSkips() {
        var mixer = AudioMixer()
        mixer.startSound(WAVAudio(sampleRate: 48000, channels: 1, samples: (0..<12).map { Int16($0 * 10) }), name: "d", loop: false)
        let out = run(&mixer, [Int16](repeating: 0, count: 5), rate: 16000, channels: 1)
        #expect(out == [0, 30, 60, 90, 0])
    }

    @Test func channelMapping() {
        var monoIntoStereo = AudioMixer()
        monoIntoStereo.startSound(WAVAudio(sampleRate: 8000, channels: 1, samples: [7, 9]), name: "m", loop: false)
        #expect(run(&monoIntoStereo, [0, 0, 0, 0], rate: 8000, channels: 2) == [7, 7, 9, 9])

        var stereoIntoMono = AudioMixer()
        stereoIntoMono.startSound(WAVAudio(sampleRate: 8000, channels: 2, samples: [10, 20, -6, 2]), name: "s", loop: false)
        #expect(run(&stereoIntoMono, [0, 0], rate: 8000, channels: 1) == [15, -2])

        var stereoIntoQuad = AudioMixer()
        stereoIntoQuad.startSound(WAVAudio(sampleRate: 8000, channels: 2, samples: [1, 2]), name: "q", loop: false)
        #expect(run(&stereoIntoQuad, [0, 0, 0, 0], rate: 8000, channels: 4) == [1, 2, 1, 2])
    }

    @Test(arguments: [1, 3, 160, 1024])
    func blockSizeDoesNotMatter(block: Int) {
        let wav = WAVAudio(sampleRate: 44100, channels: 1, samples: (0..<441).map { Int16(($0 * 37) % 2000 - 1000) })
        var whole = AudioMixer()
        whole.startSound(wav, name: "w", loop: true)
        var pieces = AudioMixer()
        pieces.startSound(wav, name: "w", loop: true)
        let input = [Int16](repeating: 3, count: 4800 * 2)
        #expect(run(&whole, input, rate: 48000, channels: 2) == run(&pieces, input, rate: 48000, channels: 2, block: block))
    }

    @Test func aLoopNeverDrifts() {
        // One second of WAV at 44.1 kHz looped into 48 kHz for 60 s: each pass must start exactly every 48000
        // output frames. The WAV holds a marker at its first frame only.
        var samples = [Int16](repeating: 0, count: 44100)
        samples[0] = 1000
        var mixer = AudioMixer()
        mixer.startSound(WAVAudio(sampleRate: 44100, channels: 1, samples: samples), name: "l", loop: true)
        var markers: [Int] = []
        var frame = 0
        for _ in 0..<(60 * 50) {  // 20 ms blocks
            let out = run(&mixer, [Int16](repeating: 0, count: 960), rate: 48000, channels: 1)
            for (i, v) in out.enumerated() where v == 1000 { markers.append(frame + i) }
            frame += 960
        }
        #expect(markers.count == 60)
        #expect(markers == (0..<60).map { $0 * 48000 })
    }

    @Test func aPartialTrailingFrameIsLeftAlone() {
        var mixer = AudioMixer()
        mixer.muted = true
        mixer.startSound(WAVAudio(sampleRate: 8000, channels: 1, samples: [4, 4, 4]), name: "p", loop: false)
        var block: [Int16] = [1, 1, 1]
        block.withUnsafeMutableBufferPointer { mixer.process($0, sampleRate: 8000, channels: 2) }
        #expect(block == [4, 4, 0])
    }
}
