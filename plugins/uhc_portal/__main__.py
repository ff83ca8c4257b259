"""Command line: `python -m uhc_portal validate|build|serve|diff|import|add-source`."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    # Imported here, not above: chart worker processes import this module again (multiprocessing
    # spawn re-imports a `-m` main module) and should load only what rendering needs.
    from .dataset import load_dataset
    from .errors import DataErrors, github_annotation
    from .i18n import M_, MESSAGE_LANGUAGE

    parser = argparse.ArgumentParser(prog="uhc_portal")
    parser.add_argument(
        "--messages",
        choices=("id", "en"),
        help="the language of data-error messages: id (Indonesian, the default) or en; "
        f"the same as the environment variable {MESSAGE_LANGUAGE}",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser("validate", help="check the data files only")
    validate.add_argument("--data", type=Path, default=Path("data"))
    validate.add_argument(
        "--format",
        choices=("text", "github"),
        default="text",
        help="text for people; github for annotations on the file and line in a pull request",
    )
    build = commands.add_parser("build", help="validate and build the site")
    build.add_argument("--settings", type=Path, default=Path("pelicanconf.py"))
    build.add_argument("--output", type=Path, default=Path("output"))
    serve = commands.add_parser(
        "serve", help="build, preview on a local address, rebuild and reload on every edit"
    )
    serve.add_argument("--settings", type=Path, default=Path("pelicanconf.py"))
    serve.add_argument("--output", type=Path, default=Path("output"))
    serve.add_argument("--port", type=int, default=8000, help="0 for any free port")
    serve.add_argument("--bind", default="127.0.0.1")
    diff = commands.add_parser(
        "diff",
        help="what the site would show differently from a git ref (fails on a silent "
        "change of a published figure)",
    )
    diff.add_argument("--data", type=Path, default=Path("data"))
    diff.add_argument("--base", help="git ref to compare with (default: the merge base with main)")
    diff.add_argument("--format", choices=("text", "markdown"), default="text")
    from . import add_source, importing

    importing.add_command(commands)
    add_source.add_command(commands)
    args = parser.parse_args(argv)
    if args.messages:  # in the environment: the loader's worker processes read it there too
        os.environ[MESSAGE_LANGUAGE] = args.messages
    if hasattr(args, "run"):  # commands that carry their own handler
        return args.run(args)

    if args.command == "serve":
        from .preview import serve

        return serve(args.settings, args.output, args.bind, args.port)

    if args.command == "diff":
        return figure_diff(args.data, args.base, args.format)

    if args.command == "validate":
        try:
            dataset = load_dataset(args.data, dt.date.today())
        except DataErrors as exc:
            if args.format == "github":
                # Workflow commands are read from standard output, one per line.
                print("\n".join(github_annotation(error) for error in exc.errors))
            print(exc.report(), file=sys.stderr)
            return 1
        said = M_("data sah: %(r)s kabupaten/kota, %(c)s angka cakupan, %(f)s forum, %(s)s sumber")
        counts = (dataset.regencies, dataset.forums, dataset.sources)
        regencies, forums, sources = (len(c) for c in counts)
        figures = dataset.snapshots_by_region.count
        print("uhc_portal: " + said % {"r": regencies, "c": figures, "f": forums, "s": sources})
        return 0

    from .build import build_site

    try:
        build_site(args.settings, args.output)
    except DataErrors as exc:
        print(exc.report(), file=sys.stderr)
        print(
            "uhc_portal: " + M_("%(o)s/ dibiarkan seperti semula.") % {"o": args.output},
            file=sys.stderr,
        )
        return 1
    except Exception as exc:
        said = M_("pembangunan gagal: %(e)s") % {"e": f"{type(exc).__name__}: {exc}"}
        print(f"uhc_portal: {said}", file=sys.stderr)
        print(
            "uhc_portal: " + M_("%(o)s/ dibiarkan seperti semula.") % {"o": args.output},
            file=sys.stderr,
        )
        return 1
    print("uhc_portal: " + M_("situs dibangun ke %(o)s/") % {"o": args.output})
    return 0


def figure_diff(data: Path, base: str | None, form: str) -> int:
    """Print the report on stdout (the job summary takes it whole); 1 when it fails."""
    from .errors import DataErrors
    from .figdiff import DiffError, markdown_report, md, run_diff, text_report
    from .i18n import M_, Mn_

    try:
        report, _ = run_diff(data, base, dt.date.today())
    except DiffError as exc:
        print(f"uhc_portal: diff: {exc}", file=sys.stderr)
        return 2
    except DataErrors as exc:
        print(exc.report(), file=sys.stderr)
        if form == "markdown":
            lines = "\n".join(f"- {md(str(e))}" for e in exc.errors)
            count = len(exc.errors)
            heading = "## " + M_("Perbedaan angka: data tidak sah")
            said = Mn_("%(n)s galat data:", "%(n)s galat data:", count) % {"n": count}
            print(f"{heading}\n\n{said}\n\n{lines}")
        return 1
    print((markdown_report if form == "markdown" else text_report)(report), end="")
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
