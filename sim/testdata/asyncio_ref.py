"""Reference runs on CPython's own asyncio, for lockviz's engine tests.

Reads a JSON list of runs on stdin and prints, for each, its trace as a JSON
list of [t_ns, task, event, value]. Each run is the program the engine
models, on a real asyncio event loop whose clock is virtual: the selector's
select(timeout) advances an integer nanosecond counter instead of sleeping,
and loop.time() returns it. Locks are asyncio.Lock and asyncio.Semaphore
themselves; `barging` and `none` are written out below.
"""
import asyncio
import asyncio.base_events
import collections
import json
import selectors
import sys

# Virtual time never waits, so the loop need not wake up once a day.
asyncio.base_events.MAXIMUM_SELECT_TIMEOUT = 1 << 62


class StopRun(Exception):
    pass


# A cancel asked for after some event happens once the handle that logged
# that event has finished, as the engine's Step returns after a handle.
_handle_run = asyncio.events.Handle._run


def _run_then_cancel(handle):
    _handle_run(handle)
    run = Run.current
    if run is not None and run.pending is not None:
        run.tasks[run.pending].cancel()
        run.pending = None


asyncio.events.Handle._run = _run_then_cancel


class VirtualSelector(selectors.SelectSelector):
    def __init__(self, run):
        super().__init__()
        self.run = run

    def select(self, timeout=None):
        run = self.run
        if timeout is not None and timeout <= 0:
            return []
        # Idle: cancellations due before the next timer happen now.
        if run.cancels and (timeout is None or run.cancels[0][0] < run.now + timeout):
            at = run.cancels[0][0]
            if not run.until or at <= run.until:
                run.now = max(run.now, at)
                while run.cancels and run.cancels[0][0] <= run.now:
                    _, idx = run.cancels.popleft()
                    run.tasks[idx].cancel()
                return []
        if timeout is None:
            raise StopRun()
        if run.until and run.now + timeout > run.until:
            raise StopRun()
        run.now += timeout
        return []


class VirtualLoop(asyncio.SelectorEventLoop):
    def __init__(self, run):
        super().__init__(VirtualSelector(run))
        self.run = run
        # The clock counts nanoseconds: timers due within one tick are due now.
        self._clock_resolution = 1

    def time(self):
        return self.run.now


class BargingLock:
    """An unfair lock: a request on a free lock takes it even with waiters
    queued; release wakes the head, which takes the lock only if nobody
    barged in first, and otherwise waits again in its place."""

    def __init__(self):
        self._locked = False
        self._waiters = collections.deque()

    async def acquire(self):
        if not self._locked:
            self._locked = True
            return True
        fut = asyncio.get_running_loop().create_future()
        self._waiters.append(fut)
        while True:
            try:
                await fut
            except asyncio.CancelledError:
                self._waiters.remove(fut)
                if not self._locked:
                    self._wake_up_first()
                raise
            if not self._locked:
                break
            new = asyncio.get_running_loop().create_future()
            self._waiters[self._waiters.index(fut)] = new
            fut = new
        self._waiters.remove(fut)
        self._locked = True
        return True

    def release(self):
        self._locked = False
        self._wake_up_first()

    def _wake_up_first(self):
        if self._waiters and not self._waiters[0].done():
            self._waiters[0].set_result(True)


class NoLock:
    async def acquire(self):
        return True

    def release(self):
        pass


def make_lock(policy, permits):
    if policy == "fifo":
        return asyncio.Lock()
    if policy == "semaphore":
        return asyncio.Semaphore(permits)
    if policy == "barging":
        return BargingLock()
    return NoLock()


class Run:
    current = None

    def __init__(self, spec):
        self.spec = spec
        self.now = 0
        self.until = spec.get("until", 0)
        self.cancels = collections.deque(sorted((c["t"], c["task"]) for c in spec.get("cancels") or []))
        self.trace = []
        self.tasks = []
        self.shared = []
        self.stopped = False
        self.after = spec.get("cancel_after")
        self.pending = None

    def log(self, name, event, value=0):
        # Once the run is cut at `until`, the abandoned coroutines are closed
        # and their finally clauses run: that is not part of the run.
        if not self.stopped:
            self.trace.append([self.now, name, event, value])
            if self.after and len(self.trace) == self.after["event"]:
                self.pending = self.after["task"]

    async def worker(self, lock, t):
        name = t["name"]
        thinks, holds, values = iter(t["thinks"]), iter(t["holds"]), iter(t["values"] or [])
        try:
            if t["start"] > 0:
                await asyncio.sleep(t["start"])
            self.log(name, "spawn")
            i = 0
            while t["iterations"] == 0 or i < t["iterations"]:
                i += 1
                d = next(thinks)
                if d > 0:
                    await asyncio.sleep(d)
                self.log(name, "request")
                if t["timeout"]:
                    try:
                        await asyncio.wait_for(lock.acquire(), t["timeout"])
                    except asyncio.TimeoutError:
                        self.log(name, "timeout")
                        continue
                else:
                    await lock.acquire()
                self.log(name, "acquired")
                h = next(holds)
                if t["append"]:
                    v, read = next(values), len(self.shared)
                try:
                    if h > 0:
                        await asyncio.sleep(h)
                    if t["append"]:
                        # Write back what was read plus the value.
                        del self.shared[read:]
                        self.shared.append(v)
                        self.log(name, "append", v)
                finally:
                    lock.release()
                    self.log(name, "released")
            self.log(name, "done")
        except asyncio.CancelledError:
            self.log(name, "cancelled")
            raise

    async def main(self):
        lock = make_lock(self.spec["policy"], self.spec.get("permits", 1))
        self.tasks = [asyncio.create_task(self.worker(lock, t)) for t in self.spec["tasks"]]
        for result in await asyncio.gather(*self.tasks, return_exceptions=True):
            if isinstance(result, Exception):
                raise result

    def go(self):
        Run.current = self
        loop = VirtualLoop(self)
        try:
            loop.run_until_complete(self.main())
        except StopRun:
            self.stopped = True
            for t in self.tasks:
                if t.done() and not t.cancelled() and t.exception():
                    raise t.exception()
        finally:
            loop.close()
        return self.trace


def main():
    runs = json.load(sys.stdin)
    json.dump([Run(r).go() for r in runs], sys.stdout)


if __name__ == "__main__":
    main()
