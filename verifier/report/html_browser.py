"""Headless Chromium on an HTML report: the README's screenshot, and the DOM for the tests.

    derivcheck verify --format html --output report.html
    python -m verifier.report.html_browser report.html --screenshot docs/report.png \\
        --filter "verdict=refuted,conditional"

Only Chromium's command line is used (``--screenshot``, ``--dump-dom``, ``--print-to-pdf``),
so nothing beyond the browser itself (Debian's ``chromium``) is needed.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

__all__ = ["console_messages", "find_chromium", "run_chromium", "screenshot"]

DEFAULT_CHROMIUM = "/usr/bin/chromium"

# A fresh, quiet, offline-minded browser: no first-run UI, no background fetches, no QUIC;
# page console messages go to stderr ("...:CONSOLE(...)] "text", source: ...").
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
    "--enable-logging=stderr",
    "--v=0",
)


def find_chromium() -> str | None:
    """Debian's ``chromium`` (or ``$CHROMIUM``), if installed."""
    for candidate in (os.environ.get("CHROMIUM"), DEFAULT_CHROMIUM, shutil.which("chromium")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def run_chromium(
    url: str,
    *args: str,
    user_data_dir: Path,
    timeout: float = 120.0,
    chromium: str | None = None,
) -> subprocess.CompletedProcess[str]:
    exe = chromium or find_chromium()
    if exe is None:
        raise FileNotFoundError("chromium is not installed (apt-get install chromium)")
    cmd = [exe, *FLAGS, f"--user-data-dir={user_data_dir}", *args, url]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)


_CONSOLE = re.compile(r":CONSOLE[:(\d)]*\]\s*(.*)$")


def console_messages(stderr: str) -> list[str]:
    """The page's console messages (any level) that Chromium logged to stderr."""
    return [m.group(1) for line in stderr.splitlines() if (m := _CONSOLE.search(line))]


def screenshot(
    page: Path,
    png: Path,
    width: int = 1280,
    height: int = 2000,
    user_data_dir: Path | None = None,
    query: str = "",
) -> subprocess.CompletedProcess[str]:
    """A PNG of the top ``width``×``height`` pixels of the page (``query``: its filters)."""
    url = page.resolve().as_uri() + (f"?{query}" if query else "")
    with tempfile.TemporaryDirectory(prefix="derivcheck-chromium-") as tmp:
        done = run_chromium(
            url,
            f"--window-size={width},{height}",
            f"--screenshot={png.resolve()}",
            "--virtual-time-budget=5000",
            user_data_dir=user_data_dir or Path(tmp),
        )
    if not png.exists():
        raise RuntimeError(f"chromium wrote no screenshot: {done.stderr[-2000:]}")
    return done


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m verifier.report.html_browser",
                                description="Screenshot an HTML report with headless Chromium.")
    p.add_argument("report", type=Path, help="the HTML report (derivcheck ... --format html)")
    p.add_argument("--screenshot", type=Path, required=True, metavar="PNG")
    p.add_argument("--size", default="1280x2000", help="WIDTHxHEIGHT in pixels")
    p.add_argument("--filter", default="", metavar="QUERY",
                   help='preset filters, e.g. "verdict=refuted,conditional&note=000"')
    args = p.parse_args(argv)
    width, height = (int(x) for x in args.size.lower().split("x"))
    try:
        done = screenshot(args.report, args.screenshot, width, height, query=args.filter)
    except (FileNotFoundError, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for message in console_messages(done.stderr):
        print(f"console: {message}", file=sys.stderr)
    print(f"wrote {args.screenshot} ({width}×{height})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
