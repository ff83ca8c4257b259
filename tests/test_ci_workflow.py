"""The GitHub workflows' static rules: pins, permissions, triggers."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT
from ruamel.yaml import YAML

WORKFLOWS = ROOT / ".github" / "workflows"
CHECK, PUBLISH = WORKFLOWS / "check.yml", WORKFLOWS / "publish.yml"
PINNED = re.compile(r"uses: (?P<action>[\w.-]+/[\w./-]+)@(?P<sha>[0-9a-f]{40}) # v\d+\.\d+\.\d+")


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
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    cache = next(s for s in steps(workflow, "build") if s["uses"].startswith("actions/cache@"))
    assert cache["with"]["path"] == ".cache/charts"
    assert "github.run_id" in cache["with"]["key"] and cache["with"]["restore-keys"]
