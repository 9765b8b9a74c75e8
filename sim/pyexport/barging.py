

class BargingLock:
    """The `barging` policy, which asyncio has no class for: an unfair lock,
    like threading.Lock or Go's sync.Mutex. A request on a free lock takes
    it even with waiters queued; release wakes the first waiter, which takes
    the lock only if nobody barged in first, and otherwise waits again in
    its place."""

    def __init__(self):
        self._locked = False
        self._waiters = collections.deque()

    async def acquire(self):
        if not self._locked:
            self._locked = True
            return True
        fut = _asyncio.get_running_loop().create_future()
        self._waiters.append(fut)
        while True:
            try:
                await fut
            except _asyncio.CancelledError:
                self._waiters.remove(fut)
                if not self._locked:
                    self._wake_up_first()
                raise
            if not self._locked:
                break
            new = _asyncio.get_running_loop().create_future()
            self._waiters[self._waiters.index(fut)] = new
            fut = new
        self._waiters.remove(fut)
        self._locked = True
        return True

    def release(self):
        # As asyncio.Lock and threading.Lock: releasing a free lock raises.
        if not self._locked:
            raise RuntimeError("Lock is not acquired.")
        self._locked = False
        self._wake_up_first()

    def _wake_up_first(self):
        if self._waiters and not self._waiters[0].done():
            self._waiters[0].set_result(True)
