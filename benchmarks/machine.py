"""The machine a benchmark ran on, as its first line says: figures from two runs compare only on the same CPU.

``platform.processor()`` is empty on Linux and ``platform.machine()`` only says ``x86_64``; the
same benchmark has measured bare extraction at 4.4 ms of CPU a page on one of this project's
2-core machines and 11.1 ms on another, and our crawl 1.5x and 2.2x its rate.
"""

import os
import platform


def processor() -> str:
    """The CPU's model name (``/proc/cpuinfo`` on Linux), else what :mod:`platform` knows of it."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as cpuinfo:
            for line in cpuinfo:
                name, _, value = line.partition(":")
                if name.strip() == "model name" and value.strip():
                    return value.strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0))


def described() -> str:
    """``<CPU model>, <n> cores, Python <version>``."""
    return f"{processor()}, {cores()} cores, Python {platform.python_version()}"
