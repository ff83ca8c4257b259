"""Interface strings go through gettext and the catalogue template is kept current."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def msgids(pot: str) -> set[str]:
    return {
        line[7:-1] for line in pot.splitlines() if line.startswith('msgid "') and line != 'msgid ""'
    }


def test_messages_pot_is_current(tmp_path):
    out = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            *("-k", "N_", "-k", "M_", "-k", "Mn_:1,2"),  # as the Makefile's `messages`
            "--omit-header",
            "--sort-output",
            "-o",
            str(out),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    committed = (ROOT / "plugins" / "uhc_portal" / "locale" / "messages.pot").read_text("utf-8")
    assert msgids(out.read_text("utf-8")) == msgids(committed), "run `make messages`"
    assert {"Sudah UHC", "Belum UHC", "Semua kabupaten/kota", "Tercapai sebelum tenggat"} <= msgids(
        committed
    )
