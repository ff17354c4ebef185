"""Opening a result with this computer's default program for it (WPS, Excel, LibreOffice,
the file manager for a folder).  `launch` is the one place the page starts another
program: by argument list, never through a shell; the server checks the path first."""
from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

__all__ = ["OPENABLE", "launch"]

# What the page offers to open: the documents xltools reads and writes, and folders.
# Nothing that runs (.exe, .bat, .lnk, .desktop, scripts) is ever handed to the system.
OPENABLE = (".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".docx", ".txt")


def launch(path: Path) -> None:
    """Open `path` with its default program; OSError when the system has no opener."""
    if sys.platform == "win32":
        os.startfile(str(path))                                  # noqa: the file's default action ("open")
        return
    if sys.platform == "darwin":
        command = ["open", str(path)]
    elif tool := shutil.which("xdg-open"):
        command = [tool, str(path)]
    elif tool := shutil.which("gio"):
        command = [tool, "open", str(path)]
    else:
        raise OSError(errno.ENOENT, "xdg-open / gio", str(path))
    subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                     start_new_session=True, close_fds=True)
