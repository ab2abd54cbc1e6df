import MediaTransport
import Synchronization
import Testing

/// Two tasks joined by a bounded hand-off: order kept, room bounded, failures and cancellation passed on.
@Suite struct BoundedHandoffTests {
    struct Failure: Error, Equatable {}

    @Test(arguments: [1, 2, 4, 16])
    func everythingArrivesInOrder(capacity: Int) async throws {
        let handoff = BoundedHandoff<Int>(capacity: capacity)
        let producer = Task {
            for value in 0..<2000 {
                guard await handoff.send(value) else { return false }
            }
            handoff.finish()
            return true
        }
        var received: [Int] = []
        while let value = try await handoff.next() {
            received.append(value)
            // Let the producer run ahead: it must stop at the capacity.
            if value % 97 == 0 { await Task.yield() }
        }
        #expect(await producer.value)
        #expect(received == Array(0..<2000))
    }

    @Test func theProducerWaitsAtTheCapacity() async throws {
        let handoff = BoundedHandoff<Int>(capacity: 3)
        let sent = ManagedCounter()
        let producer = Task {
            for value in 0..<10 {
                guard await handoff.send(value) else { return }
                sent.increment()
            }
            handoff.finish()
        }
        try await Task.sleep(for: .milliseconds(200))
        #expect(sent.value == 3)
        #expect(try await handoff.next() == 0)
        try await Task.sleep(for: .milliseconds(100))
        // Woken only once drained to half the capacity (1 left after taking 2).
        #expect(sent.value == 3)
        #expect(try await handoff.next() == 1)
        try await Task.sleep(for: .milliseconds(200))
        #expect(sent.value >= 4)
        var rest: [Int] = []
        while let value = try await handoff.next() { rest.append(value) }
        #expect(rest == Array(2..<10))
        await producer.value
    }

    /// The room is counted in costs: 6 + 6 fill a capacity of 10 (the last one may go past it); an element
    /// larger than the whole capacity still passes when the queue is empty.
    @Test func roomIsCountedInCosts() async throws {
        let handoff = BoundedHandoff<Int>(capacity: 10)
        #expect(await handoff.send(1, cost: 6))
        #expect(await handoff.send(2, cost: 6))
        let third = Task { await handoff.send(3, cost: 1) }
        try await Task.sleep(for: .milliseconds(100))
        #expect(try await handoff.next() == 1)
        // 6 left: more than half the capacity, the producer still waits.
        try await Task.sleep(for: .milliseconds(100))
        #expect(try await handoff.next() == 2)
        #expect(await third.value)
        #expect(try await handoff.next() == 3)
        #expect(await handoff.send(4, cost: 1000))
        #expect(try await handoff.next() == 4)
    }

    @Test func aFailureComesAfterTheQueuedElements() async throws {
        let handoff = BoundedHandoff<Int>(capacity: 4)
        #expect(await handoff.send(1))
        #expect(await handoff.send(2))
        handoff.finish(throwing: Failure())
        #expect(try await handoff.next() == 1)
        #expect(try await handoff.next() == 2)
        await #expect(throws: Failure.self) { try await handoff.next() }
    }

    @Test func cancellingReleasesAWaitingProducer() async throws {
        let handoff = BoundedHandoff<Int>(capacity: 1)
        #expect(await handoff.send(1))
        let blocked = Task { await handoff.send(2) }
        try await Task.sleep(for: .milliseconds(100))
        handoff.cancel()
        #expect(await blocked.value == false)
        #expect(await handoff.send(3) == false)
    }
}

/// A counter two tasks share.
final class ManagedCounter: Sendable {
    private let count = Mutex(0)
    func increment() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}
