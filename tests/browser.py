"""Open a local HTML page in headless Chromium and report what a reader would meet.

Talks the DevTools protocol over ``--remote-debugging-pipe`` (file descriptors
3 and 4, messages separated by NUL bytes), so it needs nothing but Debian's
``chromium`` package: no driver, no websocket library. The network is
switched off before the page loads, so a page that needs anything from
outside shows up as failed requests.
"""

from __future__ import annotations

import base64
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
    "--no-default-browser-check", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--disable-extensions", "--mute-audio", "--remote-debugging-pipe",
)

# Every <img> decoded: its alt text, natural size and whether decoding succeeded.
IMAGES_SCRIPT = """
Promise.all(Array.from(document.images).map(image => image.decode().then(
    () => ({alt: image.alt, width: image.naturalWidth, height: image.naturalHeight, decoded: true}),
    () => ({alt: image.alt, width: image.naturalWidth, height: image.naturalHeight, decoded: false}))))
"""


@dataclass
class PageReport:
    title: str = ""
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    images: list[dict] = field(default_factory=list)
    screenshot: bytes | None = None


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if path := shutil.which(name):
            return path
    return None


class _Pipe:
    def __init__(self, process: subprocess.Popen, to_browser: int, from_browser: int):
        self.process, self.to_browser, self.from_browser = process, to_browser, from_browser
        self.buffer = b""
        self.next_id = 0
        self.events: list[dict] = []

    def send(self, method: str, params: dict | None = None, session: str | None = None, timeout: float = 60) -> dict:
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        reply = self._read_until(lambda item: item.get("id") == self.next_id, timeout)
        if "error" in reply:
            raise RuntimeError(f"Chromium refused {method}: {reply['error']}")
        return reply.get("result", {})

    def wait_for(self, method: str, timeout: float = 60) -> dict:
        for index, event in enumerate(self.events):
            if event.get("method") == method:
                return self.events.pop(index)
        return self._read_until(lambda item: item.get("method") == method, timeout)

    def _read_until(self, wanted, timeout: float) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            while b"\0" in self.buffer:
                raw, self.buffer = self.buffer.split(b"\0", 1)
                item = json.loads(raw)
                if wanted(item):
                    if "method" in item:
                        self.events.append(item)  # events stay visible to the caller's checks
                    return item
                if "method" in item:
                    self.events.append(item)
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("Chromium did not answer in time")
            ready, _, _ = select.select([self.from_browser], [], [], left)
            if ready:
                chunk = os.read(self.from_browser, 1 << 20)
                if not chunk:
                    raise RuntimeError(f"Chromium exited (status {self.process.poll()})")
                self.buffer += chunk


def check_page(page: Path, chromium: str, screenshot: bool = False, timeout: float = 60) -> PageReport:
    """Load ``page`` offline in headless Chromium; return its title, console
    errors, failed requests and every image's decoding result."""
    to_read, to_browser = os.pipe()  # the browser reads fd 3
    from_browser, to_write = os.pipe()  # and writes fd 4

    def wire_descriptors():
        # Copies first, so neither end can be overwritten by the other's dup2.
        reading, writing = os.dup(to_read), os.dup(to_write)
        os.dup2(reading, 3)
        os.dup2(writing, 4)
        os.set_inheritable(3, True)
        os.set_inheritable(4, True)

    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        process = subprocess.Popen(
            [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=wire_descriptors, close_fds=False,  # fds 3 and 4 must reach the browser
        )
        os.close(to_read)
        os.close(to_write)
        pipe = _Pipe(process, to_browser, from_browser)
        try:
            target = pipe.send("Target.createTarget", {"url": "about:blank"})["targetId"]
            session = pipe.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
            for domain in ("Page", "Runtime", "Log", "Network"):
                pipe.send(f"{domain}.enable", session=session)
            pipe.send("Network.emulateNetworkConditions",
                      {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}, session=session)
            pipe.send("Page.navigate", {"url": page.resolve().as_uri()}, session=session)
            pipe.wait_for("Page.loadEventFired", timeout)
            result = pipe.send("Runtime.evaluate", {"expression": IMAGES_SCRIPT, "awaitPromise": True, "returnByValue": True},
                               session=session, timeout=timeout)
            report = PageReport(images=result["result"]["value"])
            report.title = pipe.send("Runtime.evaluate", {"expression": "document.title", "returnByValue": True}, session=session)["result"]["value"]
            if screenshot:
                shot = pipe.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}, session=session)
                report.screenshot = base64.b64decode(shot["data"])
            for event in pipe.events:
                method, params = event.get("method"), event.get("params", {})
                if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert", "warning"):
                    report.console_errors.append(" ".join(str(arg.get("value", arg.get("description", ""))) for arg in params.get("args", [])))
                elif method == "Runtime.exceptionThrown":
                    report.console_errors.append(params["exceptionDetails"].get("text", "exception"))
                elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                    report.console_errors.append(params["entry"].get("text", ""))
                elif method == "Network.loadingFailed":
                    report.failed_requests.append(params.get("errorText", "") + " " + params.get("requestId", ""))
            return report
        finally:
            try:
                pipe.send("Browser.close", timeout=10)
            except (RuntimeError, TimeoutError, OSError):
                pass
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            os.close(to_browser)
            os.close(from_browser)
