"""Benchmark (not a test): pages per second of ``scrapy reextract`` with worker processes, against one process.

Run from the repository root::

    python -m benchmarks.reextract_bench                 # 5,000 article pages
    python -m benchmarks.reextract_bench --size 1000 --rounds 1

It generates (once, cached) the mirror of ``--size`` article pages that
:mod:`benchmarks.throughput_bench` crawls (:mod:`benchmarks.generated_mirror`), crawls it
once into a fresh archive with its WARC files, then re-extracts that archive in
``--rounds`` rounds, each with the worker processes a crawl uses (``ARCHIVE_WORKER_PROCESSES``
unset: one per core), with them at the command's own priority (``ARCHIVE_WORKER_NICENESS=0``:
on a machine where other work runs, workers that yield get less than their share) and in the
command's own process (``ARCHIVE_WORKER_PROCESSES=0``), the order reversed each round; the
round with the median ratio of the workers to one process is reported. Every page is read from
its WARC record and extracted again; the archive was written by the same code, so nothing
changes and every run does the same work. Each time counts the whole command, start-up
included. Both runs must print the same summary.
"""

import argparse
import os
import subprocess
import tempfile
import time
from pathlib import Path

from benchmarks import generated_mirror, machine
from benchmarks.throughput_bench import REPO, ServedMirror, our_crawl, scrapy_command

GOAL_RATIO = 1.6  # re-extraction in the workers against one process
ROUNDS = 3
# Each round's runs: the workers as configured (ARCHIVE_WORKER_NICENESS: yielding to this process, and so
# to any other work on the machine), at the command's own priority, and no workers.
RUNS = {"workers": {}, "workers at its priority": {"ARCHIVE_WORKER_NICENESS": "0"},
        "one process": {"ARCHIVE_WORKER_PROCESSES": "0"}}


def reextract(archive: Path, **settings: str) -> tuple[float, str]:
    """Seconds ``scrapy reextract`` took over ``archive``, and its summary line."""
    command = scrapy_command("reextract", "-s", f"ARCHIVE_DB={archive}")
    for name, value in settings.items():
        command += ["-s", f"{name}={value}"]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"scrapy reextract failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return seconds, done.stdout.strip()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=5000, help="article pages in the generated mirror")
    parser.add_argument("--seed", type=int, default=generated_mirror.SEED)
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    args = parser.parse_args(argv)

    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"machine: {machine.described()}; "
          f"load average before the run {load} (other work running beside it shows here)")
    root = generated_mirror.mirror(args.size, args.seed)
    days = sorted({a["published_at"][:10] for a in generated_mirror.articles(args.size, args.seed)})
    with tempfile.TemporaryDirectory() as scratch:
        with ServedMirror(root) as mirror:
            crawl = our_crawl(mirror, Path(scratch), days)
        archive, pages = crawl["archive"], crawl["pages"]
        print(f"archive: {pages:,} articles crawled from the mirror in {crawl['seconds']:.1f} s, with their WARC files")

        rounds = []
        for number in range(args.rounds):
            order = list(RUNS) if number % 2 == 0 else list(reversed(RUNS))
            runs = {name: reextract(archive, **RUNS[name]) for name in order}
            summaries = {summary for _, summary in runs.values()}
            if len(summaries) != 1:
                raise SystemExit(f"the runs differ: {runs}")
            ratio = runs["one process"][0] / runs["workers"][0]
            print(f"round {number + 1}: " + ", ".join(f"{name} {pages / seconds:.1f} pages/s"
                                                      for name, (seconds, _) in runs.items()) + f"; {ratio:.2f}x")
            rounds.append((ratio, runs))
    ratio, runs = sorted(rounds, key=lambda round_: round_[0])[(len(rounds) - 1) // 2]
    print()
    print(f"summary of each run: {runs['workers'][1]}")
    print(f"{'':<50} {'seconds':>8} {'pages/s':>8} {'x one process':>14}")
    for name in ("one process", "workers", "workers at its priority"):
        seconds = runs[name][0]
        print(f"{'scrapy reextract, ' + name:<50} {seconds:>8.1f} {pages / seconds:>8.1f} "
              f"{runs['one process'][0] / seconds:>14.2f}")
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"load average after the run {load}")
    print(f"reextract in the workers: {ratio:.2f}x one process (goal {GOAL_RATIO}x), the median of {len(rounds)} "
          f"round{'s' if len(rounds) > 1 else ''} ({', '.join(f'{r:.2f}x' for r, _ in rounds)})")


if __name__ == "__main__":
    main()
