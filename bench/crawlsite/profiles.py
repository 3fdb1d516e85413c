"""Top costs of a profiled crawl: cProfile's stats file, or py-spy's folded stacks.

cProfile sees only the main thread (the crawl; the StorePipeline's writes run in a worker
thread and are missing) and slows the crawl about threefold; py-spy samples every thread that
is on a CPU, at little cost, so storage shows up too.

Cumulative tables list the project's own functions (files under the repository, outside its
virtualenv) — the framework's wrappers (runpy, Typer, the reactor) would fill them otherwise;
own-time tables list everything.  ``by area`` sums py-spy's own time per project module and
per third-party package (scrapy, twisted, lxml, sqlalchemy, re …).
"""

from __future__ import annotations

import io
import pstats
import re
from collections import Counter
from pathlib import Path

#: The project's packages: py-spy shortens file names to the package part
#: ("spiders/pages/links.py"), cProfile keeps them whole.
PACKAGES = ("spiders", "enrichment", "storage", "leadgen", "scoring", "bench")


def _project(path: str, root: Path) -> str | None:
    """``spiders/pages/links.py`` for a file of the project, else None."""
    file = Path(path)
    if not file.is_absolute():
        return file.as_posix() if file.parts and file.parts[0] in PACKAGES else None
    try:
        rel = file.relative_to(root)
    except ValueError:
        return None
    return None if rel.parts[0].startswith(".") else rel.as_posix()


def cprofile_top(path: Path, root: Path, count: int = 15) -> str:
    stats = pstats.Stats(str(path))
    rows = stats.stats  # (file, line, func) -> (cc, nc, tottime, cumtime, callers)
    total = max(getattr(stats, "total_tt", 0.0), 1e-9)

    def line(key, tt, ct, calls) -> str:
        file, lineno, func = key
        where = _project(file, root) or Path(file).name
        return f"{ct:8.1f} {tt:8.1f} {100 * ct / total:5.1f}% {calls:9d}  {where}:{lineno}({func})"

    out = io.StringIO()
    out.write(f"cProfile: {total:.1f} s in the main thread\n")
    head = f"{'cum s':>8} {'own s':>8} {'cum%':>6} {'calls':>9}  function\n"
    own = [
        k
        for k in rows
        if _project(k[0], root)
        and not k[0].endswith(("cli.py", "run.py", "crawling.py", "__main__.py"))
    ]
    out.write(f"\n--- cProfile, top {count} project functions by cumulative time ---\n{head}")
    for key in sorted(own, key=lambda k: -rows[k][3])[:count]:
        out.write(line(key, rows[key][2], rows[key][3], rows[key][1]) + "\n")
    out.write(f"\n--- cProfile, top {count} functions by own time ---\n{head}")
    for key in sorted(rows, key=lambda k: -rows[k][2])[:count]:
        out.write(line(key, rows[key][2], rows[key][3], rows[key][1]) + "\n")
    return out.getvalue()


_FRAME = re.compile(r"(?P<func>.*?) \((?P<file>.*?)(?::\d+)?\)$")


def _area(file: str, root: Path) -> str:
    project = _project(file, root)
    if project:
        return project
    m = re.search(r"site-packages/([^/]+)", file)
    if m:
        return m.group(1).removesuffix(".py")
    path = Path(file)
    if not path.is_absolute() and len(path.parts) > 1:
        return path.parts[0]  # py-spy's short name: the package ("scrapy", "asyncio", "re")
    return path.stem.strip("<>")  # a module of the standard library, "<frozen …>"


def pyspy_top(path: Path, root: Path, count: int = 15) -> str:
    """Inclusive and self sample shares per function from ``py-spy record --format raw``."""
    own: Counter[str] = Counter()
    total: Counter[str] = Counter()
    areas: Counter[str] = Counter()
    samples = 0
    for text in path.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, n = text.rpartition(" ")
        if not stack or not n.isdigit():
            continue
        frames = []
        for raw in stack.split(";"):
            m = _FRAME.match(raw.strip())
            if m:
                file = m.group("file")
                frames.append(
                    (f"{_project(file, root) or Path(file).name}:{m.group('func')}", file)
                )
        if not frames:
            continue
        hits = int(n)
        samples += hits
        own[frames[-1][0]] += hits
        areas[_area(frames[-1][1], root)] += hits
        for name in {
            f
            for f, file in frames
            if _project(file, root)
            and not file.endswith(("cli.py", "run.py", "crawling.py", "__main__.py"))
        }:
            total[name] += hits
    lines = [f"py-spy: {samples} samples (all threads, idle excluded)"]
    for title, counter in (
        ("project functions by inclusive time", total),
        ("functions by own time", own),
        ("areas by own time", areas),
    ):
        lines.append(f"\n--- py-spy, top {count} {title} ---")
        for name, hits in counter.most_common(count):
            lines.append(f"{100 * hits / max(samples, 1):6.1f}%  {name}")
    return "\n".join(lines)
