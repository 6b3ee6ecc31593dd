"""``laovn-map build | check | figures | export``: the only place errors become messages and exit
codes."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from laovn_map import build, figures, geodir
from laovn_map.errors import ExportError, LaovnMapError
from laovn_map.seeds import find_seeds


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="laovn-map", description="Build the Laos–Vietnam map layers from the seed texts.")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, text in (("build", "derive geo/ from seeds/ and geo/sources/"),
                       ("check", "exit 1 unless geo/ equals a fresh build"),
                       ("figures", "print (or --write into README.md) the figures of geo/")):
        sub = commands.add_parser(name, help=text, description=text)
        sub.add_argument("--seeds", type=Path, default=Path("seeds"), help="seed folder")
        sub.add_argument("--sources", type=Path, default=Path("geo/sources"),
                         help="raw geodata folder")
        sub.add_argument("--out", type=Path, default=Path("geo"), help="layer folder")
        if name == "figures":
            sub.add_argument("--write", type=Path, metavar="README",
                             help="replace the figures block of this Markdown file")
    text = "write what the map shows as GeoPackage, KML, CSV, offline HTML, PNG or PDF"
    sub = commands.add_parser("export", help=text, description=text)
    # validated by exports (one-line errors, exit 1), not by argparse's choices (exit 2)
    sub.add_argument("--format", required=True, help="gpkg, kml, csv, html, png or pdf")
    sub.add_argument("--lang", default="en", help="en or vi (default en)")
    sub.add_argument("--period", default="text",
                     help="text (the provinces the texts list, default) or 2025")
    sub.add_argument("--layers", default="", help="comma-separated map layers (default: all)")
    sub.add_argument("--size", default="a4",
                     help="paper of png/pdf: a4, a3, letter (landscape) or WIDTHxHEIGHT in mm")
    sub.add_argument("--dpi", type=int, default=300, help="resolution of png (default 300)")
    sub.add_argument("--view", metavar="S,W,N,E",
                     help="what png/pdf show, in degrees (default: the border region)")
    sub.add_argument("--years", metavar="FIRST-LAST",
                     help="the timeline's range: only the events that meet it (e.g. 1945-1977)")
    sub.add_argument("--geo", type=Path, default=Path("geo"), help="layer folder")
    sub.add_argument("--out", type=Path, help="file to write, - for stdout "
                     "(default: the export's own name in the current folder)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    folder: geodir.LockedFolder | None = None
    try:
        if args.command == "export":
            return _export(args)
        if args.command == "figures":
            text = figures.figures_markdown(args.out)
            if args.write:
                figures.write_block(args.write, text)
            else:
                sys.stdout.write(text)
            return 0
        if args.command == "check":
            return _check(build.build_layers(find_seeds(args.seeds), args.sources), args.out)
        inputs = {"seed folder": args.seeds, "sources folder": args.sources}
        with geodir.locked(args.out, inputs) as folder:  # refuses at once when another build holds it
            output = build.build_layers(find_seeds(args.seeds), args.sources)
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
    from laovn_map import exports, layers_io  # the export's libraries load only when asked

    state = exports.ExportState(period=args.period, lang=args.lang,
                                page=exports.page_size(args.size, args.dpi))
    if args.view:
        try:
            south, west, north, east = (float(x) for x in args.view.split(","))
        except ValueError:
            raise ExportError(f"--view {args.view!r}: give south,west,north,east in degrees "
                              "(e.g. 14,104,19,108)") from None
        state = replace(state, view=(south, west, north, east))
    if args.years:
        first, _, last = args.years.partition("-")
        if not (first.strip().isdigit() and last.strip().isdigit()):
            raise ExportError(f"--years {args.years!r}: give FIRST-LAST years (e.g. 1945-1977)")
        state = replace(state, timeline=exports.years_timeline(int(first), int(last)))
    if args.layers:
        state = replace(state, layers=tuple(name.strip() for name in args.layers.split(",")
                                            if name.strip()))
    fmt = exports.export_format(args.format).key
    out: Path | None = None if str(args.out) == "-" else (
        args.out or Path(exports.file_name(fmt, state)))
    if out is not None and out.resolve().is_relative_to(args.geo.resolve()):
        raise ExportError(f"{out}: is inside the layer folder {args.geo}, which only "
                          "`laovn-map build` writes; choose another --out")
    if out is not None and not out.resolve().parent.is_dir():
        raise ExportError(f"{out}: its folder {out.parent} does not exist")
    data = exports.export(layers_io.load_layers(args.geo), fmt, state)
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return 0
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise ExportError(f"{out}: cannot be written ({exc.strerror})") from None
    print(f"Wrote {out} ({len(data):,} bytes).")
    return 0


def _check(output: build.BuildOutput, out: Path) -> int:
    problems = geodir.problems(output.files, out)
    for problem in problems:
        print(f"Error: {problem}", file=sys.stderr)
    if problems:
        print(f"Run `laovn-map build` (or python3 dev.py build) to rebuild {out}.", file=sys.stderr)
        return 1
    print(f"{out} matches a fresh build.")
    return 0


def _interrupted(command: str, out: Path, folder: geodir.LockedFolder | None) -> str:
    if command != "build":
        return "Interrupted: nothing was changed."
    if folder is not None and folder.replaced:
        return f"Interrupted: {out} already holds the new build; the next build tidies what is left."
    return f"Interrupted: {out} left as it was."


if __name__ == "__main__":
    sys.exit(main())
