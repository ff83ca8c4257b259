"""The stewards' commands as README, docs/ and the data guide write them: `python -m uhc_portal …`
with the venv's python and no PYTHONPATH (issue: 'No module named uhc_portal')."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "content/pages/panduan-data.md"
WRITTEN = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), GUIDE]


COMMAND = re.compile(r"python -m uhc_portal (?:--messages [a-z]+ )?([a-z][a-z-]*)")


def documented_commands() -> list[str]:
    """Every `python -m uhc_portal <command>` the documentation names."""
    texts = (path.read_text(encoding="utf-8") for path in WRITTEN)
    return sorted({c for text in texts for c in COMMAND.findall(text)})


def test_the_documentation_names_the_stewards_commands():
    assert {"add-source", "import", "validate"} <= set(documented_commands())


@pytest.mark.parametrize("command", documented_commands())
def test_documented_command_runs_without_pythonpath(command, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    run = subprocess.run(
        [sys.executable, "-m", "uhc_portal", command, "--help"],
        cwd=tmp_path,  # anywhere, not only the repository's root
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert "No module named" not in run.stderr
    assert f"uhc_portal {command}" in run.stdout


def test_documented_commands_are_the_ones_that_run():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    guide = GUIDE.read_text(encoding="utf-8")
    for command in ("python -m uhc_portal import", "python -m uhc_portal add-source"):
        assert command in readme and command in guide
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "\nadd-source: $(STAMP)\n\t$(PY) -m uhc_portal add-source $(ARGS)" in makefile
    assert "uhc-portal.pth" in makefile
