"""Screenshots of the local page (xltools ui) at 1366×768 into docs/screenshots/*.png.

The browser tests take them (tests/test_ui_browser.py drives every page in headless
Chromium and checks nothing is cut off); this runs those tests with the screenshots kept
here.  Needs chromium, chromium-driver, selenium and a Chinese font (fonts-noto-cjk).

    python scripts/ui_screenshots.py
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    out = ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "XLTOOLS_UI_SHOTS": str(out), "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           str(ROOT / "tests" / "test_ui_browser.py")], env=env, cwd=ROOT)
    print("\n".join(sorted(str(p.relative_to(ROOT)) for p in out.glob("*.png"))))
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
