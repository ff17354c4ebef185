"""LibreOffice, the real spreadsheet program here: convert files headless."""
from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

SOFFICE = shutil.which("soffice")
needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")


def convert(src: Path, fmt: str, outdir: Path) -> Path:
    """Convert with a private profile, so parallel or repeated runs never clash."""
    profile = Path("/tmp") / f"xltools_lo_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    try:
        subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation=file://{profile}", "--convert-to", fmt,
                        "--outdir", str(outdir), str(src)], check=True, capture_output=True, timeout=180)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    out = outdir / (src.stem + "." + fmt.split(":")[0])
    assert out.exists() and out.stat().st_size > 0, f"LibreOffice did not write {out}"
    return out
