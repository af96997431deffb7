import Testing

@testable import Chat

/// `Signal.race`, which both a model step and a tool call run under: the first to end decides.
@Suite("Stop race") struct StopRaceTests {
    @Test("work that ends while no stop came gives its own outcome")
    func workEndsFirst() async {
        let stop = Signal()
        let outcome = await stop.race(ifFired: "stopped") { "done" }
        #expect(outcome == "done")
        #expect(!stop.isFired)
    }

    @Test("a stop ends work that would not end by itself, and the work is cancelled")
    func stopEndsWork() async {
        let stop = Signal()
        let started = Signal()
        let cancelled = Signal()
        let race = Task {
            await stop.race(ifFired: "stopped") {
                started.fire()
                await Signal().wait()  // returns only once cancelled
                if Task.isCancelled { cancelled.fire() }
                return "ended by itself"
            }
        }
        await started.wait()
        stop.fire()
        #expect(await race.value == "stopped")
        #expect(cancelled.isFired)
    }

    @Test("a stop fired before the race starts wins")
    func stopBeforeStart() async {
        let stop = Signal()
        stop.fire()
        let outcome = await stop.race(ifFired: "stopped") {
            await Signal().wait()
            return "ended by itself"
        }
        #expect(outcome == "stopped")
    }
}
