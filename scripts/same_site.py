"""Does a change leave the built site as it was? Builds the test site (tests/site/data) and the 1×
synthetic national set (benchmarks/synthetic.py) at two git revisions, each from its own
`git archive` in a temporary folder, and compares the two outputs file by file.

    python scripts/same_site.py BASE [NEW]    # NEW defaults to HEAD
    python scripts/same_site.py 2dd9015 --no-synthetic   # the test site only (seconds, not minutes)

Every file must be byte-identical, but the Pagefind files whose names and bytes change from run
to run whatever the input (docs/search.md): those must hold the same filters and the same index
metadata, as tests/test_incremental.py checks. Exit status 0 when the sites are the same.
The synthetic set is generated once, by this checkout's benchmarks/synthetic.py, for both.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from pagefind_files import decode, filters, is_unstable  # noqa: E402

from benchmarks import synthetic  # noqa: E402

SITE_TODAY = "2026-12-06"  # tests/conftest.py's TODAY


def checkout(revision: str, where: Path) -> Path:
    """The revision's files (no .git), as `git archive` gives them."""
    where.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", revision],
        capture_output=True,
        check=True,
    ).stdout
    archive_path = where.parent / f"{where.name}.tar"
    archive_path.write_bytes(archive)
    with tarfile.open(archive_path) as tar:
        tar.extractall(where, filter="data")
    archive_path.unlink()
    return where


def project(source: Path, where: Path, data: Path, today: str) -> Path:
    """As tests/conftest.make_project: the revision's settings, content, theme and plugin."""
    where.mkdir(parents=True)
    settings = (source / "pelicanconf.py").read_text(encoding="utf-8")
    (where / "pelicanconf.py").write_text(settings + f'\nUHC_TODAY = "{today}"\n', "utf-8")
    for name in ("content", "theme", "plugins"):
        (where / name).symlink_to(source / name)
    shutil.copytree(data, where / "data")
    return where


def build(source: Path, project_dir: Path) -> Path:
    """`python -m uhc_portal build` with the revision's own plugin, in a fresh process."""
    output = project_dir / "output"
    env = dict(os.environ, PYTHONPATH=str(source / "plugins"), PYTHONHASHSEED="0")
    command = [sys.executable, "-m", "uhc_portal", "build", "--settings"]
    command += [str(project_dir / "pelicanconf.py"), "--output", str(output)]
    subprocess.run(command, cwd=project_dir, env=env, check=True, stdout=subprocess.DEVNULL)
    return output


def files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def differences(first: Path, second: Path) -> list[str]:
    """Every file that differs or is in one output only, but Pagefind's run-dependent files;
    those compared by what they hold (tests/test_incremental.py's assert_same_site)."""
    a, b = files(first), files(second)
    found = [n for n in sorted(a.keys() | b.keys()) if not is_unstable(n) and a.get(n) != b.get(n)]
    kinds = [sorted(n.split("_")[0] for n in tree if is_unstable(n)) for tree in (a, b)]
    if kinds[0] != kinds[1]:
        found.append("Pagefind's run-dependent files: not the same files")
    entries = sorted(n for n in a.keys() & b.keys() if n.endswith("pagefind/pagefind-entry.json"))
    for bundle in (n.rsplit("/", 1)[0] for n in entries):
        if filters(first / bundle) != filters(second / bundle):
            found.append(f"{bundle}: the filters")
        metas = [decode(next((x / bundle).glob("pagefind.*.pf_meta"))) for x in (first, second)]
        if metas[0][:3] + metas[0][4:] != metas[1][:3] + metas[1][4:]:
            found.append(f"{bundle}: the index metadata")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base", help="the revision before the change")
    parser.add_argument("new", nargs="?", default="HEAD", help="the revision after (HEAD)")
    parser.add_argument("--no-synthetic", action="store_true", help="the test site only")
    options = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="same-site-") as temp:
        work = Path(temp)
        sources = [
            checkout(rev, work / f"rev{i}") for i, rev in enumerate((options.base, options.new))
        ]
        sets = [("test site", sources[0] / "tests" / "site" / "data", SITE_TODAY)]
        if not options.no_synthetic:
            generated = work / "synthetic-data"
            synthetic.generate(generated, synthetic.Size.national())
            sets.append(("1× synthetic set", generated, synthetic.TODAY.isoformat()))
        same = True
        for number, (name, data, today) in enumerate(sets):
            outputs = [
                build(source, project(source, work / f"p{number}-{i}", data, today))
                for i, source in enumerate(sources)
            ]
            found = differences(*outputs)
            count = len(files(outputs[0]))
            verdict = "the same" if not found else f"{len(found)} differences"
            print(f"{name}: {count} files, {verdict}")
            for line in found[:20]:
                print(f"  {line}")
            same = same and not found
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
