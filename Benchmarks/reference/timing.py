"""Wall-time sampling with the rule of TaskTrace's Benchmarks/Timing.swift."""
import time


def timed_seconds(body, budget, minimum=10, maximum=1000, warmup=3):
    """Wall times in seconds of `body()`: after `warmup` untimed runs and one probe run, as many
    runs as fit in about `budget` seconds (at least `minimum`, at most `maximum`)."""
    for _ in range(warmup):
        body()
    start = time.perf_counter()
    body()
    probe = time.perf_counter() - start
    repetitions = min(maximum, max(minimum, int(budget / max(probe, 1e-9))))
    times = []
    for _ in range(repetitions):
        start = time.perf_counter()
        body()
        times.append(time.perf_counter() - start)
    return times


def median(values):
    """The middle value (the upper middle of an even count), as Timing.swift's median."""
    return sorted(values)[len(values) // 2]
