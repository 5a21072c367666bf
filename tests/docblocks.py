"""Run the shell blocks of README.md and docs/*.md as a reader would, on a fresh copy of the bundled study.

A doc is read top to bottom. Fenced blocks tagged ``sh``/``bash``/``shell``/``console`` are commands,
one per line (``# comments`` and ``\\`` continuations as in a shell). A block (of any tag) whose lines
start with ``$ `` is a console session: the ``$`` lines are run and the lines after each are output the
command must print (each non-blank line must appear in stdout+stderr, whitespace collapsed, ``...``
matching anything); when that output shows ``error:``, the command must fail (non-zero exit).

HTML comments right before a block (anywhere between the previous block and this one) steer it:

- ``<!-- doctest: skip REASON -->``  the block is not run; the test reports it as skipped by the doc.
- ``<!-- doctest: needs learn -->``  the block needs the optional extra ``qualcode[learn]``: skipped where
  it is not installed (``make test`` on a fresh machine), a failure in CI, which installs it.
- ``<!-- doctest: output -->``       the block is output: its lines must appear in what the previous
  command block printed.
- ``<!-- doctest: write PATH -->``   the block's text is written to PATH (a file the reader makes).
- ``<!-- doctest: exit N -->``       the block's last command must exit with N.
- ``<!-- doctest: setup COMMAND -->``  run COMMAND first (state a reference section assumes;
  say why in a ``# comment``); several setup markers run in order.

``qualcode`` (also ``.venv/bin/qualcode``) runs in-process through click; ``cd`` and ``export`` change
the session; ``make demo`` runs the demo's steps where the reader stands; a few plain file commands
(``cp``, ``mkdir``, ``ls``, ``cat``, ``rm``, ``mv``, ``touch``, ``echo``) run as subprocesses. Any other
program is an error that asks for a ``skip`` marker, so nothing is passed over silently.

Run one doc by hand: ``.venv/bin/python -m tests.docblocks docs/tutorial.md``.
"""
from __future__ import annotations

import glob
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
COMMAND_TAGS = {"sh", "bash", "shell", "console", "shell-session", "zsh"}
MARKER = re.compile(r"<!--\s*doctest:\s*(\w+)\s*(.*?)\s*-->")
FENCE = re.compile(r"^(\s*)(```+|~~~+)\s*([\w-]*)")
PLAIN_COMMANDS = {"cp", "mkdir", "ls", "cat", "rm", "mv", "touch", "echo"}
# The files of the bundled study that a fresh clone holds (the repository root is the study's project).
STUDY_FILES = ["qualcode.toml", "codebooks", "transcripts"]
NOT_RUN = {"cli.md": "generated from the commands' help (tests/test_docs.py checks it is current)"}


@dataclass
class Block:
    doc: str
    line: int                    # 1-based line of the opening fence
    tag: str
    text: str
    markers: dict[str, str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.doc}:{self.line}"

    @property
    def is_console(self) -> bool:
        return any(line.startswith("$ ") for line in self.text.splitlines())

    @property
    def runs(self) -> bool:
        if "write" in self.markers or "output" in self.markers:
            return True
        return self.tag in COMMAND_TAGS or self.is_console


def doc_paths() -> list[Path]:
    docs = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
    return [p for p in docs if p.name not in NOT_RUN]


def parse(path: Path) -> list[Block]:
    """Every fenced block of a Markdown file with the doctest markers written before it."""
    lines = path.read_text(encoding="utf-8").splitlines()
    name = str(path.relative_to(REPO))
    blocks, markers, i = [], {}, 0
    while i < len(lines):
        for m in MARKER.finditer(lines[i]):
            key, value = m.group(1), m.group(2)
            markers[key] = markers[key] + "\n" + value if key == "setup" and key in markers else value
        fence = FENCE.match(lines[i])
        if not fence:
            i += 1
            continue
        start, close = i, fence.group(2)
        i += 1
        body = []
        while i < len(lines) and not lines[i].strip().startswith(close):
            body.append(lines[i])
            i += 1
        blocks.append(Block(name, start + 1, fence.group(3).lower(), "\n".join(body), markers))
        markers, i = {}, i + 1
    return blocks


def runnable_blocks(path: Path) -> list[Block]:
    return [b for b in parse(path) if b.runs]


# --- commands of a block --------------------------------------------------------------------------

@dataclass
class Command:
    line: str
    expected: list[str] = field(default_factory=list)


def commands(block: Block) -> list[Command]:
    """The commands of a block; for a console session, each with the output shown after it."""
    joined = block.text.replace("\\\n", " ")
    if block.is_console:
        cmds: list[Command] = []
        for line in joined.splitlines():
            if line.startswith("$ "):
                cmds.append(Command(line[2:]))
            elif cmds and line.strip():
                cmds[-1].expected.append(line)
        return cmds
    return [Command(line) for line in joined.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def _loose(text: str) -> str:
    return " ".join(text.split())


def missing_lines(expected: list[str], output: str) -> list[str]:
    """Expected lines (whitespace collapsed, '...' = anything) that do not appear in the output."""
    have = _loose(output)
    missing = []
    for line in expected:
        parts = [re.escape(p) for p in _loose(line).split("...")]
        if not re.search(".*?".join(parts), have):
            missing.append(line.strip())
    return missing


# --- running -------------------------------------------------------------------------------------

class DocFailure(AssertionError):
    pass


@dataclass
class Result:
    exit_code: int
    output: str


class Session:
    """One reader working through one doc: a folder, a current directory, environment variables."""

    def __init__(self, root: Path):
        self.root = root
        self.cwd = root
        self.env = {"HOME": str(root.parent / "home"), "QUALCODE_CODER": None, "QUALCODE_STORE": None,
                    "NO_COLOR": "1"}
        Path(self.env["HOME"]).mkdir(exist_ok=True)
        self.last_output = ""

    def run_block(self, block: Block) -> list[str]:
        """Run a block; returns a transcript of what ran. Raises DocFailure naming doc:line."""
        if "write" in block.markers:
            target = self._path(block.markers["write"])
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(block.text + "\n", encoding="utf-8")
            return [f"wrote {target.name}"]
        if "output" in block.markers:
            self._check(block, "(previous block)", block.text.splitlines(), self.last_output)
            return []
        log, outputs = [], []
        for setup in block.markers.get("setup", "").splitlines():
            result = self.run_line(block, setup)
            if result.exit_code:
                raise DocFailure(f"{block.id}: setup `{setup}` failed\n{_tail(result.output)}")
        cmds = commands(block)
        for n, cmd in enumerate(cmds):
            result = self.run_line(block, cmd.line)
            log.append(f"$ {cmd.line.strip()}  -> exit {result.exit_code}")
            outputs.append(result.output)
            self._check_exit(block, cmd, result, last=n == len(cmds) - 1)
            self._check(block, cmd.line, cmd.expected, result.output)
        self.last_output = "\n".join(outputs)
        return log

    def _check_exit(self, block: Block, cmd: Command, result: Result, last: bool) -> None:
        if last and "exit" in block.markers:
            want = int(block.markers["exit"])
        else:
            want = None if any("error:" in e for e in cmd.expected) else 0
        ok = result.exit_code != 0 if want is None else result.exit_code == want
        if not ok:
            wanted = "a non-zero exit" if want is None else f"exit {want}"
            raise DocFailure(f"{block.id}: `{cmd.line.strip()}` exited {result.exit_code}, "
                             f"the doc expects {wanted}\n{_tail(result.output)}")

    def _check(self, block: Block, line: str, expected: list[str], output: str) -> None:
        missing = missing_lines([e for e in expected if e.strip()], output)
        if missing:
            raise DocFailure(f"{block.id}: `{line.strip()}` did not print what the doc shows:\n  "
                             + "\n  ".join(missing) + f"\nit printed:\n{_tail(output)}")

    def _path(self, name: str) -> Path:
        return (self.cwd / os.path.expanduser(name.replace("~", self.env["HOME"], 1))).resolve()

    def run_line(self, block: Block, line: str) -> Result:
        try:
            words = shlex.split(line, comments=True)
        except ValueError as exc:
            raise DocFailure(f"{block.id}: cannot read `{line}` as a shell command: {exc}") from None
        if not words:
            return Result(0, "")
        words, redirect = self._redirect(block, words)
        words = self._expand(words)
        result = self._dispatch(block, words)
        if redirect is not None:
            redirect.write_text(result.output, encoding="utf-8")
        return result

    def _redirect(self, block: Block, words: list[str]) -> tuple[list[str], Path | None]:
        if any(w in ("|", "&&", ";", "||") for w in words):
            raise DocFailure(f"{block.id}: pipes and command lists are not run by the doc tests; "
                             "split the line or mark the block <!-- doctest: skip REASON -->")
        if ">" in words:
            at = words.index(">")
            return words[:at], self._path(words[at + 1])
        return words, None

    def _expand(self, words: list[str]) -> list[str]:
        out = []
        for w in words:
            if w.startswith("~"):
                w = self.env["HOME"] + w[1:]
            if any(c in w for c in "*?["):
                matches = sorted(glob.glob(w, root_dir=self.cwd))
                out.extend(matches or [w])
            else:
                out.append(w)
        return out

    def _dispatch(self, block: Block, words: list[str]) -> Result:
        prog = words[0]
        if prog == "qualcode" or prog.endswith("/qualcode"):
            return self.qualcode(words[1:])
        if prog == "cd":
            target = self._path(words[1] if len(words) > 1 else self.env["HOME"])
            if not target.is_dir():
                return Result(1, f"cd: {words[1]}: No such file or directory")
            self.cwd = target
            return Result(0, "")
        if prog == "export":
            for assignment in words[1:]:
                key, _, value = assignment.partition("=")
                self.env[key] = value
            return Result(0, "")
        if words == ["make", "demo"]:
            return self.demo()
        if prog in PLAIN_COMMANDS:
            proc = subprocess.run(words, cwd=self.cwd, capture_output=True, text=True,
                                  env={**os.environ, **{k: v for k, v in self.env.items() if v}})
            return Result(proc.returncode, proc.stdout + proc.stderr)
        raise DocFailure(f"{block.id}: `{' '.join(words)}`: the doc tests do not run '{prog}'; "
                         "mark the block <!-- doctest: skip REASON --> if a reader cannot run it here")

    def qualcode(self, args: list[str]) -> Result:
        from click.testing import CliRunner

        from qualcode.cli import cli

        old = os.getcwd()
        os.chdir(self.cwd)
        try:
            result = CliRunner().invoke(cli, args, env=self.env, catch_exceptions=True,
                                        prog_name="qualcode")
        finally:
            os.chdir(old)
        output = result.output
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            output += "\n" + "".join(traceback.format_exception(result.exception))
            return Result(result.exit_code or 99, output)
        return Result(result.exit_code, output)

    def demo(self) -> Result:
        from qualcode.demo import steps

        (self.cwd / "out").mkdir(exist_ok=True)
        old = os.getcwd()
        os.chdir(self.cwd)
        try:
            runs = [self.qualcode(args) for args in steps()]
        finally:
            os.chdir(old)
        failed = [r for r in runs if r.exit_code]
        return failed[0] if failed else Result(0, "\n".join(r.output for r in runs))


def _tail(text: str, lines: int = 25) -> str:
    body = text.rstrip().splitlines()
    return "\n".join(("    " + s) for s in body[-lines:]) or "    (nothing)"


def fresh_study(dest: Path, template: Path | None = None) -> Path:
    """A copy of the bundled study as a fresh clone has it, after `make demo` (from `template` if given)."""
    if template is not None:
        shutil.copytree(template, dest)
        return dest
    dest.mkdir(parents=True)
    for name in STUDY_FILES:
        src = REPO / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, dest / name)
    result = Session(dest).demo()
    if result.exit_code:
        raise DocFailure(f"make demo failed on a fresh copy of the study:\n{_tail(result.output)}")
    return dest


def main(argv: list[str]) -> int:
    """Run the given docs (default: all) and print each block's outcome."""
    import tempfile

    paths = [REPO / a for a in argv] or doc_paths()
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        template = fresh_study(Path(tmp) / "template")
        for path in paths:
            session = Session(fresh_study(Path(tmp) / path.stem / "study", template))
            for block in runnable_blocks(path):
                if "skip" in block.markers:
                    print(f"SKIP {block.id}: skipped by the doc: {block.markers['skip']}")
                    continue
                try:
                    began = time.perf_counter()
                    session.run_block(block)
                    print(f"ok   {block.id} ({time.perf_counter() - began:.1f} s)")
                except DocFailure as exc:
                    failures += 1
                    print(f"FAIL {exc}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
