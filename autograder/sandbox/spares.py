"""Children opened ahead: forked and walled off before a submission needs one, so that opening one does not wait.

    spares = SpareChildren(fork_spare, capacity=workers)   # fork_spare(config) -> (ChildConnection, zygote pid)
    child = spares.take(config, zygote_pid)   # a ready child for this config, or None: fork one as before
    spares.close()                            # the spares nobody took are killed

Each `take` (whether it found a spare or not) has a background thread fork spares of the same
config until `capacity` are waiting or being forked: one for each child that may be taken at
once, never more. A spare is only walled off (namespaces,
private root, uid, rlimits, filters), exactly as a child forked on demand; it holds no student's
file yet, and the zygote starts its time limits only when it is taken (`ARM`). A spare whose zygote
is not the current one, or that ended or wrote anything while it waited, is killed, never handed out.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from autograder.sandbox import protocol
from autograder.sandbox.connection import ChildConnection

ARM = "arm"  # the monitor message that starts a spare's time limits in the zygote
CLOSE_WAIT = 35.0  # seconds to wait for a fork in progress at close (the Sandbox's SPAWN_TIMEOUT, and some)


@dataclass
class _Spare:
    key: str
    zygote_pid: int
    child: ChildConnection


def config_key(config: dict) -> str:
    """Two spawn configs are the same when their plain data is."""
    return json.dumps(config, sort_keys=True)


def claim(child: ChildConnection) -> bool:
    """Start a waiting spare's clocks; False if it is no longer fit to use (it ended, or wrote to the grader)."""
    if protocol.wait_readable([child.call, child.monitor], 0):
        return False
    try:
        protocol.send_message(child.monitor, {"op": ARM})
    except OSError:
        return False
    child.started = time.monotonic()
    return True


class SpareChildren:
    """Children of one config waiting to be taken, and the thread that forks them; see the module docstring."""

    def __init__(self, fork_spare: Callable[[dict], tuple[ChildConnection, int]], capacity: int):
        self._fork_spare = fork_spare
        self.capacity = max(1, capacity)
        self._changed = threading.Condition()
        self._waiting: list[_Spare] = []
        self._wanted: list[dict] = []  # configs to fork a spare for
        self._forking = 0
        self._closed = False
        self._thread = threading.Thread(target=self._fork_wanted, name="sandbox-spares", daemon=True)
        self._thread.start()

    @property
    def waiting(self) -> int:
        with self._changed:
            return len(self._waiting)

    def take(self, config: dict, zygote_pid: int | None) -> ChildConnection | None:
        """A spare forked for config by this zygote, claimed; None if there is none. Asks for the next ones.

        zygote_pid: the running zygote's, or None when it is not running (every spare waiting is then unfit).
        """
        key = config_key(config)
        unfit, found = [], None
        with self._changed:
            if self._closed:
                return None
            while self._waiting and found is None:
                spare = self._waiting.pop(0)
                if spare.key == key and spare.zygote_pid == zygote_pid and claim(spare.child):
                    found = spare.child
                else:
                    unfit.append(spare.child)
            while len(self._waiting) + len(self._wanted) + self._forking < self.capacity:
                self._wanted.append(config)
            self._changed.notify()
        for child in unfit:
            child.release()
        return found

    def _fork_wanted(self) -> None:
        while True:
            with self._changed:
                while not self._closed and not self._wanted:
                    self._changed.wait()
                if self._closed:
                    return
                config = self._wanted.pop(0)
                self._forking += 1
            try:
                child, zygote_pid = self._fork_spare(config)
            except Exception:  # no zygote now, or it could not fork: the next take forks on demand
                child = None
            with self._changed:
                self._forking -= 1
                if child is not None and not self._closed:
                    self._waiting.append(_Spare(config_key(config), zygote_pid, child))
                    child = None
            if child is not None:
                child.release()

    def close(self) -> None:
        """Kill every spare nobody took, and stop forking (waiting for a fork in progress)."""
        with self._changed:
            self._closed = True
            left, self._waiting = self._waiting, []
            self._wanted.clear()
            self._changed.notify_all()
        for spare in left:
            spare.child.release()
        self._thread.join(CLOSE_WAIT)
