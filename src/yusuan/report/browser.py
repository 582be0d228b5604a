"""Print an HTML file to PDF or PNG with headless Chromium, when it is installed."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_chromium() -> str | None:
    for name in CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    return None


def render(html: str | Path, target: str | Path, *, width: int = 800, height: int = 3000,
           timeout: float = 90) -> Path:
    """Render ``html`` (a file) to ``target``: ``.pdf`` prints, ``.png`` takes a screenshot.

    Runs Chromium headless with a throw-away profile and no network
    features.  Raises ``RuntimeError`` when Chromium is missing or fails.
    """
    exe = find_chromium()
    if exe is None:
        raise RuntimeError("未找到 Chromium，无法生成 PDF/PNG（apt-get install chromium）。 "
                           "Chromium not found.")
    source = Path(html).resolve()
    out = Path(target).resolve()
    with tempfile.TemporaryDirectory(prefix="yusuan-chromium-") as profile:
        args = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                f"--user-data-dir={profile}"]
        if out.suffix.lower() == ".pdf":
            args += ["--no-pdf-header-footer", f"--print-to-pdf={out}"]
        else:
            args += [f"--window-size={width},{height}", f"--screenshot={out}"]
        args.append(source.as_uri())
        proc = subprocess.run(args, capture_output=True, timeout=timeout, check=False)
    if not out.exists() or out.stat().st_size == 0:
        raise RuntimeError(f"Chromium 渲染失败 (rendering failed): {proc.stderr[-400:]!r}")
    return out
