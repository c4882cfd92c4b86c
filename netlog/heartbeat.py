"""Beat's heartbeat: a file in the temporary folder (/tmp in the container) that
netlog.beat.Scheduler touches after every tick it completes (at least every few
seconds). `python -m netlog.heartbeat` is the beat container's health check: it fails
when the file is missing or over a minute old, that is when beat has stopped or is
stuck (on a lost database, say). No Django here: the check runs every 30 seconds."""

import sys
import tempfile
import time
from pathlib import Path

STALE_AFTER = 60  # seconds; DatabaseScheduler ticks at least every 5


def path() -> Path:
    return Path(tempfile.gettempdir()) / "netlog-beat.alive"


def beat() -> None:
    path().touch()


def fresh(now: float | None = None) -> bool:
    try:
        age = (time.time() if now is None else now) - path().stat().st_mtime
    except FileNotFoundError:
        return False
    return age <= STALE_AFTER


if __name__ == "__main__":
    sys.exit(0 if fresh() else 1)
