"""A new steward's first figure, in a fresh clone of the repository: the README's and the data
guide's commands run exactly as they are written there (read from the files, not copied here),
in a shell whose `python` is the clone's virtual environment's and with no PYTHONPATH."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT
from support import guide_section, office_xlsx

pytestmark = pytest.mark.slow

GUIDE = ROOT / "content" / "pages" / "panduan-data.md"
README = ROOT / "README.md"


def indented_commands(text: str) -> list[str]:
    """The guide's commands: indented blocks that start with `python -m` or `make`, with their
    backslash-continued lines, as a shell reads them."""
    commands, lines = [], text.splitlines()
    for number, line in enumerate(lines):
        if re.match(r"    (python -m uhc_portal|make) ", line) and not lines[number - 1].strip():
            block = [line]
            while block[-1].endswith("\\") or block[-1].count('"') % 2:
                block.append(lines[number + len(block)])
            commands.append("\n".join(part[4:] for part in block))
    return commands


def readme_command(name: str) -> str:
    """The line of the README's command list for `make <name>`, without its comment."""
    text = README.read_text(encoding="utf-8")
    return re.search(rf"^make {name}\b[^#\n]*", text, re.MULTILINE)[0].strip()


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> Path:
    """`git clone` of the commit under test, with the checkout's installed packages copied in
    (no network, seconds instead of minutes) but not its path file or stamp: the clone's own
    `make` must make `uhc_portal` importable, as on a steward's machine."""
    where = tmp_path_factory.mktemp("clone") / "pantau-uhc"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(where)], check=True)
    shutil.copytree(ROOT / ".venv", where / ".venv", symlinks=True)
    for stale in [where / ".venv" / ".installed", *where.glob(".venv/lib/*/site-packages/*.pth")]:
        if stale.name != "distutils-precedence.pth":
            stale.unlink()
    return where


def shell(clone: Path, command: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """`command` in bash as a steward types it: the venv activated (its `python` first on PATH),
    no PYTHONPATH, no hash seed or other setting of the test run."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "UHC_"))}
    env["PATH"] = f"{clone / '.venv' / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["VIRTUAL_ENV"] = str(clone / ".venv")
    return subprocess.run(
        ["bash", "-c", command], cwd=cwd or clone, env=env, capture_output=True, text=True
    )


def test_the_guides_and_readmes_commands_run_as_written_in_a_fresh_clone(clone, tmp_path):
    # Load inputs: the guide's commands in its order, its office table as the xlsx it names.
    commands = indented_commands(GUIDE.read_text(encoding="utf-8"))
    add_source, dry_run, with_code = commands
    assert add_source.startswith("python -m uhc_portal add-source \\\n  --id dinkes-jatim-2024-06")
    assert "ARGS=--dry-run" in dry_run and '--code "Blitar=35.05"' in with_code
    rows = [
        [cell.strip() for cell in line.strip("|").split("|")]
        for line in guide_section().splitlines()
        if line.startswith("| ") and line[2:3].isdigit()
    ]
    office_xlsx(clone / "rekap-jatim-2024-06.xlsx", [tuple(row[1:]) for row in rows])

    # Process data: first what the README says to run first, then the guide's steps.
    validate = shell(clone, readme_command("validate"))
    assert validate.returncode == 0, validate.stdout + validate.stderr
    assert "No module named" not in validate.stderr
    written = shell(clone, add_source)
    assert written.returncode == 0, written.stderr
    assert "\ndinkes-jatim-2024-06:\n" in (clone / "data" / "sources.yaml").read_text()
    tried = shell(clone, dry_run)
    assert tried.returncode != 0 and "Kota Blitar (35.72)" in tried.stdout + tried.stderr
    imported = shell(clone, with_code)
    assert imported.returncode == 0, imported.stdout + imported.stderr
    new_file = clone / "data" / "coverage" / "dinkes-jatim-2024-06.csv"
    assert new_file.read_text(encoding="utf-8").count("dinkes-jatim-2024-06") == 4

    # From any folder, with the venv's python, as the README says (here: the clone's parent).
    for command in ("add-source", "import"):
        helped = shell(clone, f"python -m uhc_portal {command} --help", cwd=clone.parent)
        assert helped.returncode == 0 and f"uhc_portal {command}" in helped.stdout, helped.stderr

    # Save outputs: the site builds with the new figures, as `make html` in the README.
    built = shell(clone, readme_command("html"))
    assert built.returncode == 0, built.stdout + built.stderr
    pacitan = (clone / "output" / "wilayah" / "35.01" / "index.html").read_text(encoding="utf-8")
    assert "dinkes-jatim-2024-06" in pacitan or "Rekapitulasi Kepesertaan JKN" in pacitan
