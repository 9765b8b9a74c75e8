"""Reference runs on CPython's own asyncio, for lockviz's engine tests.

Reads a JSON list of runs on stdin and prints, for each, its trace as a JSON
list of [t_ns, task, event, value, lock]. Each run is the program the engine
models, on a real asyncio event loop whose clock is virtual: the selector's
select(timeout) advances an integer nanosecond counter instead of sleeping,
and loop.time() returns it. Locks are asyncio.Lock and asyncio.Semaphore
themselves; `barging` and `none` are written out below.

A task is either the shorthand (iterations, think, hold, …, with its draws)
or code: the body of its coroutine in lockviz's subset of Python, run as
it is with exec, with `asyncio`, `random`, `shared` and the locks bound to
small facades that log the events where lockviz does and hand out the
numbers the engine drew, in the order it drew them. Times in the code are
seconds; the loop's clock counts nanoseconds.
"""
import asyncio
import asyncio.base_events
import collections
import json
import os
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


def _pyexport_classes(*files):
    """The classes lockviz export writes for the policies asyncio has none
    for (sim/pyexport), read from the files it embeds: the engine and the
    exported programs are held to the same BargingLock and NoLock."""
    here = os.path.dirname(os.path.abspath(__file__))
    names = {"_asyncio": asyncio, "collections": collections}
    for f in files:
        with open(os.path.join(here, "..", "pyexport", f)) as src:
            exec(src.read(), names)
    return names["BargingLock"], names["NoLock"]


BargingLock, NoLock = _pyexport_classes("barging.py", "nolock.py")


class AcquireCall:
    """L.acquire() of a task's code: the request is logged when the call is
    made, as lockviz does, and the acquired event when an `await` of it
    returns; asyncio.wait_for logs its own, once it returns."""

    def __init__(self, facade):
        self.facade = facade
        facade.run.log(facade.task, "request", lock=facade.name)
        self.raw = facade.lock.acquire()

    def __await__(self):
        r = yield from self.raw.__await__()
        self.facade.run.log(self.facade.task, "acquired", lock=self.facade.name)
        return r


class LockFacade:
    def __init__(self, run, task, name, lock):
        self.run, self.task, self.name, self.lock = run, task, name, lock

    def acquire(self):
        return AcquireCall(self)

    def release(self):
        self.lock.release()
        self.run.log(self.task, "released", lock=self.name)

    async def __aenter__(self):
        await self.acquire()

    async def __aexit__(self, *exc):
        self.release()


class AsyncioFacade:
    TimeoutError = TimeoutError

    def __init__(self, run, task):
        self.run, self.task = run, task

    @staticmethod
    def ns(seconds):
        return round(seconds * 1e9)

    async def sleep(self, seconds):
        await asyncio.sleep(self.ns(seconds))

    async def wait_for(self, call, seconds):
        f = call.facade
        try:
            r = await asyncio.wait_for(call.raw, max(self.ns(seconds), 1))
        except TimeoutError:
            self.run.log(self.task, "timeout", lock=f.name)
            raise
        self.run.log(self.task, "acquired", lock=f.name)
        return r


class OutOfDraws(Exception):
    """The code asked for more numbers than lockviz drew: the runs differ."""


class RandomFacade:
    """The numbers lockviz drew for the task, in its order: durations in
    nanoseconds, handed out as seconds."""

    def __init__(self, draws):
        self.draws = draws

    def next(self):
        if not self.draws:
            raise OutOfDraws()
        return self.draws.popleft()

    def expovariate(self, rate):
        return self.next() / 1e9

    def uniform(self, a, b):
        return self.next() / 1e9

    def randint(self, a, b):
        return self.next()

    def random(self):
        return self.next()


class SharedFacade:
    def __init__(self, run, task):
        self.run, self.task = run, task

    def append(self, v):
        self.run.shared.append(v)
        self.run.log(self.task, "append", v)

    def __iter__(self):
        return iter(list(self.run.shared))

    def __setitem__(self, where, value):
        self.run.shared[where] = value
        self.run.log(self.task, "append", value[-1])


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

    def log(self, name, event, value=0, lock=""):
        # Once the run is cut at `until`, the abandoned coroutines are closed
        # and their finally clauses run: that is not part of the run.
        if not self.stopped:
            self.trace.append([self.now, name, event, value, lock])
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

    async def code_worker(self, locks, t):
        name = t["name"]
        draws = collections.deque(t["draws"] or [])
        env = {"asyncio": AsyncioFacade(self, name), "random": RandomFacade(draws), "shared": SharedFacade(self, name)}
        for lname, lk in locks.items():
            env[lname] = LockFacade(self, name, lname if len(locks) > 1 else "", lk)
        src = "async def task():\n" + "".join("    " + line + "\n" for line in t["code"].splitlines())
        exec(src, env)
        try:
            if t["start"] > 0:
                await asyncio.sleep(t["start"])
            self.log(name, "spawn")
            await env["task"]()
            self.log(name, "done")
        except asyncio.CancelledError:
            self.log(name, "cancelled")
            raise
        except (RuntimeError, TimeoutError):
            self.log(name, "raised")
        except OutOfDraws:
            self.log(name, "drew more than lockviz")

    async def main(self):
        specs = self.spec.get("locks") or [{"name": "lock", "policy": self.spec["policy"], "permits": self.spec.get("permits", 1)}]
        locks = {l["name"]: make_lock(l["policy"], l["permits"]) for l in specs}
        lock = next(iter(locks.values()))
        self.tasks = [asyncio.create_task(self.code_worker(locks, t) if t.get("code") else self.worker(lock, t))
                      for t in self.spec["tasks"]]
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
