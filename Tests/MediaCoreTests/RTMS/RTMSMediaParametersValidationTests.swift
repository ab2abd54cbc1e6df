import MediaCore
import Testing

@Suite struct RTMSMediaParametersValidationTests {
    @Test func defaultsAndGoodValuesHaveNoProblems() {
        #expect(RTMSMediaParameters().problems.isEmpty)
        let good = RTMSMediaParameters(
            audio: RTMSAudioParameters(sampleRate: .hz48000, channel: .stereo, codec: .opus, sendRate: 1000),
            video: RTMSVideoParameters(codec: .h264, resolution: .hd, fps: 30),
            deskshare: RTMSVideoParameters(codec: .jpg, fps: 1))
        #expect(good.problems.isEmpty)
    }

    @Test(arguments: [
        (RTMSMediaParameters(audio: RTMSAudioParameters(sendRate: 30)), "multiple of 20"),
        (RTMSMediaParameters(audio: RTMSAudioParameters(sendRate: 1020)), "multiple of 20"),
        (RTMSMediaParameters(audio: RTMSAudioParameters(channel: .stereo, codec: .l16)), "Opus"),
        (RTMSMediaParameters(audio: RTMSAudioParameters(codec: .h264)), "not an audio codec"),
        (RTMSMediaParameters(video: RTMSVideoParameters(fps: 31)), "from 1 to 30"),
        (RTMSMediaParameters(video: RTMSVideoParameters(codec: .jpg, fps: 6)), "only up to 5 fps"),
        (RTMSMediaParameters(video: RTMSVideoParameters(fps: 10)), "needs a codec"),
        (RTMSMediaParameters(deskshare: RTMSVideoParameters(codec: .png, fps: 2)), "only up to 1 fps"),
        (RTMSMediaParameters(video: RTMSVideoParameters(codec: .opus)), "not a video codec"),
    ])
    func problemsAreFound(parameters: RTMSMediaParameters, expected: String) {
        #expect(parameters.problems.count == 1)
        #expect(parameters.problems.first?.contains(expected) == true, "\(parameters.problems)")
    }
}
