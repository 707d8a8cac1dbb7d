"""Progress of the slow steps (Maven downloading, the plugin build, the node starting): a
heartbeat line with the elapsed time every few seconds, so a step of minutes is never silent.

`Heartbeat` decides when to speak; `run_with_heartbeat` runs a command, reading its output as it
comes (the last line is shown beside the time, e.g. Maven's `Downloaded from central: …`) and
keeping the lines a failure message needs.
"""

from __future__ import annotations

import subprocess
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO

Say = Callable[[str], None]
Clock = Callable[[], float]

EVERY_S = 5.0
SHOWN_CHARS = 110  # a heartbeat stays one terminal line


class Heartbeat:
    """Says `label … N s` (and the latest `detail`) once every `every_s` seconds at most."""

    def __init__(
        self,
        say: Say,
        label: str,
        every_s: float | None = None,
        clock: Clock = time.monotonic,
        began: float | None = None,
    ) -> None:
        self.say, self.label, self.clock = say, label, clock
        self.every_s = EVERY_S if every_s is None else every_s
        self.began = clock() if began is None else began
        self.next_at = self.began + self.every_s

    def elapsed(self) -> float:
        return self.clock() - self.began

    def beat(self, detail: str = "") -> bool:
        """Speak when a beat is due; True when it spoke."""
        now = self.clock()
        if now < self.next_at:
            return False
        self.next_at = now + self.every_s
        self.say(self.line(detail))
        return True

    def line(self, detail: str = "") -> str:
        shown = f"{self.label} … {self.elapsed():.0f} s"
        if detail:
            room = SHOWN_CHARS - len(shown) - len(" ()")
            shown = f"{shown} ({_shorten(detail.strip(), room)})"
        return shown


def _shorten(text: str, room: int) -> str:
    room = max(room, 20)
    return text if len(text) <= room else "…" + text[-(room - 1) :]


@dataclass
class Output:
    """What a command printed that is worth keeping: its last lines and its error lines."""

    tail: deque[str] = field(default_factory=lambda: deque(maxlen=40))
    errors: list[str] = field(default_factory=list)
    latest: str = ""

    def add(self, line: str) -> None:
        line = line.rstrip()
        if not line:
            return
        self.tail.append(line)
        self.latest = line
        if line.startswith("[ERROR]") and len(self.errors) < 200:
            self.errors.append(line)

    def read_all(self, stream: IO[str]) -> None:
        """Every line until the writer closes; closes the stream (the reader owns it)."""
        with stream:
            for line in stream:
                self.add(line)


@dataclass(frozen=True)
class Finished:
    returncode: int
    output: Output


class StepTimedOut(Exception):
    """The command outlived its time limit and was killed."""


def run_with_heartbeat(
    argv: Sequence[str],
    heartbeat: Heartbeat,
    env: Mapping[str, str] | None = None,
    timeout_s: float | None = None,
) -> Finished:
    """Run `argv` (stdout and stderr together), beating while it runs; `heartbeat.say` gets
    the latest line it printed as the detail."""
    output = Output()
    proc = subprocess.Popen(
        list(argv),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
        errors="replace",
        env=None if env is None else dict(env),
    )
    assert proc.stdout is not None  # PIPE was asked for
    reader = threading.Thread(target=output.read_all, args=(proc.stdout,), daemon=True)
    reader.start()
    try:
        returncode = _wait(proc, heartbeat, output, timeout_s)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    # A daemon (Elasticsearch -d) may hold the pipe a moment longer than its launcher lives.
    reader.join(timeout=5.0)
    return Finished(returncode, output)


def _wait(
    proc: subprocess.Popen[str], heartbeat: Heartbeat, output: Output, timeout_s: float | None
) -> int:
    tick = min(heartbeat.every_s, 1.0)
    while True:
        try:
            return proc.wait(timeout=tick)
        except subprocess.TimeoutExpired:
            if timeout_s is not None and heartbeat.elapsed() > timeout_s:
                raise StepTimedOut(f"{heartbeat.label}: no end after {timeout_s:.0f} s") from None
            heartbeat.beat(output.latest)
