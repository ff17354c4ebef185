"""Work done aside: a function worked out in a forked process while this one goes on
(collect's log rows, the check of a large master's parts while they are compressed)."""
from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import sys
from typing import Any, Callable


class Aside:
    """`fn(*args)` worked out in a forked process while this one goes on; `result()`
    waits for it.  Worked out here instead where no process can be forked (Windows, a
    sandbox), and again here if the process dies or `fn` fails there: its error, if any,
    is raised here as it would be without the process."""

    def __init__(self, fn: Callable[..., Any], *args: Any, worth: bool = True):
        self.fn, self.args = fn, args
        self.process = self.conn = None
        if not worth or "fork" not in multiprocessing.get_all_start_methods():
            return
        for stream in (sys.stdout, sys.stderr):    # a forked copy of unwritten output is not written twice
            try:
                stream.flush()
            except (AttributeError, OSError, ValueError):
                pass
        try:
            context = multiprocessing.get_context("fork")
            self.conn, end = context.Pipe(duplex=False)
            self.process = context.Process(target=_aside, args=(end, fn, args), daemon=True)
            self.process.start()
            end.close()
        except OSError:
            self.process = None

    def result(self) -> Any:
        if self.process is not None:
            process, self.process = self.process, None
            try:
                return self.conn.recv()      # before join: a large result fills the pipe
            except (EOFError, OSError):
                pass                         # it died or failed: worked out here
            finally:
                self.conn.close()
                process.join()
        return self.fn(*self.args)


    def discard(self) -> None:
        """The result no longer wanted (the command stopped): the process ended."""
        if self.process is not None:
            process, self.process = self.process, None
            process.terminate()
            process.join()
            self.conn.close()


def _aside(conn, fn: Callable[..., Any], args: tuple) -> None:
    """In the forked process: the result sent back; nothing when `fn` fails."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.disable()        # short-lived: a collection would touch (and so copy) every page of the heap
    try:
        conn.send(fn(*args))
    except Exception:
        pass
    finally:
        conn.close()
    os._exit(0)
