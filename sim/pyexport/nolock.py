

class NoLock:
    """The `none` policy, which asyncio has no class for: no lock at all.
    Every acquire succeeds at once, so holders overlap."""

    async def acquire(self):
        return True

    def release(self):
        pass
