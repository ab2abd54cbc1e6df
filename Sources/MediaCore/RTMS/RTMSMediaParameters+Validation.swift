extension RTMSMediaParameters {
    /// What a server would refuse or silently change in these parameters, as sentences for a usage error;
    /// empty when they are fine. Reference, "Media handshake request": "send_rate ... Must be a multiple of 20,
    /// up to 1000 ms"; "fps ... Maximum of 30"; video "Can be JPG or PNG when fps <= 5 and H.264 when fps > 5",
    /// screen share "JPG or PNG when fps <= 1 and H.264 when fps > 1"; notes: "stereo with Opus only".
    public var problems: [String] {
        var found: [String] = []
        if let audio {
            if let rate = audio.sendRate, rate < 20 || rate > 1000 || rate % 20 != 0 {
                found.append("audio send rate \(rate) ms: must be a multiple of 20 from 20 to 1000")
            }
            if audio.channel == .stereo, let codec = audio.codec, codec != .opus {
                found.append("stereo audio needs the Opus codec (got \(codec.name ?? String(codec.rawValue)))")
            }
            if let codec = audio.codec, ![.l16, .g711, .g722, .opus].contains(codec) {
                found.append("audio codec \(codec.name ?? String(codec.rawValue)) is not an audio codec")
            }
        }
        found += Self.videoProblems(video, name: "video", stillImageMaxFPS: 5)
        found += Self.videoProblems(deskshare, name: "deskshare", stillImageMaxFPS: 1)
        return found
    }

    private static func videoProblems(_ p: RTMSVideoParameters?, name: String, stillImageMaxFPS: Int64) -> [String] {
        guard let p else { return [] }
        var found: [String] = []
        if let fps = p.fps, fps < 1 || fps > 30 {
            found.append("\(name) fps \(fps): must be from 1 to 30")
        }
        if let codec = p.codec, ![.jpg, .png, .h264].contains(codec) {
            found.append("\(name) codec \(codec.name ?? String(codec.rawValue)) is not a video codec")
        }
        if let fps = p.fps, let codec = p.codec, codec == .jpg || codec == .png, fps > stillImageMaxFPS {
            found.append("\(name) \(codec.name!) only up to \(stillImageMaxFPS) fps: use h264 for \(fps) fps")
        }
        if let fps = p.fps, p.codec == nil, fps > stillImageMaxFPS, fps <= 30 {
            found.append("\(name) fps \(fps) needs a codec (h264): without one the server answers JPG at \(stillImageMaxFPS) fps")
        }
        return found
    }
}
