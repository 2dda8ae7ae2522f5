"""The ``storyline`` command line: thin commands that parse options and call one library function.

Known errors become one line and exit code 1; bad arguments exit with code 2;
no command ever ends in a traceback for bad input.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from importlib import resources
from pathlib import Path

import click

from . import __version__
from .extract import DEFAULT_RHETORIC as DEFAULT_DETECTOR


def _fail(message: str) -> click.ClickException:
    return click.ClickException(message)


def _existing_db(path: str) -> Path:
    db = Path(path)
    if db.is_dir():
        db = db / "storyline.db"
    if not db.is_file():
        raise click.BadParameter(f"no storyline database at {path!r}; run `storyline analyze PATH --out DIR` first", param_hint="DB")
    return db


class _Group(click.Group):
    """A group that turns unexpected exceptions into one line (set STORYLINE_DEBUG=1 for the traceback)."""

    def invoke(self, ctx: click.Context):  # noqa: ANN201 - click's signature
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit, KeyboardInterrupt):
            raise
        except Exception as exc:  # noqa: BLE001 - last line of defence for the user
            if os.environ.get("STORYLINE_DEBUG"):
                raise
            raise click.ClickException(f"{type(exc).__name__}: {exc} (set STORYLINE_DEBUG=1 to see the traceback)") from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="storyline")
def cli() -> None:
    """A sourced, neutral map of a news affair: who, what happened when, who says so, how they say it."""


@cli.command()
@click.argument("inputs", nargs=-1, required=True, metavar="PATH...")
@click.option("--out", "-o", "out", required=True, type=click.Path(file_okay=False), help="Output folder for storyline.db, dossier.json and dossier.html.")
@click.option("--outlet", help="Outlet name for inputs whose sidecar or metadata names none.")
@click.option("--processes", "-p", default=1, show_default=True, type=click.IntRange(1, 64), help="Worker processes for parsing and extraction.")
@click.option("--batch-size", default=16, show_default=True, type=click.IntRange(1, 10_000), help="Documents per nlp.pipe batch and per transaction.")
@click.option("--aliases", type=click.Path(exists=True, dir_okay=False), help="YAML file of manual entity corrections (merge, split, label).")
@click.option("--rhetoric", "detector", default=DEFAULT_DETECTOR, show_default=True, help="Rhetoric detector name, or 'none' to skip.")
@click.option("--max-bytes", default=20 * 1024 * 1024, show_default=True, type=click.IntRange(1), help="Skip files (and JSONL lines) larger than this.")
@click.option("--encoding", default="utf-8", show_default=True, help="Encoding of .txt/.md/.jsonl inputs.")
@click.option("--allow-private", is_flag=True, help="Let URL inputs reach private and loopback addresses.")
@click.option("--no-html", is_flag=True, help="Write the store and dossier.json only.")
@click.option("--html-max-docs", default=2000, show_default=True, type=click.IntRange(0),
              help="Write dossier.html only for corpora up to this many documents (the page is built in memory).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no per-file skip lines.")
def analyze(inputs, out, outlet, processes, batch_size, aliases, detector, max_bytes, encoding, allow_private, no_html,
            html_max_docs, quiet) -> None:
    """Analyse articles in PATH... (files, folders or http(s) URLs) into --out DIR.

    Reads .txt/.md (title = first line), .html and .jsonl (one article per
    line, "text" required). A sidecar NAME.meta.json beside a file sets its
    outlet, url, published date, title and author.
    """
    from .ingest.url import is_url
    from .pipeline import analyze as run

    for item in inputs:
        if not is_url(item) and not Path(item).exists():
            raise click.BadParameter(f"path {item!r} does not exist", param_hint="PATH...")
    _check_detector(detector)
    bar = None
    if not quiet and sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(unit="doc", desc="analysing", file=sys.stderr)
    try:
        summary = run(
            list(inputs), out, outlet=outlet, processes=processes, batch_size=batch_size, aliases=aliases,
            rhetoric=None if detector == "none" else detector, max_bytes=max_bytes, encoding=encoding,
            allow_private=allow_private, html=not no_html, html_max_docs=html_max_docs,
            progress=bar.update if bar else None,
        )
    except (ValueError, OSError, sqlite3.Error, RuntimeError) as exc:
        raise _fail(str(exc).strip().splitlines()[0]) from None
    finally:
        if bar:
            bar.close()
    if not quiet:
        for line in summary.skip_lines():
            click.echo(line, err=True)
        for line in summary.overrides:
            click.echo(f"aliases: {line}", err=True)
        for line in summary.notes:
            click.echo(f"note: {line}", err=True)
    click.echo(summary.line())
    click.echo("wrote " + ", ".join(summary.outputs.values()))


def _check_detector(name: str) -> None:
    if name == "none":
        return
    from .extract.rhetoric import detectors

    available = detectors()
    if name not in available:
        raise click.BadParameter(f"unknown detector {name!r}; available: {', '.join(available)}, none", param_hint="--rhetoric")


@cli.command()
@click.option("--out", "-o", default="storyline-demo", show_default=True, type=click.Path(file_okay=False), help="Output folder.")
@click.option("--processes", "-p", default=1, show_default=True, type=click.IntRange(1, 64))
def demo(out, processes) -> None:
    """Analyse the bundled demo corpus (fiction written for storyline) into --out DIR."""
    ctx = click.get_current_context()
    ctx.invoke(analyze, inputs=(str(demo_path()),), out=out, processes=processes)


def demo_path() -> Path:
    """Return the folder of the bundled demo corpus."""
    return Path(str(resources.files("storyline") / "demo"))


@cli.command()
@click.argument("db")
@click.option("--type", "type_", help="Only entities of this type (PERSON, ORG, GPE, ...).")
@click.option("--limit", default=0, type=click.IntRange(0), help="Show at most this many (0: all).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines instead of a table.")
def entities(db, type_, limit, as_json) -> None:
    """List the entities in DB (a storyline.db or its folder) with types, aliases and counts, for review."""
    from .store.db import Store

    path = _existing_db(db)
    with Store(path) as store:
        where, params = ("type = ?", [type_.upper()]) if type_ else (None, [])
        rows = list(store.rows("entities", where=where, params=params, order_by="mention_count desc, name"))
        ambiguous = store.count("ambiguous")
    if limit:
        rows = rows[:limit]
    if as_json:
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
        return
    for row in rows:
        outlets = ", ".join(f"{k or 'unknown'}: {v}" for k, v in sorted((row.get("outlets") or {}).items(), key=lambda kv: -kv[1]))
        aliases = " | ".join(a for a in row.get("aliases") or [] if a != row["name"])
        labels = sorted({label["text"] for label in row.get("labels") or []})
        click.echo(f"{row['id']}\t{row['type']}\t{row['mention_count']}\t{row['name']}")
        if aliases:
            click.echo(f"\taliases: {aliases}")
        if labels:
            click.echo(f"\tlabels: {' | '.join(labels)}")
        if outlets:
            click.echo(f"\toutlets: {outlets}")
    click.echo(f"{len(rows)} entities; {ambiguous} ambiguous mentions kept with their candidates", err=True)


@cli.command()
@click.argument("db")
@click.argument("query")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1))
def search(db, query, limit) -> None:
    """Full-text search of the documents in DB."""
    from .store.db import Store

    with Store(_existing_db(db)) as store:
        try:
            hits = store.search(query, limit=limit)
        except sqlite3.Error as exc:
            raise _fail(f"search failed for {query!r}: {exc}") from None
    for hit in hits:
        snippet = " ".join((hit["snippet"] or "").split())
        click.echo(f"{hit['id']}\t{hit['outlet'] or ''}\t{hit['title'] or ''}\n\t{snippet}")
    click.echo(f"{len(hits)} documents", err=True)


@cli.command()
@click.argument("db")
@click.option("--json", "json_out", type=click.Path(dir_okay=False), help="Write the JSON dossier here.")
@click.option("--html", "html_out", type=click.Path(dir_okay=False), help="Write the HTML dossier here.")
def export(db, json_out, html_out) -> None:
    """Write the JSON and/or HTML dossier of DB again (e.g. after editing the store)."""
    from .export.dossier import build_dossier, write_dossier
    from .store.db import Store

    if not json_out and not html_out:
        raise click.UsageError("give --json FILE and/or --html FILE")
    with Store(_existing_db(db)) as store:
        if json_out:
            write_dossier(store, json_out)
            click.echo(f"wrote {json_out}")
        if html_out:
            from .report.html import write

            write(build_dossier(store), html_out)
            click.echo(f"wrote {html_out}")


@cli.group(name="eval", cls=_Group)
def eval_() -> None:
    """Score storyline on public gold formats (TimeML, PolNeAR brat, PTC) or the demo gold."""


def _data_dir(path: str) -> str:
    if not Path(path).is_dir():
        raise click.BadParameter(f"{path!r} is not a folder", param_hint="PATH")
    return path


@eval_.command("timex")
@click.argument("path")
@click.option("--split", type=click.Choice(["dev", "heldout", "all", "both"]), default="all", show_default=True, help="Files to score: the tuning part, the held-out part, all, or dev and held-out side by side.")
@click.option("--parse/--no-parse", default=True, show_default=True, help="Parse each text with spaCy first, as analyze does (the tense of a weekday's clause is read from the parse); --no-parse reads cue words only.")
@click.option("--system-output", "system_output", type=click.Path(file_okay=False, exists=True), default=None, help="Score another tagger instead: a folder with its TimeML output for each gold file, under the same name (e.g. HeidelTime's, from benchmarks/heideltime.py).")
@click.option("--against", "against", type=click.Path(file_okay=False, exists=True), default=None, help="Also score the tagger whose TimeML output is in this folder on the same files, and print the difference with a 95% paired bootstrap interval over documents.")
@click.option("--resamples", type=click.IntRange(100), default=10_000, show_default=True, help="Bootstrap draws for --against.")
def eval_timex(path, split, parse, system_output, against, resamples) -> None:
    """Score date finding and normalization on TimeML .tml files in PATH (TempEval-3 measures).

    PATH is a folder of .tml files with gold TIMEX3 tags and a <DCT>: TimeBank and AQUAINT
    (TBAQ-cleaned), the TempEval-3 test set ("te3-platinum"), or your own. --split divides any
    folder into a tuning and a held-out part by a fixed hash of each file name.
    """
    from .eval.timex import main

    sys.exit(main(_data_dir(path), split=split, parse=parse, system_dir=system_output, against_dir=against,
                  resamples=resamples))


@eval_.command("quotes")
@click.argument("path")
@click.option("--split", type=click.Choice(["train", "dev"]), default="dev", show_default=True)
@click.option("--limit", type=click.IntRange(1), default=None, help="Score only the first N articles.")
def eval_quotes(path, split, limit) -> None:
    """Score quote attribution on the PolNeAR corpus in PATH (content and source P/R/F1)."""
    from .eval.quotes import main

    sys.exit(main(_data_dir(path), split=split, limit=limit))


@eval_.command("rhetoric")
@click.argument("path")
@click.option("--detector", default=DEFAULT_DETECTOR, show_default=True)
@click.option("--folds", default=5, show_default=True, type=click.IntRange(2, 20))
def eval_rhetoric(path, detector, folds) -> None:
    """Score persuasion-technique spans on PTC data in PATH, cross-validated over articles."""
    from .eval.rhetoric import main

    _check_detector(detector)
    sys.exit(main(_data_dir(path), detector=detector, folds=folds))


@eval_.command("demo")
@click.option("--out", "-o", default=None, type=click.Path(file_okay=False), help="Reuse or write the demo analysis here.")
def eval_demo(out) -> None:
    """Score the bundled demo corpus against its hand-written gold file."""
    from .eval.demo import main

    sys.exit(main(out))


@cli.group(cls=_Group)
def train() -> None:
    """Train the statistical components."""


@train.command("rhetoric")
@click.argument("path")
@click.option("--out", "-o", required=True, type=click.Path(file_okay=False), help="Folder for the trained model.")
def train_rhetoric(path, out) -> None:
    """Train the rhetoric span model on PTC-format data in PATH."""
    from .train import main_train

    sys.exit(main_train(_data_dir(path), out))


@cli.command()
@click.option("--docs", default=200, show_default=True, type=click.IntRange(1), help="Number of documents to generate from the demo corpus.")
@click.option("--processes", "-p", default=1, show_default=True, type=click.IntRange(1, 64))
@click.option("--batch-size", default=16, show_default=True, type=click.IntRange(1, 10_000))
@click.option("--rhetoric-only", is_flag=True, help="Time the rhetoric detector alone on one core instead.")
@click.option("--no-bare", is_flag=True, help="Skip the bare nlp.pipe measurement (for long runs where only the stage split matters).")
@click.option("--work", type=click.Path(file_okay=False), help="Scratch folder (default: a temporary one).")
def bench(docs, processes, batch_size, rhetoric_only, no_bare, work) -> None:
    """Print throughput and peak memory of a full analysis next to bare nlp.pipe on the same documents."""
    from .bench import main

    sys.exit(main(docs=docs, processes=processes, batch_size=batch_size, rhetoric_only=rhetoric_only, bare=not no_bare, work=work))


def main() -> None:  # pragma: no cover - console entry for `python -m storyline`
    cli(prog_name="storyline")


if __name__ == "__main__":  # pragma: no cover
    main()
