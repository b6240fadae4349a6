"""MkDocs hooks for the documentation site (``mkdocs.yml``: ``hooks: [docs/_hooks.py]``).

- The notebooks in ``notebooks/`` become pages ``notebooks/NAME.ipynb`` (rendered by
  mkdocs-jupyter with their committed outputs; nothing is executed).
- ``reference/cli.md`` is generated from the command line's own argparse parser
  (``intertwine.cli.build_parser``), so the reference cannot drift from ``--help``.
- ``reference/contracts.md`` shows a JSON object that the solver prints, made at build time.

Nothing here evaluates text: the parser is walked as data.
"""

from __future__ import annotations

import argparse
import json
import os
import re
from pathlib import Path

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
HELP_WIDTH = "100"


@event_priority(100)  # before mkdocs-jupyter's on_files, which wraps the notebook pages
def on_files(files: Files, config) -> Files:
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):  # a real source file under the repository
        src_uri = path.relative_to(ROOT).as_posix()
        files.append(File(src_uri, str(ROOT), config["site_dir"], config["use_directory_urls"]))
    files.append(File.generated(config, "reference/cli.md", content=cli_reference()))
    return files


_SOLVE_JSON = re.compile(r"<!-- intertwine-docs: solve-json (\S+) (\S+) (\S+) -->")


def on_page_markdown(markdown: str, page, config, files) -> str:
    """Fills ``<!-- intertwine-docs: solve-json GROUP IN OUT -->`` with the JSON that
    ``intertwine solve GROUP IN OUT --format json`` prints (the same ``Basis.to_json``)."""
    return _SOLVE_JSON.sub(_solve_json, markdown)


def _solve_json(match: re.Match) -> str:
    from intertwine.solver import solve

    basis = solve(*match.groups(), cache=False, quiet=True)
    data = basis.to_json()  # as ``intertwine solve`` prints it, one key a line here
    lines = [f"  {json.dumps(key)}: {json.dumps(value)}" for key, value in data.items()]
    return "```json\n{\n" + ",\n".join(lines) + "\n}\n```"


def cli_reference() -> str:
    """The command line reference as Markdown, from ``build_parser()``: one section per
    command (and sub-command), with its help text as argparse prints it."""
    from intertwine.cli import build_parser

    old = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = HELP_WIDTH  # argparse wraps help at the terminal's width
    try:
        parser = build_parser()
        lines = [
            "# Command line",
            "",
            "Generated from the parser of `intertwine` (`intertwine.cli.build_parser`) when the",
            "site is built; each section is what `intertwine COMMAND --help` prints.",
            "",
            "Exit status: 0 success; 1 not equivariant (`verify` only); 2 bad input or an",
            "environment error, with one line on stderr naming the problem and the fix;",
            "3 an internal error (a bug, said as one); 130 interrupted.",
            "",
        ]
        lines += _section(parser, "intertwine", 2)
    finally:
        if old is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = old
    return "\n".join(lines) + "\n"


def _section(
    parser: argparse.ArgumentParser, name: str, level: int, summary: str = ""
) -> list[str]:
    out = [f"{'#' * level} `{name}`", ""]
    if summary:
        out += [summary[:1].upper() + summary[1:] + ".", ""]
    out += ["```text", parser.format_help().rstrip(), "```", ""]
    for action in parser._actions:  # argparse has no public walk of its sub-commands
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help or "" for a in action._choices_actions}
            for sub_name, sub in action.choices.items():
                depth = min(level + 1, 4)
                out += _section(sub, f"{name} {sub_name}", depth, helps.get(sub_name, ""))
    return out
