"""The GitHub workflows, checked here since nothing can run them on GitHub from a test.

The slow test runs every `run:` step of check.yml, in order, in a fresh clone of this repository
(its HEAD commit), with the GitHub variables a step reads faked: so a workflow cannot call a make
target or script that does not exist, or one that fails on a clean checkout. The actions
themselves (checkout, setup-python, upload-artifact, the Pages actions) are not run: the clone,
this machine's Python and Node stand in for them. `make test` in the clone runs only the small
selection in SMOKE_TESTS (through TEST_ARGS), which leaves this file out, so it cannot recurse.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, soup
from ruamel.yaml import YAML
from support import git

WORKFLOWS = ROOT / ".github" / "workflows"
CHECK, PUBLISH = WORKFLOWS / "check.yml", WORKFLOWS / "publish.yml"
SMOKE_TESTS = "tests/test_ci_annotations.py"
NESTED = "UHC_WORKFLOW_STEPS"  # set in the clone's steps; this test skips itself there
PAGES_URL = "https://contoh.github.io/pantau-uhc"
PINNED = re.compile(r"uses: (?P<action>[\w.-]+/[\w./-]+)@(?P<sha>[0-9a-f]{40}) # v\d+\.\d+\.\d+")
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def load(path: Path) -> dict[str, Any]:
    """YAML 1.2, as GitHub reads it (PyYAML's 1.1 would turn the key `on` into True)."""
    return YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))


def steps(workflow: dict[str, Any], job: str) -> list[dict[str, Any]]:
    return workflow["jobs"][job]["steps"]


# Static rules, for both workflows


@pytest.mark.parametrize("path", [CHECK, PUBLISH], ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_commit_with_its_version(path: Path):
    lines = [line.strip().removeprefix("- ") for line in path.read_text().splitlines()]
    uses = [line for line in lines if line.startswith("uses:")]
    assert uses
    assert [line for line in uses if not PINNED.fullmatch(line)] == []


@pytest.mark.parametrize("path", [CHECK, PUBLISH], ids=lambda p: p.name)
def test_least_privilege_and_no_untrusted_text_in_scripts(path: Path):
    workflow = load(path)
    assert "pull_request_target" not in workflow["on"]
    assert workflow["permissions"] == {}
    for name, job in workflow["jobs"].items():
        assert "permissions" in job, f"job {name} states no permissions"
        assert "write" not in job["permissions"].get("contents", ""), name
        for step in job["steps"]:
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False
            assert "${{" not in step.get("run", ""), f"expression inside run: {step['name']}"


def test_publishing_waits_for_a_good_build_one_deployment_at_a_time():
    workflow = load(PUBLISH)
    assert workflow["on"]["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in workflow["on"]
    assert workflow["concurrency"]["cancel-in-progress"] is False
    assert workflow["jobs"]["build"]["if"] == "github.ref == 'refs/heads/main'"
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    cache = next(s for s in steps(workflow, "build") if s["uses"].startswith("actions/cache@"))
    assert cache["with"]["path"] == ".cache/charts"
    assert "github.run_id" in cache["with"]["key"] and cache["with"]["restore-keys"]


# The run: steps, executed


def run_steps(
    workflow: dict[str, Any], job: str, clone: Path, facts: dict[str, str], env: dict[str, str]
) -> list[str]:
    """Run a job's `run:` steps in order as GitHub's runner would (bash -e, in the workspace);
    `${{ }}` in a step's env is replaced from `facts`. Returns the names of the steps run."""
    names = []
    for step in steps(workflow, job):
        if "run" not in step:
            continue
        step_env = dict(env)
        for key, value in step.get("env", {}).items():
            step_env[key] = EXPRESSION.sub(lambda m: facts[m[1]], str(value))
        shell = ["bash", "--noprofile", "--norc", "-eo", "pipefail"]
        if "shell" not in step:
            shell = ["bash", "-e"]
        assert step.get("shell", "bash") == "bash", step["name"]
        result = subprocess.run(
            [*shell, "-c", step["run"]],
            cwd=clone / step.get("working-directory", "."),
            env=step_env,
            capture_output=True,
            text=True,
            timeout=1800,
        )
        assert result.returncode == 0, (
            f"step {step['name']!r} failed ({result.returncode}):\n"
            f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
        names.append(step["name"])
    return names


def runner_env(clone: Path, summary: Path) -> dict[str, str]:
    """This machine's environment without what the surrounding make and pytest set, plus the
    variables GitHub's runner gives every step."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("MAKE", "MFLAGS", "PYTEST_", "VIRTUAL_ENV", "TEST_ARGS"))
    }
    env.pop("PYTHONPATH", None)
    return env | {
        "CI": "true",
        "GITHUB_WORKSPACE": str(clone),
        "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_EVENT_NAME": "pull_request",
        "GITHUB_BASE_REF": "main",
        "RUNNER_TEMP": str(summary.parent),
        "TEST_ARGS": SMOKE_TESTS,
        NESTED: "1",
    }


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> Path:
    """A fresh clone of this repository at its HEAD commit, shared by the two workflows' steps
    (so the virtual environment is made once)."""
    if NESTED in os.environ:
        pytest.skip("already inside the workflow steps")
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs git and this repository's history")
    head = git(ROOT, "rev-parse", "HEAD").strip()
    where = tmp_path_factory.mktemp("workflow") / "clone"
    git(where.parent, "clone", "--quiet", "--no-checkout", str(ROOT), str(where))
    git(where, "checkout", "--quiet", "--detach", head)
    return where


@pytest.mark.slow
def test_the_check_steps_run_in_order_in_a_fresh_clone(clone: Path):
    # Load inputs.
    workflow = load(CHECK)
    summary = clone.parent / "summary.md"
    summary.touch()
    # The pull request's base: the commit before HEAD (HEAD itself in a one-commit history).
    parents = git(clone, "rev-list", "--max-count=2", "HEAD").split()
    facts = {"github.event.pull_request.base.sha": parents[-1]}

    # Process data.
    ran = run_steps(workflow, "check", clone, facts, runner_env(clone, summary))

    # Save outputs: every run: step ran, and left what the actions after it take.
    assert ran == [step["name"] for step in steps(workflow, "check") if "run" in step]
    assert "make test" in " ".join(
        step["run"] for step in steps(workflow, "check") if "run" in step
    )
    written = summary.read_text(encoding="utf-8")
    assert written.strip(), "the figure diff wrote no summary"
    assert "uhc_portal diff" not in written, "make echoed its command into the summary"
    upload = next(s for s in steps(workflow, "check") if "upload-artifact@" in s.get("uses", ""))
    assert (clone / upload["with"]["path"] / "index.html").is_file()


@pytest.mark.slow
def test_the_publish_build_runs_with_the_pages_address(clone: Path):
    workflow = load(PUBLISH)
    env = runner_env(clone, clone.parent / "publish-summary.md")

    facts = {
        "steps.pages.outputs.base_url": PAGES_URL,
        "github.repository": "contoh/pantau-uhc",
        "github.event.repository.default_branch": "main",
    }

    run_steps(workflow, "build", clone, facts, env)

    upload = next(s for s in steps(workflow, "build") if "upload-pages" in s.get("uses", ""))
    site = clone / upload["with"]["path"]
    page = soup(site / "index.html")
    assert page.find("link", rel="stylesheet")["href"] == PAGES_URL + "/theme/css/site.css"
    # Each figure invites a fix in the repository the site is published from.
    region = soup(site / "wilayah" / "73.13" / "index.html")
    edit = region.select_one("tr[id^=angka-] .fix a")
    assert edit["href"].startswith(
        "https://github.com/contoh/pantau-uhc/edit/main/data/coverage/berita-awal.csv#L"
    )
