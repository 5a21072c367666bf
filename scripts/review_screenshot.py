"""Draw the review app on the bundled study in an 80x24 terminal (Textual's headless pilot) and save
it as docs/img/review-app.svg: `qualcode review --group young-person`, then `n` once.

    .venv/bin/python scripts/review_screenshot.py

Prints the file written.
"""
from __future__ import annotations

import asyncio
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qualcode.cli import cli  # noqa: E402


def qualcode(args: list[str], cwd: Path) -> None:
    old = os.getcwd()
    os.chdir(cwd)
    try:
        cli.main(["-q", *args], prog_name="qualcode", standalone_mode=False)
    finally:
        os.chdir(old)


async def draw(root: Path, path: Path) -> None:
    from qualcode.review.app import ReviewApp
    from qualcode.review.view_model import ReviewFilter
    from qualcode.store import open_project

    app = ReviewApp(open_project(root), ReviewFilter(group="young-person"), by="analyst")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        app.save_screenshot(path.name, str(path.parent))


def main() -> int:
    target = ROOT / "docs" / "img" / "review-app.svg"
    with tempfile.TemporaryDirectory(prefix="qualcode-review-") as tmp:
        root = Path(tmp)
        for folder in ("transcripts", "codebooks"):
            shutil.copytree(ROOT / folder, root / folder)
        shutil.copy(ROOT / "qualcode.toml", root / "qualcode.toml")
        files = sorted(str(p.relative_to(root)) for ext in ("txt", "docx", "vtt")
                       for p in (root / "transcripts").glob(f"*.{ext}"))
        qualcode(["import", *files, "--participants", "transcripts/roster.csv"], root)
        qualcode(["autocode"], root)
        asyncio.run(draw(root, target))
    print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
