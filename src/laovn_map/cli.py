"""``laovn-map build | check | figures | export | site``: the only place errors become messages and exit
codes."""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from dataclasses import replace
from pathlib import Path

from laovn_map import atomicfile
from laovn_map.build import inputs, outdir, pipeline
from laovn_map.build.seeds import find_seeds
from laovn_map.errors import ExportError, LaovnMapError, SiteError, shown
from laovn_map.geo import summary
from laovn_map.i18n import DEFAULT_LANG, LANGS


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="laovn-map", description="Build the Laos–Vietnam map layers from the seed texts.")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, text in (("build", "derive geo/ from seeds/ and geo/sources/"),
                       ("check", "exit 1 unless geo/ equals a fresh build"),
                       ("figures", f"print (or --write into {summary.DOCUMENT}) the figures of geo/")):
        sub = commands.add_parser(name, help=text, description=text)
        sub.add_argument("--seeds", type=Path, help="seed folder (default: ./seeds, else the "
                         "copy an installed wheel carries)")
        sub.add_argument("--sources", type=Path, help="raw geodata folder (default: "
                         "./geo/sources, else the copy an installed wheel carries)")
        sub.add_argument("--out", type=Path, default=Path("geo"), help="layer folder")
        if name == "figures":
            sub.add_argument("--write", type=Path, metavar="FILE",
                             help="replace the figures block of this Markdown file")
    text = "write what the map shows as GeoPackage, KML, CSV, offline HTML, PNG or PDF"
    sub = commands.add_parser("export", help=text, description=text)
    # validated by exports (one-line errors, exit 1), not by argparse's choices (exit 2)
    sub.add_argument("--format", required=True, help="gpkg, kml, csv, html, png or pdf")
    sub.add_argument("--lang", default=DEFAULT_LANG,
                     help=f"{', '.join(LANGS)} (default {DEFAULT_LANG})")
    sub.add_argument("--period", default="text",
                     help="text (the provinces the texts list, default) or 2025")
    sub.add_argument("--layers", default="", help="comma-separated map layers (default: all)")
    sub.add_argument("--size", default="a4",
                     help="paper of png/pdf: a4, a3, letter (landscape) or WIDTHxHEIGHT in mm")
    sub.add_argument("--dpi", type=int, default=300, help="resolution of png (default 300)")
    sub.add_argument("--view", metavar="S,W,N,E",
                     help="what png/pdf show, in degrees (default: the border region); "
                     "a value may start with a minus sign (--view -10,100,5,110)")
    sub.add_argument("--years", metavar="FIRST-LAST",
                     help="the timeline's range: only the events that meet it (e.g. 1945-1977)")
    sub.add_argument("--event", metavar="ID",
                     help="the statement the story shows (as the page's ?event=, e.g. "
                     "vi-022-0): its places marked, its date and quote in the export")
    sub.add_argument("--geo", type=Path, default=Path("geo"), help="layer folder")
    # a string, not a Path: Path drops the trailing slash that says "a folder"
    sub.add_argument("--out", help="file to write, - for stdout, or a folder (an existing one, "
                     "or any path ending in /) to write the export's own name into "
                     "(default: the export's own name in the current folder)")
    text = "write the static site: the map, its tables, downloads and exports as files any " \
        "static host serves"
    sub = commands.add_parser("site", help=text, description=text)
    sub.add_argument("--out", required=True, type=Path,
                     help="the site's folder (replaced whole; only a missing or empty folder, "
                     "or a site written before)")
    sub.add_argument("--geo", type=Path, default=Path("geo"), help="layer folder")
    sub.add_argument("--base-url", help="the site's address (http(s)://host/path/), for the "
                     "embed snippet and link previews (default: $LAOVN_SITE_URL, else none: "
                     "the snippet points at the address it is copied from)")
    return parser


#: Options whose value may start with a minus sign (a negative degree).
_SIGNED_OPTIONS = ("--view",)
_NEGATIVE_NUMBER = re.compile(r"-\.?\d")


def _join_signed_values(argv: list[str]) -> list[str]:
    """``--view -10,100,5,110`` as ``--view=-10,100,5,110``: argparse takes a value starting
    with "-" (other than one plain number) for an option and refuses it."""
    joined: list[str] = []
    rest = iter(argv)
    for arg in rest:
        if arg in _SIGNED_OPTIONS:
            value = next(rest, None)
            if value is not None and _NEGATIVE_NUMBER.match(value):
                joined.append(f"{arg}={value}")
                continue
            joined += [arg] if value is None else [arg, value]
            continue
        joined.append(arg)
    return joined


def main(argv: list[str] | None = None) -> int:
    """Run one command; every error it meets ends as one line on stderr and exit 1."""
    try:
        code = _main(sys.argv[1:] if argv is None else argv)
        sys.stdout.flush()  # here, not at exit, where a failure would be a traceback
    except OSError as exc:  # at the edge: what no command turned into a message
        print(f"Error: {_os_error(exc)}", file=sys.stderr)
        _detach_stdout()
        return 1
    return code


def _os_error(exc: OSError) -> str:
    where = "standard output" if exc.filename is None else str(exc.filename)
    return f"{where}: {exc.strerror or exc}"


def _detach_stdout() -> None:
    """Point stdout at /dev/null, so that the interpreter's flush at exit does not fail again
    on what stayed in the buffer (a second message and exit 120)."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError):
        pass


def _main(argv: list[str]) -> int:
    args = _parser().parse_args(_join_signed_values(argv))
    if args.command not in ("export", "site"):
        args.seeds = args.seeds or inputs.default_seeds()
        args.sources = args.sources or inputs.default_sources()
    folder: outdir.LockedFolder | None = None
    try:
        if args.command == "export":
            return _export(args)
        if args.command == "site":
            return _site(args)
        if args.command == "figures":
            text = summary.figures_markdown(args.out)
            if args.write:
                summary.write_block(args.write, text)
            else:
                sys.stdout.write(text)
            return 0
        if args.command == "check":
            return _check(pipeline.build_layers(find_seeds(args.seeds), args.sources), args.out)
        named = {"seed folder": args.seeds, "sources folder": args.sources}
        with outdir.locked(args.out, named) as folder:  # refuses at once when another build holds it
            output = pipeline.build_layers(find_seeds(args.seeds), args.sources)
            folder.replace(output.files)
    except LaovnMapError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(_interrupted(args.command, args.out, folder), file=sys.stderr)
        return 130
    for warning in output.warnings:
        print(f"Warning: {warning}", file=sys.stderr)
    counts = ", ".join(f"{entry['file']} ({entry['features']})"
                       for entry in output.manifest["layers"] if entry["features"])
    print(f"Wrote {args.out}: {counts}.")
    return 0


def _export(args: argparse.Namespace) -> int:
    from laovn_map.export import dispatch, formats
    from laovn_map.geo import reader  # the export's libraries load only when asked

    state = formats.ExportState(period=args.period, lang=args.lang,
                                page=formats.page_size(args.size, args.dpi))
    if args.view:
        try:
            south, west, north, east = (float(x) for x in args.view.split(","))
        except ValueError:
            raise ExportError(f"--view {shown(args.view)}: give south,west,north,east in degrees "
                              "(e.g. 14,104,19,108)") from None
        state = replace(state, view=(south, west, north, east))
    if args.years:
        years = formats.parse_years(args.years)
        if years is None or years[0] > years[1]:
            raise ExportError(f"--years {shown(args.years)}: give FIRST-LAST years, the first "
                              "not after the last (e.g. 1945-1977)")
        state = replace(state, timeline=formats.years_timeline(*years))
    if args.event is not None:
        state = replace(state, event=args.event)
    if args.layers:
        state = replace(state, layers=tuple(name.strip() for name in args.layers.split(",")
                                            if name.strip()))
    fmt = formats.export_format(args.format).key
    out = _out_path(args.out, formats.file_name(fmt, state))
    if out is not None and _real(out).is_relative_to(_real(args.geo)):
        raise ExportError(f"{out}: is inside the layer folder {args.geo}, which only "
                          "`laovn-map build` writes; choose another --out")
    if out is not None and not _real(out).parent.is_dir():
        raise ExportError(f"{out}: its folder {out.parent} does not exist")
    data = dispatch.export(reader.load_layers(args.geo), fmt, state)
    if out is None:
        try:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        except OSError as exc:
            _detach_stdout()
            raise ExportError(f"standard output: cannot be written ({exc.strerror or exc})"
                              ) from None
        return 0
    existed = out.is_file()
    try:
        atomicfile.write_atomically(out, data)
    except OSError as exc:
        kept = "the previous file is unchanged" if existed else "nothing was written"
        raise ExportError(f"{out}: cannot be written ({exc.strerror or exc}); {kept}") from None
    print(f"Wrote {out} ({len(data):,} bytes).")
    return 0


def _site(args: argparse.Namespace) -> int:
    from laovn_map.geo import reader  # the site's libraries (the exports') load only when asked
    from laovn_map.site import embed, folder, pages

    started = time.monotonic()
    base_url = embed.site_url(args.base_url)
    problem = folder.refusal(args.out, args.geo)  # before the work, and again before the swap
    if problem:
        raise SiteError(problem + "; nothing was changed")
    files = pages.site_files(reader.load_layers(args.geo), base_url)
    folder.write_site(args.out, files, args.geo)
    size = sum(len(data) for data in files.values())
    print(f"Wrote {args.out}: {len(files)} files, {size:,} bytes, in "
          f"{time.monotonic() - started:.1f} s.")
    return 0


def _real(path: Path) -> Path:
    """*path* with its links followed (``os.path.realpath``: a link loop is left as it is, where
    ``Path.resolve`` raises ``RuntimeError`` on Python 3.11)."""
    return Path(os.path.realpath(path))


def _out_path(value: str | None, default_name: str) -> Path | None:
    """Where `export --out` writes: None for stdout (`-`); the export's own name in the
    current folder when not given, or in the folder given (an existing one, or a path ending
    in a slash)."""
    if value == "-":
        return None
    if value is None:
        return Path(default_name)
    if value.endswith(("/", os.sep)) or Path(value).is_dir():
        return Path(value) / default_name
    return Path(value)


def _check(output: pipeline.BuildOutput, out: Path) -> int:
    problems = outdir.problems(output.files, out)
    for problem in problems:
        print(f"Error: {problem}", file=sys.stderr)
    if problems:
        print(f"Run `laovn-map build` (or python3 dev.py build) to rebuild {out}.", file=sys.stderr)
        return 1
    print(f"{out} matches a fresh build.")
    return 0


def _interrupted(command: str, out: Path, folder: outdir.LockedFolder | None) -> str:
    if command != "build":
        return "Interrupted: nothing was changed."
    if folder is not None and folder.replaced:
        return f"Interrupted: {out} already holds the new build; the next build tidies what is left."
    return f"Interrupted: {out} left as it was."


if __name__ == "__main__":
    sys.exit(main())
