

# ---- how it runs: asyncio, with lockviz's clock, numbers and events ---------

import asyncio as _asyncio
import asyncio.base_events
import collections
import dis
import math
import os
import selectors
import struct
import sys
import time

# The loop's clock counts whole nanoseconds, as lockviz's does: asyncio
# would otherwise cap a wait at a day's worth of them.
asyncio.base_events.MAXIMUM_SELECT_TIMEOUT = 1 << 62

M64 = (1 << 64) - 1
M128 = (1 << 128) - 1
MAX_DURATION = 100000 * 3600 * 10**9  # lockviz's longest duration, in ns
SPIN_LIMIT = 10000


# ---- lockviz's random numbers, number for number --------------------------
#
# lockviz draws with Go's math/rand/v2; these are its algorithms, so that a
# seed gives the same numbers here as there.

class PCG:
    """Go's rand.PCG: a 128-bit LCG with the DXSM output function."""

    MUL = 2549297995355413924 << 64 | 4865540595714422341
    INC = 6364136223846793005 << 64 | 1442695040888963407

    def __init__(self, seed1, seed2):
        self.state = seed1 << 64 | seed2

    def uint64(self):
        s = self.state = (self.state * self.MUL + self.INC) & M128
        hi, lo = s >> 64, s & M64
        hi ^= hi >> 32
        hi = hi * 0xda942042e4dd58b5 & M64
        hi ^= hi >> 48
        return hi * (lo | 1) & M64

    def float64(self):
        """Rand.Float64."""
        return (self.uint64() & (1 << 53) - 1) / (1 << 53)

    def int64n(self, n):
        """Rand.Int64N: uniform on [0, n), by Lemire's method."""
        if n & (n - 1) == 0:
            return self.uint64() & (n - 1)
        p = self.uint64() * n
        if p & M64 < n:
            thresh = ((1 << 64) - n) % n
            while p & M64 < thresh:
                p = self.uint64() * n
        return p >> 64

    def exp_float64(self):
        """Rand.ExpFloat64: Marsaglia and Tsang's ziggurat, whose test is in
        float32 arithmetic in Go, hence f32 after every operation."""
        while True:
            u = self.uint64()
            j, i = u & 0xFFFFFFFF, u >> 32 & 0xFF
            x = j * EXP_W[i]
            if j < EXP_K[i]:
                return x
            if i == 0:
                return 7.69711747013104972 - math.log(self.float64())
            r = f32(self.float64())
            if f32(EXP_F[i] + f32(r * f32(EXP_F[i - 1] - EXP_F[i]))) < f32(math.exp(-x)):
                return x


# The instructions a loop's header runs when the loop goes round again.
GOING_ROUND = {dis.opmap["FOR_ITER"], dis.opmap["JUMP_BACKWARD"]}


def going_round(frame):
    """Whether the frame is at a loop's header going round again, rather
    than entering the loop."""
    code, i = frame.f_code.co_code, frame.f_lasti
    while code[i] == dis.EXTENDED_ARG:  # a long jump's prefix
        i += 2
    return code[i] in GOING_ROUND


def f32(x):
    return struct.unpack("f", struct.pack("f", x))[0]


def splitmix(x):
    x = (x + 0x9e3779b97f4a7c15) & M64
    x = (x ^ x >> 30) * 0xbf58476d1ce4e5b9 & M64
    x = (x ^ x >> 27) * 0x94d049bb133111eb & M64
    return x ^ x >> 31


# A task's streams, by purpose: each its own, fixed by the seed and the
# task's number, as lockviz seeds them.
THINK, HOLD, VALUE, RANDOM = range(4)


def streams(seed, task_id):
    return [PCG(splitmix(seed), splitmix(task_id << 2 | purpose)) for purpose in range(4)]


def go_round(x):
    """Go's math.Round: halves away from zero (Python's round() takes them
    to even)."""
    t = math.trunc(x)
    if abs(x - t) >= 0.5:
        t += 1 if x > 0 else -1
    return t


def nanos(seconds):
    """A duration in seconds as lockviz rounds it: whole nanoseconds, none
    below zero, at most MAX_DURATION."""
    if isinstance(seconds, Drawn):
        return seconds.ns
    if not seconds > 0:
        return 0
    return go_round(min(seconds * 1e9, MAX_DURATION))


class Drawn(float):
    """A duration random drew, in seconds, that remembers its exact
    nanoseconds: lockviz sleeps for those when the draw is slept at once."""

    def __new__(cls, ns):
        d = super().__new__(cls, ns / 1e9)
        d.ns = ns
        return d


class Random:
    """The `random` a task's code sees: lockviz's draws, from the task's own
    streams. A sleep's draw comes from the hold stream while the task holds
    a lock, from the think stream otherwise; randint from the value stream,
    random() from a fourth. A shorthand task draws its think and hold
    distributions (dists), as lockviz's shorthand does."""

    def __init__(self, task, seed, dists=None):
        self.task = task
        self.streams = streams(seed, task.id)
        self.dists = dists

    def _sleep_stream(self):
        return self.streams[HOLD if self.task.held else THINK]

    def _dist(self):
        return self.dists[1 if self.task.held else 0]

    def expovariate(self, rate):
        e = self._sleep_stream().exp_float64()
        if self.dists:
            return Drawn(go_round(e * self._dist()[1]))
        return Drawn(go_round(min(e / rate * 1e9, MAX_DURATION)))

    def uniform(self, a, b):
        if self.dists:
            _, a_ns, b_ns = self._dist()
        else:
            a_ns = go_round(min(a * 1e9, MAX_DURATION))
            b_ns = go_round(min(b * 1e9, MAX_DURATION))
        return Drawn(a_ns + self._sleep_stream().int64n(b_ns - a_ns + 1))

    def randint(self, a, b):
        return a + self.streams[VALUE].int64n(b - a + 1)

    def random(self):
        return self.streams[RANDOM].float64()


# ---- the loop: asyncio's own, on a clock of whole nanoseconds -------------

class Stop(Exception):
    """Nothing is left to run before the end: every task ended or waits
    forever, or the next timer is past UNTIL."""


class Clock(selectors.SelectSelector):
    """The loop's selector. Nothing ever arrives on it, so select(timeout)
    only moves the clock on to the next timer; in real time it first waits
    for the wall clock to get there. Either way the loop runs the same
    callbacks in the same order, so the events come out the same."""

    def __init__(self, until, virtual, stuck):
        super().__init__()
        self.now, self.until, self.virtual, self.stuck = 0, until, virtual, stuck
        self.started = time.monotonic_ns()

    def select(self, timeout=None):
        if timeout is not None and timeout <= 0:
            return []
        self.stuck.instant_over(self.now)  # nothing is left to run now
        if timeout is None or self.until and self.now + timeout > self.until:
            raise Stop()
        self.now += timeout
        if not self.virtual:
            time.sleep(max(0, self.started + self.now - time.monotonic_ns()) / 1e9)
        return []


class Loop(_asyncio.SelectorEventLoop):
    def __init__(self, until, virtual, stuck):
        super().__init__(Clock(until, virtual, stuck))
        # Timers due within a tick of the clock are due now: here, 1 ns.
        self._clock_resolution = 1

    def time(self):
        return self._selector.now


# ---- what a task's code sees: its events logged where lockviz logs them ---

class Task:
    """One task: its name, its code, where it is, what it holds."""

    def __init__(self, events, task_id, name, fn, start, dists):
        self.events, self.id, self.name, self.fn, self.start = events, task_id, name, fn, start
        self.random = Random(self, events.seed, dists)
        self.shorthand = dists is not None
        self.held = []      # the locks it holds, a lock once a permit, in acquisition order
        self.frame = None   # its code's frame
        self.line = 0       # the statement it last began, as lockviz counts them
        self.spins = 0      # iterations of the shorthand's loop begun since it last suspended
        self.waiting = None # the lock it asked for and has not got, nor given up
        self.ended = False

    def where(self):
        """The line of its code the task is on now, counted from 1."""
        if self.shorthand:
            return 0  # lockviz's events carry no line for the shorthand
        return self.frame.f_lineno - self.frame.f_code.co_firstlineno

    def log(self, event, **fields):
        self.events.log(self, event, line=self.where(), **fields)

    async def main(self, locks, shared):
        if self.start > 0:
            await _asyncio.sleep(self.start)
        self.events.log(self, "spawn")
        views = [LockView(self, locks[name]) for name in self.fn.locks]
        coro = self.fn(Asyncio(self), self.random, Shared(self, shared), *views)
        self.frame = coro.cr_frame
        if not self.shorthand:
            self.frame.f_trace = self.trace
        try:
            await coro
        except (RuntimeError, TimeoutError, UnboundLocalError) as e:
            self.events.log(self, "raised", line=self.raised_at(e))
        else:
            self.events.log(self, "done", line=self.line)
        self.ended = True
        self.events.stuck.ended(self)

    def trace(self, frame, event, arg):
        """Keeps the line of the statement the code last began, which is
        the line lockviz gives a task's end: not an except or finally
        clause, nor a loop's header when the loop goes round again."""
        if event == "line":
            line = frame.f_lineno - frame.f_code.co_firstlineno
            if line in self.fn.lines and not (line in self.fn.loops and going_round(frame)):
                self.line = line
        return self.trace

    def raised_at(self, e):
        """The line of the code the exception was raised on."""
        if self.shorthand:
            return 0
        tb = e.__traceback__
        while tb is not None and tb.tb_frame is not self.frame:
            tb = tb.tb_next
        return 0 if tb is None else tb.tb_lineno - self.frame.f_code.co_firstlineno


class Asyncio:
    """The `asyncio` a task's code sees: durations in seconds, turned into
    the loop's nanoseconds as lockviz rounds them."""

    TimeoutError = TimeoutError

    def __init__(self, task):
        self.task = task

    async def sleep(self, seconds):
        task, ns = self.task, nanos(seconds)
        if task.shorthand and not task.held:
            # The think sleep begins an iteration of the shorthand's loop.
            # lockviz follows a loop that never suspends for SPIN_LIMIT
            # iterations, then yields once, as asyncio.sleep(0) would, so
            # that its live view keeps control; asyncio would not.
            if task.spins == SPIN_LIMIT:
                await _asyncio.sleep(0)
                task.spins = 0
            task.spins += 1
        if ns > 0 or not task.shorthand:
            # The shorthand sleeps only for a positive draw; code's sleep(0)
            # yields once.
            await _asyncio.sleep(ns)
            task.spins = 0

    async def wait_for(self, call, seconds):
        view = call.view
        try:
            r = await _asyncio.wait_for(call.raw, max(nanos(seconds), 1))
        except TimeoutError:
            view.task.spins = 0  # wait_for always suspends
            view.task.waiting = None
            view.task.log("timeout", lock=view.lock.name)
            raise
        view.task.spins = 0
        view.acquired()
        return r


class Shared:
    """The shared list as a task's code sees it: every write is logged."""

    def __init__(self, task, items):
        self.task, self.items = task, items

    def append(self, v):
        self.items.append(v)
        self.task.log("append", value=int(v))

    def __iter__(self):
        return iter(list(self.items))

    def __setitem__(self, where, value):
        self.items[where] = value
        self.task.log("append", value=int(value[-1]))


class Lock:
    """One lock of the scenario: the asyncio lock and who holds it, as
    lockviz counts holders (asyncio's locks do not know)."""

    def __init__(self, name, policy, impl):
        self.name, self.policy, self.impl = name, policy, impl
        self.holders = []


class LockView:
    """A lock as one task's code sees it: acquire, release, async with."""

    def __init__(self, task, lock):
        self.task, self.lock = task, lock

    def acquire(self):
        return AcquireCall(self)

    def acquired(self):
        self.task.waiting = None
        self.task.log("acquired", lock=self.lock.name)
        self.task.held.append(self.lock)
        self.lock.holders.append(self.task)

    def release(self):
        lock = self.lock
        lock.impl.release()  # raises RuntimeError on a free lock, as asyncio's do
        # asyncio's locks have no owner: a release by another task frees a
        # mutex from its holder, and gives a semaphore a permit more.
        holder = self.task
        if lock not in holder.held:
            holder = lock.holders[0] if lock.policy in ("fifo", "barging") else None
        if holder is not None:
            holder.held.remove(lock)
            lock.holders.remove(holder)
        self.task.log("released", lock=lock.name)

    async def __aenter__(self):
        await self.acquire()

    async def __aexit__(self, *exc):
        self.release()


class AcquireCall:
    """L.acquire(): the request is logged when the call is made, and the
    acquisition when an `await` of it returns; asyncio.wait_for logs its
    own."""

    def __init__(self, view):
        self.view = view
        view.task.log("request", lock=view.lock.name)
        view.task.waiting = view.lock
        view.task.events.stuck.new.append(view.task)
        self.raw = view.lock.impl.acquire()

    def __await__(self):
        r = yield from Suspensions(self.raw.__await__(), self.view.task)
        self.view.acquired()
        return r


class Suspensions:
    """An awaitable's iterator that notes when the task suspends in it, for
    the shorthand's count of iterations that never suspend."""

    def __init__(self, it, task):
        self.it, self.task = it, task

    def __iter__(self):
        return self

    def __next__(self):
        return self.send(None)

    def send(self, value):
        x = self.it.send(value)
        self.task.spins = 0
        return x

    def throw(self, *exc):
        x = self.it.throw(*exc)
        self.task.spins = 0
        return x


# ---- the run ---------------------------------------------------------------

class Events:
    """The trace, written as lockviz writes it: one JSON object a line."""

    def __init__(self, seed, out, several_locks):
        self.seed, self.out, self.several_locks = seed, out, several_locks
        self.clock = None
        self.stuck = Stuck()

    def log(self, task, event, value=None, lock=None, line=0):
        if self.out is None:
            return  # the run is over
        ns = self.clock.now
        s = '{"t": %s, "task": %s, "event": "%s"' % (seconds(ns), json_string(task.name), event)
        if value is not None:
            s += ', "value": %d' % value
        if lock is not None and self.several_locks:
            s += ', "lock": ' + json_string(lock)
        if line > 0:
            s += ', "line": %d' % line
        self.out.write(s + "}\n")


def seconds(ns):
    """ns as the trace writes a time: seconds, with no trailing zeros."""
    return "%d.%s" % (ns // 10**9, ("%09d" % (ns % 10**9)).rstrip("0") or "0")


class Stuck:
    """Whether the run gets stuck, as lockviz decides it for its exit
    status 3: a deadlock that stands when an instant's work is done (even
    if a timeout breaks it later), or tasks left waiting on a lock that a
    task ended holding."""

    def __init__(self):
        self.deadlock = None  # what it says of the first deadlock
        self.new = []         # the tasks that asked for a lock in this instant
        self.leaked = []      # the locks tasks ended holding, with who and when

    def ended(self, task):
        for lock in task.held:
            self.leaked.append((lock, task, task.events.clock.now))

    def instant_over(self, now):
        """A deadlock that formed in this instant holds a task that began to
        wait in it, and everything that task's wait leads to: so only the
        new waiters' closures are looked at, as lockviz does."""
        new, self.new = self.new, []
        if self.deadlock is not None:
            return
        for task in new:
            if self.deadlocked(task):
                self.deadlock = "deadlock at %ss: %s" % (seconds(now), self.cycle(task))
                return

    @staticmethod
    def deadlocked(task):
        """Whether every task that task's wait leads to (task, the holders of
        its lock, theirs …) waits for a lock whose every holder waits too."""
        group, seen = [task], {task}
        for t in group:
            lock = t.waiting
            if lock is None or not lock.holders or any(h.waiting is None for h in lock.holders):
                return False
            for h in lock.holders:
                if h not in seen:
                    seen.add(h)
                    group.append(h)
        return True

    @staticmethod
    def cycle(task):
        """The cycle task's wait runs into, following each lock to its first
        holder, told from its first task in the scenario's order."""
        steps, seen = [], {}
        while task not in seen:
            seen[task] = len(steps)
            steps.append((task, task.waiting))
            task = task.waiting.holders[0]
        steps = steps[seen[task]:]
        first = min(range(len(steps)), key=lambda i: steps[i][0].id)
        steps = steps[first:] + steps[:first]
        return "; ".join("%s waits for %s, held by %s" % (t.name, l.name, steps[(i + 1) % len(steps)][0].name)
                         for i, (t, l) in enumerate(steps))

    def verdict(self, tasks):
        """What lockviz says when the run is stuck, None when it is not."""
        if self.deadlock is not None:
            return self.deadlock
        locks = [lock for lock, _, _ in self.leaked]
        stranded = [t for t in tasks if not t.ended and t.waiting in locks]
        if not stranded:
            return None
        lock, task, at = self.leaked[0]
        return "%s leaked %s at %ss (line %d): %d %s forever" % (
            task.name, lock.name, seconds(at), task.line, len(stranded), "task waits" if len(stranded) == 1 else "tasks wait")


def json_string(s):
    """s as lockviz writes a JSON string."""
    out = ['"']
    for c in s:
        if c in '"\\':
            out.append("\\" + c)
        elif c < " " or c in "\u2028\u2029":
            out.append("\\u%04x" % ord(c))
        else:
            out.append(c)
    return "".join(out) + '"'


def run(out, virtual):
    """Runs the scenario, writing its events to out, until nothing is left
    to run before UNTIL, and returns what lockviz says of a run that got
    stuck (None for one that did not). Tasks still waiting then (on a
    deadlock, a leaked lock, or at UNTIL) are left as they are: closing them
    would run their finally clauses past the end of the run, so nothing is
    logged after it."""
    events = Events(SEED, out, len(LOCKS) > 1)
    loop = Loop(UNTIL, virtual, events.stuck)
    events.clock = loop._selector
    locks = {name: Lock(name, policy, make_lock(policy, permits)) for name, (policy, permits) in LOCKS.items()}
    tasks, runs, task_id = [], [], 0
    for name, count, fn, start, dists in TASKS:
        for i in range(count):
            task = Task(events, task_id, name if count == 1 else "%s-%d" % (name, i + 1), fn, start, dists)
            tasks.append(task)
            runs.append(loop.create_task(task.main(locks, [])))
            task_id += 1
    # Frames' own tracers run only while tracing is on; this keeps theirs.
    sys.settrace(lambda frame, event, arg: frame.f_trace)
    try:
        loop.run_forever()
    except Stop:
        pass
    finally:
        sys.settrace(None)
        events.out = None
    for t in runs:
        if t.done() and t.exception() is not None:
            raise t.exception()  # not the code's: the program's own
    return events.stuck.verdict(tasks)


def make_lock(policy, permits):
    if policy == "fifo":
        return _asyncio.Lock()
    if policy == "semaphore":
        return _asyncio.Semaphore(permits)
    if policy == "barging":
        return BargingLock()
    return NoLock()
