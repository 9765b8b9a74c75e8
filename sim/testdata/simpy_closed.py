"""The closed model of BenchmarkEngine in SimPy 2 (Debian's python3-simpy),
for comparing speeds: N tasks think for exponential times, then hold one
Resource(capacity=1) for exponential times, FIFO.

usage: simpy_closed.py N ACQUISITIONS [THINK HOLD]; the mean think and hold
in seconds default to N/20 and 0.04. Prints the acquisitions per second.
"""
import random
import sys
import time

from SimPy.Simulation import Process, Resource, activate, hold, initialize, release, request, simulate, stopSimulation

n, target = int(sys.argv[1]), int(sys.argv[2])
think, serve = (float(sys.argv[3]), float(sys.argv[4])) if len(sys.argv) > 4 else (n * 0.05, 0.04)
done = 0


class Task(Process):
    def run(self, lock, rng):
        global done
        while True:
            yield hold, self, rng.expovariate(1 / think)
            yield request, self, lock
            yield hold, self, rng.expovariate(1 / serve)
            yield release, self, lock
            done += 1
            if done >= target:
                stopSimulation()


initialize()
lock = Resource(capacity=1)
rng = random.Random(1)
for i in range(n):
    p = Task()
    activate(p, p.run(lock, rng))
start = time.perf_counter()
simulate(until=1e12)
print(f"{done / (time.perf_counter() - start):.0f}")
