"""The local page in a real headless Chromium (Debian's chromium and chromium-driver),
for the tests and scripts/ui_screenshots.py: a server on a free loopback port, a browser
at 1366×768 that types paths, presses buttons and waits for what the page shows."""
from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

WIDTH, HEIGHT = 1366, 768
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
DRIVER = shutil.which("chromedriver")


def have_browser() -> bool:
    try:
        import selenium  # noqa: F401
    except ImportError:
        return False
    return bool(CHROMIUM and DRIVER)


class Server:
    """make_app on 127.0.0.1:<free port> in a thread, as `xltools ui` serves it."""

    def __init__(self, roots: list[Path], token: str = "browser-token"):
        import logging
        from werkzeug.serving import make_server
        from xltools.ui import make_app
        logging.getLogger("werkzeug").setLevel(logging.ERROR)     # no line per request
        self.app = make_app(roots, token)
        self.httpd = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/?token={token}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class Browser:
    def __init__(self, url: str):
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                    f"--window-size={WIDTH},{HEIGHT}", "--lang=zh-CN", "--force-device-scale-factor=1"):
            options.add_argument(arg)
        self.driver = webdriver.Chrome(service=Service(DRIVER), options=options)
        self.driver.set_window_size(WIDTH, HEIGHT)
        inner_w, inner_h = self.driver.execute_script("return [innerWidth, innerHeight]")
        self.driver.set_window_size(2 * WIDTH - inner_w, 2 * HEIGHT - inner_h)   # the page itself 1366×768
        self.driver.get(url)
        self.wait(lambda: self.js("return document.readyState") == "complete" and self.text("validate-run"))

    def js(self, script: str, *args):
        return self.driver.execute_script(script, *args)

    def el(self, id_: str):
        from selenium.webdriver.common.by import By
        return self.driver.find_element(By.ID, id_)

    def text(self, id_: str) -> str:
        return self.el(id_).text

    def tab(self, name: str) -> None:
        from selenium.webdriver.common.by import By
        self.driver.find_element(By.CSS_SELECTOR, f'#tabs button[data-tab="{name}"]').click()

    def fill(self, id_: str, value: str) -> None:
        box = self.el(id_)
        box.clear()
        box.send_keys(str(value))

    def click(self, id_: str) -> None:
        self.el(id_).click()

    def wait(self, ok, timeout: float = 120.0):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            got = ok()
            if got:
                return got
            time.sleep(0.1)
        raise AssertionError(f"the page did not get there in {timeout:.0f} s: {self.driver.current_url}")

    def wait_done(self, id_: str, timeout: float = 120.0) -> str:
        """The message of a button once its work ended (not 正在处理…)."""
        texts = self.js("return JSON.parse(document.getElementById('texts').textContent)")
        working = {texts[lang]["ui-working"] for lang in ("zh", "en")}
        return self.wait(lambda: (t := self.text(id_)) and t not in working and t, timeout)

    def rows(self, table: str) -> list[list[str]]:
        return self.js(f"return [...document.querySelectorAll('#{table} tbody tr')].map("
                       "r => [...r.cells].map(c => c.textContent))")

    def rows_of(self, list_id: str) -> list[str]:
        return self.js(f"return [...document.querySelectorAll('#{list_id} li')].map(li => li.textContent)")

    def cut_off(self) -> list[str]:
        """What does not fit at 1366 wide: the page scrolling sideways, or a button or label
        whose text runs past its box."""
        return self.js("""
            const out = [];
            if (document.documentElement.scrollWidth > window.innerWidth) out.push('page ' + document.documentElement.scrollWidth);
            document.querySelectorAll('button, label, h1, h2, h3, th').forEach(e => {
              if (e.offsetParent && e.scrollWidth > e.clientWidth + 1) out.push(e.id || e.textContent);
            });
            return out;""")

    def shot(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.driver.save_screenshot(str(path))
        return path

    def close(self) -> None:
        self.driver.quit()
