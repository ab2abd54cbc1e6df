import MediaCore
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// Drives one `RTMSClientSession` with real websockets, a clock and a recorder: the session decides, this does
/// what its actions say (see the driver contract in `RTMSClientAction`).
///
/// Every input (a socket opened, a message, a socket closed, the 1 s tick, a stop) is handled under one lock:
/// the message is queued for the recording, fed to the session, and the session's actions are carried out;
/// sends are written after the lock is released, by the task that brought the input. A socket's reader awaits
/// that before it reads its next frame, so nothing else queues up in memory: a media message lives from its
/// arrival until it is reported and, queued for the recording thread, written (within 20 ms; `RecordingFlusher`).
///
/// A socket the session has closed stays "closing" until its close handshake ends: messages that were already on
/// their way (the session state update that follows a stream's termination, media in flight when the client
/// stops) are still recorded, though no longer fed to the session. The recording is closed, with its end marker,
/// once every socket is done.
final class RTMSStreamRunner: Sendable {
    /// Driver contract: "besides, the driver calls `tick(now:)` about once a second".
    static let tickInterval: Duration = .seconds(1)

    let descriptor: RTMSStreamDescriptor
    private let configuration: RTMSListenerConfiguration
    private let onEvent: @Sendable (RTMSListenerEvent) -> Void
    private let state = NIOLockedValueBox(State())

    private struct Socket {
        var generation: Int
        var socket: RTMSWebSocket
    }

    private struct State {
        var session = RTMSClientSession()
        /// The socket the session knows under each id. A socket's events carry its generation: events of a socket
        /// the session has closed (or replaced) are dropped, as the driver contract asks.
        var sockets: [RTMSConnectionID: Socket] = [:]
        var generation = 0
        /// Sockets the session has closed whose close handshake has not ended, by generation: their messages are
        /// still recorded. Awaited before `run()` returns; removed when they end.
        var closing: [Int: (id: RTMSConnectionID, socket: RTMSWebSocket)] = [:]
        /// The session's `rtms.end`, recorded as the last marker when the recording is closed.
        var endMarker: RTMSEvent?
        var recorder: RTMSRecorder?
        var recordingPath: String?
        var recordingError: MediaError?
        var outcome: RTMSOutcome?
        var waiter: CheckedContinuation<Void, Never>?
    }

    private enum Input {
        case socket(RTMSConnectionID, generation: Int, RTMSWebSocketEvent)
        case tick
        case stop(closeStream: Bool)
    }

    init(
        descriptor: RTMSStreamDescriptor, configuration: RTMSListenerConfiguration,
        onEvent: @escaping @Sendable (RTMSListenerEvent) -> Void
    ) {
        self.descriptor = descriptor
        self.configuration = configuration
        self.onEvent = onEvent
    }

    var streamID: String { descriptor.streamID }

    /// Runs the session to its end.
    func run() async -> RTMSStreamResult {
        onEvent(.joining(descriptor))
        let sends = state.withLockedValue { state -> [Send] in
            guard state.outcome == nil else { return [] }  // stopped before it started
            let now = WallClock.now()
            if let directory = configuration.recordDirectory {
                do {
                    let recorder = try RTMSRecorder(directory: directory, descriptor: descriptor, createdMicros: now.micros)
                    state.recorder = recorder
                    state.recordingPath = recorder.path
                    onEvent(.recording(stream: descriptor.streamID, path: recorder.path))
                } catch {
                    // Nothing is joined that could not be recorded.
                    let mediaError = error as? MediaError ?? MediaError(.io, "\(error)")
                    state.recordingError = mediaError
                    onEvent(.recordingFailed(stream: descriptor.streamID, mediaError))
                    state.outcome = .failed(mediaError)
                    onEvent(.session(RTMSEvent(stream: descriptor.streamID, .ended(.failed(mediaError)))))
                    return []
                }
            }
            let actions = state.session.start(
                descriptor: descriptor, credentials: configuration.credentials, options: configuration.options,
                now: now.seconds)
            return perform(actions, state: &state, now: now)
        }
        await deliver(sends)
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: Self.tickInterval)
                await self.handle(.tick)
            }
        }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let finished = state.withLockedValue { state -> Bool in
                if state.outcome != nil { return true }
                state.waiter = continuation
                return false
            }
            if finished { continuation.resume() }
        }
        ticker.cancel()
        let remaining = state.withLockedValue { state -> [RTMSWebSocket] in
            state.closing.values.map(\.socket) + state.sockets.values.map(\.socket)
        }
        for socket in remaining { await socket.finished() }
        // fsync can take long (it waits for the disk): not on an event loop thread, where it would stall every
        // other stream's sockets.
        let recorder = state.withLockedValue { state -> RTMSRecorder? in
            defer { state.recorder = nil }
            return state.recorder
        }
        if let recorder {
            let end = state.withLockedValue { $0.endMarker }
            do {
                try await NIOThreadPool.singleton.runIfActive {
                    if let end { try recorder.marker(end, arrivalMicros: WallClock.now().micros) }
                    try recorder.close()
                }
            } catch {
                recorder.abandon()
                let mediaError = error as? MediaError ?? MediaError(.io, "\(error)")
                state.withLockedValue { $0.recordingError = mediaError }
                onEvent(.recordingFailed(stream: descriptor.streamID, mediaError))
            }
        }
        return state.withLockedValue { state in
            RTMSStreamResult(
                stream: descriptor.streamID, outcome: state.outcome ?? .stopped, recordingError: state.recordingError,
                recordingPath: state.recordingPath)
        }
    }

    /// Leaves the stream (SIGINT/SIGTERM, a `*.rtms_stopped` webhook); with `closeStream`, asks the server to
    /// end the stream first.
    func stop(closeStream: Bool) {
        Task { await handle(.stop(closeStream: closeStream)) }
    }

    // MARK: - Inputs

    private func handle(_ input: Input) async {
        let sends = state.withLockedValue { state -> [Send] in
            let now = WallClock.now()
            if case .socket(_, let generation, let event) = input, let closing = state.closing[generation] {
                drain(event, from: closing.id, generation: generation, state: &state, now: now)
                return []
            }
            guard state.outcome == nil else { return [] }
            let actions: [RTMSClientAction]
            switch input {
            case .socket(let id, let generation, let event):
                guard state.sockets[id]?.generation == generation else { return [] }
                switch event {
                case .opened:
                    actions = state.session.connected(id, now: now.seconds)
                case .message(let payload, let binary):
                    let recorded = record(payload, binary: binary, on: id, state: &state, now: now)
                    var all = state.session.received(id, bytes: payload, now: now.seconds)
                    if !recorded { all += state.session.stopRequested(closeStream: false, now: now.seconds) }
                    actions = all
                case .closed(_, let fatal?):
                    state.sockets.removeValue(forKey: id)
                    actions = state.session.failed(id, error: fatal, now: now.seconds)
                case .closed(let reason, nil):
                    state.sockets.removeValue(forKey: id)
                    actions = state.session.closed(id, reason: reason, now: now.seconds)
                }
            case .tick:
                // A write error the flusher saw while no message came.
                if let recorder = state.recorder, let failure = recorder.writeFailure {
                    fail(recorder, failure, state: &state)
                    actions = state.session.stopRequested(closeStream: false, now: now.seconds)
                } else {
                    actions = state.session.tick(now: now.seconds)
                }
            case .stop(let closeStream):
                actions = state.session.stopRequested(closeStream: closeStream, now: now.seconds)
            }
            return perform(actions, state: &state, now: now)
        }
        await deliver(sends)
        // The disk is behind: stop reading (TCP pushes back) until the recording thread catches up.
        if case .socket(_, _, .message) = input {
            while RecordingFlusher.shared.isOverloaded { try? await Task.sleep(for: .milliseconds(5)) }
        }
    }

    /// An event of a socket the session has closed: a message is recorded, the end of the socket forgotten.
    private func drain(
        _ event: RTMSWebSocketEvent, from id: RTMSConnectionID, generation: Int, state: inout State,
        now: WallClock.Reading
    ) {
        switch event {
        case .opened: break
        case .message(let payload, let binary): _ = record(payload, binary: binary, on: id, state: &state, now: now)
        case .closed: state.closing.removeValue(forKey: generation)
        }
    }

    /// Appends a received message to the recording; false when that failed (recording then stops for good).
    private func record(
        _ payload: ByteBuffer, binary: Bool, on id: RTMSConnectionID, state: inout State, now: WallClock.Reading
    ) -> Bool {
        guard let recorder = state.recorder else { return true }
        do {
            try recorder.message(payload, binary: binary, connection: id, arrivalMicros: now.micros)
            return true
        } catch {
            fail(recorder, error, state: &state)
            return false
        }
    }

    private func fail(_ recorder: RTMSRecorder, _ error: any Error, state: inout State) {
        recorder.abandon()
        state.recorder = nil
        let mediaError = error as? MediaError ?? MediaError(.io, "\(error)")
        state.recordingError = mediaError
        onEvent(.recordingFailed(stream: descriptor.streamID, mediaError))
    }

    // MARK: - Actions

    private typealias Send = (socket: RTMSWebSocket, text: ByteBuffer)

    /// Carries out the session's actions in order; returns the messages to send once the lock is released.
    private func perform(_ actions: [RTMSClientAction], state: inout State, now: WallClock.Reading) -> [Send] {
        var sends: [Send] = []
        // The server ended the stream: what it sent before is still coming in on the media sockets of a busy
        // client, so those are read until quiet before they are closed. (Stops and losses close at once.)
        let drain = actions.contains {
            if case .finished(.terminated) = $0 { return true }
            return false
        }
        for action in actions {
            switch action {
            case .open(let id, let url):
                state.generation += 1
                let generation = state.generation
                let socket = RTMSWebSocket.open(url: url, tls: configuration.tls) { [self] event in
                    await self.handle(.socket(id, generation: generation, event))
                }
                if let previous = state.sockets.updateValue(Socket(generation: generation, socket: socket), forKey: id) {
                    previous.socket.close()
                    state.closing[previous.generation] = (id, previous.socket)
                }
            case .send(let id, let message):
                if let socket = state.sockets[id]?.socket { sends.append((socket, message.encode())) }
            case .close(let id):
                if let gone = state.sockets.removeValue(forKey: id) {
                    gone.socket.close(drain: drain)
                    state.closing[gone.generation] = (id, gone.socket)
                }
            case .emit(let event):
                if case .ended = event.kind {
                    state.endMarker = event
                } else if Self.isMarker(event), let recorder = state.recorder {
                    do {
                        try recorder.marker(event, arrivalMicros: now.micros)
                    } catch {
                        fail(recorder, error, state: &state)
                    }
                }
                onEvent(.session(event))
            case .scheduleReconnect(let delay):
                Task {
                    try? await Task.sleep(for: .milliseconds(Int64((delay * 1000).rounded(.up))))
                    await self.handle(.tick)
                }
            case .finished(let outcome):
                // The recording stays open until the closing sockets are done (`run()` closes it).
                state.outcome = outcome
                state.waiter?.resume()
                state.waiter = nil
            }
        }
        return sends
    }

    private func deliver(_ sends: [Send]) async {
        for send in sends {
            // A failed write means the socket is going; its `closed` event reports why.
            try? await send.socket.send(text: send.text)
        }
    }

    /// Events that no received message stands for, recorded as markers so a replay shows them too: losses,
    /// reconnections, errors and the end.
    static func isMarker(_ event: RTMSEvent) -> Bool {
        switch event.kind {
        case .disconnected, .reconnected, .error, .ended: return true
        default: return false
        }
    }
}
