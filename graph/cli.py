"""The ``autograph`` command line: each command parses options, calls the library, prints."""

from __future__ import annotations

import dataclasses
import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from . import load_graph, schema, selection
from .dataset import check_dataset, load_dataset, validate_dataset
from .errors import AutographError
from .output import FORMATS as OUTPUT_FORMATS, render, terminal_safe
from .selection import DIRECTIONS, Selection, find_node, parse_list, select

# networkx, and the modules that import it, are imported by the commands that build a graph:
# a command that reads a large dataset's columns (validate, stats, the measures, most
# exports) never needs it, and importing it would add 0.12 s to each.


class _Group(click.Group):
    """Turns autograph's own errors into ``Error: ...`` and exit 1; bugs keep tracebacks."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except AutographError as err:
            # messages quote data (ids, names, values): no control characters to the terminal
            raise click.ClickException(terminal_safe(str(err))) from err


class _ExportFormat(click.Choice):
    """``export --format``: the names of :data:`graph.export.FORMATS`, read from it when
    first asked for (help, parsing), so that defining the command imports no exporter."""

    def __init__(self) -> None:
        super().__init__(())

    @property
    def choices(self) -> tuple[str, ...]:
        from .export import FORMATS

        return FORMATS

    @choices.setter
    def choices(self, _value: Any) -> None:  # click.Choice.__init__ assigns it
        pass


def data_option(fn: Callable) -> Callable:
    return click.option(
        "--data", "data_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
        help="Dataset folder (default: $AUTOGRAPH_DATA, else ./data if it holds a "
             "dataset, else the bundled data).")(fn)


def format_option(fn: Callable) -> Callable:
    return click.option("--format", "fmt", type=click.Choice(OUTPUT_FORMATS), default="table",
                        show_default=True, help="Output format.")(fn)


def force_option(fn: Callable) -> Callable:
    return click.option("--force", is_flag=True,
                        help="Replace the output if it exists (it is never half-written).")(fn)


def selection_options(fn: Callable) -> Callable:
    """The selection options shared by export, map and analyze."""
    options = [
        click.option("--focus", help="Entity id, name or alias at the centre."),
        click.option("--hops", type=int, default=None,
                     help="With --focus: how many relations away (default 1)."),
        click.option("--direction", type=click.Choice(DIRECTIONS), default="both",
                     show_default=True, help="With --focus: follow relations out, in or both."),
        click.option("--label", "labels", multiple=True, help="Node label(s) to keep."),
        click.option("--rel-type", "rel_types", multiple=True, help="Relationship type(s)."),
        click.option("--country", "countries", multiple=True, help="ISO country code(s)."),
        click.option("--status", "statuses", multiple=True,
                     help="Relation status(es): announced, planned, active, ended."),
        click.option("--since", help="Relations dated on or after DATE (YYYY[-MM[-DD]])."),
        click.option("--until", help="Relations dated on or before DATE."),
        click.option("--as-of", "as_of", help="Relations known by DATE and not ended by then."),
        click.option("--min-confidence", type=float,
                     help="Relations the sources state with confidence >= X (0 to 1)."),
        click.option("--min-reliability", type=click.Choice(list(schema.RELIABILITY)),
                     help="Relations with a source graded this or better (A best, F worst)."),
        click.option("--source", "sources", multiple=True,
                     help="Relations citing this source article (id or file name)."),
    ]
    return functools.reduce(lambda f, opt: opt(f), reversed(options), fn)


def build_selection(opts: dict[str, Any]) -> Selection:
    """Pop the selection options out of a command's keyword arguments."""
    hops = opts.pop("hops")
    if hops is not None and opts.get("focus") is None:
        raise click.UsageError("--hops needs --focus")
    return Selection(
        focus=opts.pop("focus"), hops=1 if hops is None else hops,
        direction=opts.pop("direction"), labels=parse_list(opts.pop("labels")),
        rel_types=parse_list(opts.pop("rel_types")), countries=parse_list(opts.pop("countries")),
        statuses=parse_list(opts.pop("statuses")), since=opts.pop("since"),
        until=opts.pop("until"), as_of=opts.pop("as_of"),
        min_confidence=opts.pop("min_confidence"), min_reliability=opts.pop("min_reliability"),
        sources=parse_list(opts.pop("sources")))


def load_graph_for(data_dir: Path | None, sel: Selection | None = None):
    """Load the dataset as a graph and apply *sel* when it selects anything.

    With ``--focus`` on a large dataset only the part within ``--hops`` of the focus is read
    into records and a graph (:func:`graph.columnar.read_around`); the selection made
    there is the one made on the whole graph.
    """
    if sel is not None and sel.focus is not None:
        around = _read_around(data_dir, sel)
        if around is not None:
            dataset, focus = around
            from .backends.networkx import to_networkx

            return select(to_networkx(dataset), dataclasses.replace(sel, focus=focus))
    G = load_graph(data_dir)
    return select(G, sel) if sel is not None and not sel.is_empty() else G


def _read_around(data_dir: Path | None, sel: Selection):
    from .dataset import large_dataset_folder

    folder = large_dataset_folder(data_dir)
    if folder is None:
        return None
    from . import columnar

    return columnar.read_around(folder, _resolver(sel.focus, sel), sel.hops)


def _resolver(query: str, sel: Selection | None = None) -> Callable[[dict], str]:
    """Resolves *query* to a node id in a dataset's checked tables as
    :func:`graph.selection.find_node` does in its graph (the same errors). With *sel*, its
    options are checked first, in the order :func:`graph.selection.select` checks them, so
    an invalid option is reported before an unknown focus, as on the whole graph."""
    def resolve(tables) -> str:
        import networkx as nx

        from . import columnar

        names = nx.Graph()
        if sel is not None:
            src = tables["sources.csv"]
            names.graph["sources"] = {sid: {"file": file} for sid, file
                                      in zip(src["id"].to_list(), src["file"].to_list())}
            selection.checked_options(names, sel)
        if query in tables["entities.csv"]["id"] or query in tables["deals.csv"]["id"]:
            return query
        names.add_nodes_from(columnar.node_names(tables))
        return find_node(names, query)
    return resolve


def _role_from_columns(data_dir: Path | None, entity: str, seed: int):
    """The role report of a large dataset's full view with count weights, from its columns:
    the view as :func:`graph.analysis.arrays.full_view_arrays` builds it, the graph of the
    entity and its neighbours only. None when the dataset is not large or not found valid."""
    from .dataset import large_dataset_folder

    folder = large_dataset_folder(data_dir)
    if folder is None:
        return None
    from . import columnar
    from .analysis import role
    from .analysis.arrays import full_view_arrays
    from .backends.networkx import to_networkx

    tables = columnar.checked_tables(folder)
    if tables is None:
        return None
    dataset, node = columnar.read_around(folder, _resolver(entity), 1, tables)
    return role(to_networkx(dataset), node, "full", seed, "count",
                V=full_view_arrays(folder, tables))


def analysis_view(data_dir: Path | None, opts: dict, view: str, weight: str,
                  half_life: float | None, whole_graph: bool = False):
    """``(G, V)``: the graph (None when not built) and the view the measures run on.

    The full view with count weights of a whole large dataset comes straight from its
    columns (:mod:`graph.analysis.arrays`: the same graph, vertex and edge order included);
    anything else, or *whole_graph* (robustness needs the graph), goes through networkx.
    """
    from .analysis.robustness import weighted_view
    from .dataset import large_dataset_folder

    as_of = opts["as_of"]
    sel = build_selection(opts)  # takes the selection options out of opts
    if (view == "full" and weight == "count" and half_life is None and sel.is_empty()
            and not whole_graph):
        folder = large_dataset_folder(data_dir)
        if folder is not None:
            from .analysis.arrays import full_view_arrays

            V = full_view_arrays(folder)
            if V is not None:
                return None, V
    G = load_graph_for(data_dir, sel)
    return G, weighted_view(G, view, weight, half_life=half_life, as_of=as_of)


@click.group(cls=_Group)
@click.version_option(package_name="autograph")
def cli() -> None:
    """autograph: the automotive industry network as a source-backed property graph."""


@cli.command()
@data_option
@click.option("--strict", is_flag=True,
              help="Refuse curation warnings too (an actor without a base, an ungraded source).")
def validate(data_dir: Path | None, strict: bool) -> None:
    """Check a dataset folder and report every problem as file:line: field: message.

    Errors exit 1. Curation warnings are listed and exit 0, unless --strict.

    \b
    Example:
        autograph validate
        autograph validate --strict --data my-data/
    """
    counts, warnings = check_dataset(data_dir, strict=strict)
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(f"ok: {counts['entities']} entities, {counts['relations']} relations, "
               f"{counts['deals']} deals, {counts['sources']} sources"
               + (f"; {len(warnings)} curation warnings (--strict refuses them)"
                  if warnings else ""))


@cli.command()
@click.argument("folder", required=False, default="data",
                type=click.Path(file_okay=False, path_type=Path))
@click.option("--empty", is_flag=True, help="Only the files' headers, no data.")
def init(folder: Path, empty: bool) -> None:
    """Create a dataset folder of your own (default: ./data), a copy of the bundled data
    to start from, or empty. Commands run where ./data is use it by default.

    \b
    Example:
        autograph init
        autograph init my-data --empty
    """
    from .formats import init_dataset
    from .resources import DATA_ENV

    folder = init_dataset(folder, empty=empty)
    click.echo(f"created {folder} ({'empty' if empty else 'a copy of the bundled data'}); "
               f"commands use it when run in {folder.absolute().parent}, or with --data "
               f"{folder}, or with {DATA_ENV}={folder.absolute()}")


@cli.command()
@click.argument("folder", required=False, type=click.Path(file_okay=False, exists=True,
                                                          path_type=Path))
def upgrade(folder: Path | None) -> None:
    """Bring a dataset folder to the current format, in place and atomically, filling only
    honest defaults (an ungraded source is graded F with a note); prints each change.

    \b
    Example:
        autograph upgrade my-data/
    """
    from .formats import CURRENT, upgrade as upgrade_folder
    from .resources import data_dir as default_data

    folder = default_data(folder)
    changes = upgrade_folder(folder)
    for change in changes:
        click.echo(f"  {change}")
    problems = validate_dataset(folder)
    errors = sum(1 for p in problems if not p.warning)
    click.echo(f"{folder}: format {CURRENT}{'' if changes else ', already up to date'}; "
               f"{errors} errors, {len(problems) - errors} curation warnings"
               + (f" (autograph validate --data {folder} lists them)" if problems else ""))


@cli.command()
@data_option
@format_option
def stats(data_dir: Path | None, fmt: str) -> None:
    """Counts per label, relationship type and status; sources; the date range.

    \b
    Example:
        autograph stats
        autograph stats --format json
    """
    from .analysis.summary import ATTRIBUTES, summarize
    from .frames import read_frames

    summary = summarize(read_frames(data_dir, ATTRIBUTES))
    if fmt == "json":
        click.echo(json.dumps(summary, indent=2, ensure_ascii=False))
        return
    blocks = [
        [{"": "nodes", "count": summary["nodes"]},
         {"": "relationships", "count": summary["relationships"]},
         {"": "undated relationships", "count": summary["undated"]}],
        [{"label": k, "count": v} for k, v in summary["labels"].items()],
        [{"type": k, "count": v} for k, v in summary["types"].items()],
        [{"status": k, "count": v} for k, v in summary["statuses"].items()],
        [{"source": k, "relations": v} for k, v in summary["sources"].items()],
        [{"reliability": k, "sources": v} for k, v in summary["reliability"].items()]
        + [{"reliability": "disputed relations", "sources": summary["disputed"]}],
    ]
    click.echo("\n\n".join(render(rows, fmt) for rows in blocks))
    if fmt == "table" and summary["dateRange"]:
        click.echo("\ndates: {} .. {}".format(*summary["dateRange"]))


@cli.command()
@data_option
@format_option
def disputed(data_dir: Path | None, fmt: str) -> None:
    """List every claim a reference contradicts: kept as its source stated it, marked.

    \b
    Example:
        autograph disputed
        autograph disputed --format json
    """
    from .analysis.summary import disputed_claims

    rows = disputed_claims(load_graph_for(data_dir))
    columns = ["relation", "type", "source", "target", "claimedBy", "disputedBy"]
    click.echo(render(rows, fmt, columns + (["status", "evidence"] if fmt != "table" else [])))


@cli.command("export")
@data_option
@selection_options
@click.option("--format", "fmt", type=_ExportFormat(), default="json",
              show_default=True, help="Output format.")
@click.option("--output", "-o", type=click.Path(), default=None,
              help="Output file (a folder or .zip for csv), written atomically; default: "
              "standard output.")
@click.option("--from", "origin", type=click.Choice(["embedded", "neo4j"]), default="embedded",
              show_default=True, help="Read the graph from the dataset files or from Neo4j "
              "(NEO4J_URI etc.; --dataset names what was loaded).")
@click.option("--dataset", help="With --from neo4j: the dataset name given at load time; "
              "with --format csv or cypher: the name the import or script tags (_dataset). "
              "Default: as load names it (autograph for the bundled data, else the data "
              "folder's name).")
@force_option
@click.option("--keep-formulas", is_flag=True,
              help="With --format csv: write cells that begin with = + - @ as they are "
              "(for neo4j-admin only; unsafe to open in a spreadsheet).")
@click.option("--symmetric", type=click.Choice(["directed", "undirected"]), default="directed",
              show_default=True, help="With --format graphml or gexf: write symmetric types "
              "(PARTNERS_WITH, ...) as directed edges with symmetric=true (networkx reads "
              "them), or as undirected edges (a mixed graph; networkx refuses it).")
@click.option("--no-viz", is_flag=True, help="With --format gexf: no colours and sizes "
              "(JGraphT's GEXF importer validates the file then).")
@click.option("--all-sources", is_flag=True, help="With a selection: keep the whole source "
              "registry (default: only the sources the selection cites).")
def export_cmd(data_dir: Path | None, fmt: str, output: str | None, origin: str,
               dataset: str | None, force: bool, keep_formulas: bool, symmetric: str, no_viz: bool,
               all_sources: bool, **opts: Any) -> None:
    """Write the graph, or a selected slice of it, for Gephi, Cytoscape, Neo4j, pandas or a
    report.

    \b
    Example:
        autograph export --format json -o graph.json
        autograph export --focus catl --hops 2 --format gexf -o catl.gexf
        autograph export --focus catl --format cytoscape -o catl.cyjs
        autograph export --rel-type SUPPLIES --format csv -o supply.zip
        autograph export --country BE --format mermaid
        autograph export --from neo4j --source 001_a3af7357bdf967bf --format graphml
        autograph export --format graphml -o graph.graphml --force
    """
    from . import export as export_mod

    sel = build_selection(opts)
    options = export_mod.check_options(fmt, undirected=symmetric == "undirected",
                                       viz=not no_viz)
    dataset = dataset or dataset_name(data_dir)[0]
    if origin == "neo4j":
        source = select(fetch_from_neo4j(data_dir, dataset), sel)
    elif sel.is_empty() and export_mod.EXPORTERS[fmt].pieces is not None:
        from .frames import read_frames

        source = read_frames(data_dir)  # the whole dataset, straight from its columns
    else:
        source = load_graph_for(data_dir, sel)
    kwargs = dict(dataset=dataset, cited_only=not (sel.is_empty() or all_sources), **options)
    if output is None and fmt != "csv":
        for piece in export_mod.render(source, fmt, **kwargs):
            click.echo(piece, nl=False)
        return
    paths = export_mod.export(source, fmt, output, force=force,
                              escape_formulas=not keep_formulas, **kwargs)
    nodes, relationships = export_mod.counts(source)
    click.echo(f"wrote {nodes} nodes and {relationships} relationships "
               f"to {', '.join(map(str, paths))}", err=True)


def dataset_name(data_dir: Path | None) -> tuple[str, str]:
    """The name ``load`` gives the dataset in *data_dir* (``--data``, else the default
    folder), and the source it records: ``autograph`` and "the bundled dataset" for the
    installed data, else the folder's name and its absolute path."""
    from .resources import bundled_dir, data_dir as resolve_data_dir

    folder = resolve_data_dir(data_dir).resolve()
    if folder == bundled_dir("data").resolve():
        return "autograph", "the bundled dataset"
    return folder.name, str(folder)


def fetch_from_neo4j(data_dir: Path | None, dataset: str):
    """The loaded *dataset* from the configured Neo4j server, with the local source registry."""
    from .backends.neo4j import BoltSettings, Neo4jBackend
    from .backends.networkx import source_registry

    with Neo4jBackend(BoltSettings.from_env()) as db:
        G = db.fetch_graph(dataset)
    G.graph["sources"] = source_registry(load_dataset(data_dir))
    return G


def view_options(fn: Callable) -> Callable:
    fn = click.option("--seed", type=int, default=42, show_default=True,
                      help="Seed for sampling and community detection.")(fn)
    return click.option("--view", type=click.Choice(["full", "company"]), default="full",
                        show_default=True, help="full graph, or companies with plants folded "
                        "into operators and shared technologies as links.")(fn)


def weight_options(fn: Callable) -> Callable:
    """``--weight`` and ``--half-life``: what a relation counts for in a measure."""
    fn = click.option("--half-life", "half_life", type=click.FloatRange(min=0, min_open=True),
                      default=None, help="With --weight evidence: halve a relation's weight "
                      "every YEARS before --as-of (or today).")(fn)
    return click.option("--weight", type=click.Choice(["count", "evidence"]), default="count",
                        show_default=True, help="count: every relation 1; evidence: confidence "
                        "x source reliability x independent sources, disputes halved.")(fn)


@cli.group()
def analyze() -> None:
    """Who holds the network together, who bridges whom, which clusters form."""


@analyze.command("centrality")
@data_option
@selection_options
@view_options
@click.option("--measure", "measures", multiple=True,
              type=click.Choice(["degree", "betweenness", "pagerank", "eigenvector"]),
              help="Measure(s) to compute; the first ranks the table (default: all).")
@click.option("--top", type=click.IntRange(1), default=20, show_default=True)
@weight_options
@click.option("--robustness", "robust", is_flag=True,
              help="Add each rank's range under leave-one-source-out, the other weight and "
                   "seeded perturbations, and the source it depends on most.")
@format_option
def analyze_centrality(data_dir, view, seed, measures, top, fmt, weight, half_life, robust,
                       **opts) -> None:
    """Rank entities by degree, betweenness, PageRank and eigenvector centrality.

    \b
    Example:
        autograph analyze centrality --top 10
        autograph analyze centrality --view company --measure pagerank --format json
        autograph analyze centrality --country DE --status active
        autograph analyze centrality --weight evidence --half-life 5 --robustness
    """
    from .analysis import centrality_table
    from .analysis.robustness import robustness

    as_of = opts["as_of"]
    G, V = analysis_view(data_dir, opts, view, weight, half_life, whole_graph=robust)
    measures = measures or ("pagerank", "betweenness", "degree", "eigenvector")
    robust = (robustness(G, measures[0], view, weight, half_life=half_life, as_of=as_of,
                         seed=seed) if robust else None)
    rows, notes = centrality_table(V, measures, top=top, seed=seed, robust=robust)
    click.echo(render(rows, fmt))
    for note in notes:
        click.echo(f"note: {note}", err=True)


@analyze.command("communities")
@data_option
@selection_options
@view_options
@click.option("--method", type=click.Choice(["louvain", "leiden"]), default="louvain",
              show_default=True)
@click.option("--top", type=click.IntRange(1), default=None, help="Show the N largest.")
@weight_options
@click.option("--stability", type=click.IntRange(0), default=0, metavar="SEEDS",
              help="Add how often each community's member pairs stay together over SEEDS "
                   "runs (seeds 0..SEEDS-1).")
@format_option
def analyze_communities(data_dir, view, seed, method, top, fmt, weight, half_life, stability,
                        **opts) -> None:
    """Find communities (Louvain or Leiden, seeded) and report the modularity.

    \b
    Example:
        autograph analyze communities
        autograph analyze communities --method leiden --seed 7 --view company
        autograph analyze communities --weight evidence --stability 20
    """
    from .analysis import community_table

    _, V = analysis_view(data_dir, opts, view, weight, half_life)
    result = community_table(V, method, seed, top, stability)
    if fmt == "json":
        click.echo(json.dumps(result, indent=2, ensure_ascii=False))
        return
    click.echo(render(result["rows"], fmt, columns=["community", "size", "countries", "leaders"]
                      + (["stability"] if stability else [])))
    if fmt == "table":
        click.echo(f"\n{result['communities']} communities by {method} (seed {seed}), "
                   f"modularity {result['modularity']:.4f}")


@analyze.command("role")
@click.argument("entity")
@data_option
@view_options
@weight_options
@click.option("--as-of", "as_of", help="Relations known by DATE and not ended by then; the "
              "reference for --half-life.")
@click.option("--robustness", "robust", is_flag=True,
              help="How far each rank moves without each source, under the other weight and "
                   "under seeded perturbations; community stability across seeds.")
@format_option
def analyze_role(entity, data_dir, view, seed, weight, half_life, as_of, robust, fmt) -> None:
    """An entity's role: ranks, brokerage, communities and countries it bridges, relations.

    \b
    Example:
        autograph analyze role catl
        autograph analyze role "Contemporary Amperex Technology" --format json
        autograph analyze role catl --weight evidence --robustness
    """
    from .analysis import role
    from .output import render_role

    report = None
    if view == "full" and weight == "count" and half_life is None and as_of is None \
            and not robust:
        report = _role_from_columns(data_dir, entity, seed)
    if report is None:
        G = load_graph_for(data_dir, Selection(as_of=as_of))
        report = role(G, entity, view, seed, weight, half_life=half_life, as_of=as_of,
                      robust=robust)
    click.echo(render_role(report, fmt))
    if robust and fmt == "table":
        from .analysis.robustness import robustness_rows

        rows, lines = robustness_rows(report)
        click.echo("\n" + render(rows, "table") + "\n" + "\n".join(lines))


@analyze.command("predict")
@data_option
@click.option("--type", "types", multiple=True,
              help="Relationship type(s) that link partners (default: the cooperation group); "
                   "the first is the type of the candidates written with -o.")
@click.option("--as-of", "as_of", help="Predict from the relations that held at DATE.")
@click.option("--top", type=click.IntRange(1), default=20, show_default=True)
@click.option("--output", "-o", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Write the suggestions as an undecided candidates folder for review.")
@format_option
def analyze_predict(data_dir, types, as_of, top, output, fmt) -> None:
    """Suggest likely next partners (Adamic-Adar), explained; hypotheses, not facts.

    \b
    Example:
        autograph analyze predict --top 10
        autograph analyze predict --type PARTNERS_WITH,JOINT_VENTURE -o predicted/
        autograph review predicted/
    """
    from .analysis.predict import predict_links, predicted_candidates
    from .ingest.candidates import write_new_candidates

    types = parse_list(types)
    rows = predict_links(load_graph_for(data_dir, Selection(as_of=as_of)), types, top)
    if output is not None:
        write_new_candidates(predicted_candidates(rows, (types or ("PARTNERS_WITH",))[0]),
                             output, data_dir)
        click.echo(f"{len(rows)} predicted relations to {output} (undecided; cite a source "
                   "before accepting one)", err=True)
    click.echo(render(rows, fmt, columns=None if fmt == "json" else [
        "rank", "source", "target", "adamicAdar", "resourceAllocation", "explanation"]))


@analyze.command("cluster")
@click.argument("region")
@data_option
@click.option("--seed", type=int, default=42, show_default=True)
@format_option
def analyze_cluster(region, data_dir, seed, fmt) -> None:
    """A regional cluster: its plants and companies, operators, technologies and partners.

    \b
    Example:
        autograph analyze cluster flanders
        autograph analyze cluster "Bergisches Städtedreieck" --format json
    """
    from .analysis import cluster
    from .output import render_cluster

    click.echo(render_cluster(cluster(load_graph_for(data_dir), region, seed), fmt))


@cli.command("map")
@data_option
@selection_options
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write (default: autograph-map.html, .svg or .png).")
@click.option("--format", "fmt", type=click.Choice(["html", "svg", "png"]), default=None,
              help="html: interactive page; svg, png: static A4 image for reports "
                   "(default: from the -o suffix, else html).")
@click.option("--color-by", type=click.Choice(["label", "community", "country"]),
              default="label", show_default=True)
@click.option("--size-by", type=click.Choice(["degree", "pagerank", "betweenness", "evidence"]),
              default="degree", show_default=True,
              help="evidence: the sum of a node's evidence weights (see analyze --weight).")
@click.option("--title", default=None,
              help="Default: the focus (\"CATL: 2 hops\"), else \"autograph network\"; the "
                   "line under it names the focus and the as-of date.")
@click.option("--seed", type=int, default=42, show_default=True,
              help="Seed for communities and the layout.")
@force_option
def map_cmd(data_dir, output, fmt, color_by, size_by, title, seed, force, **opts) -> None:
    """Write a network map: an interactive, self-contained HTML page that works offline,
    or a static SVG/PNG image (A4, 300 dpi) with the same colours, sizes and legend.

    An interactive map autograph wrote is replaced when the command runs again; any other
    existing file only with --force.

    \b
    Example:
        autograph map -o network.html
        autograph map --focus catl --hops 2 --color-by country -o catl.html
        autograph map --country BE --size-by pagerank --title "Belgian co-production"
        autograph map --as-of 2023-12 --rel-type PARTNERS_WITH,JOINT_VENTURE,SIGNED_MOU
        autograph map --focus catl --format svg -o catl.svg
        autograph map -o network.html --force
    """
    from .atomic import atomic_path, check_target
    from .export.common import check_not_empty
    from .viz import map_format, write_map_file

    fmt = map_format(fmt, output)
    output = output or Path(f"autograph-map.{fmt}")
    force = force or _is_interactive_map(output)  # run again, it replaces its own page
    check_target(output, force=force)
    sel = build_selection(opts)
    G = load_graph_for(data_dir, sel)
    check_not_empty(G)
    with atomic_path(output, force=force) as tmp:
        write_map_file(G, tmp, fmt, sel=sel, title=title, color_by=color_by, size_by=size_by,
                       seed=seed)
    click.echo(f"wrote {output} ({G.number_of_nodes()} entities, {G.number_of_edges()} "
               "relations)")


def _is_interactive_map(path: Path) -> bool:
    """Whether *path* is an interactive map page autograph wrote (its script's marker)."""
    try:
        return path.suffix == ".html" and b"window.autograph = {" in path.read_bytes()
    except OSError:
        return False


def _neo4j_options(fn: Callable) -> Callable:
    options = [
        click.option("--uri", help="Bolt URI (default: $NEO4J_URI), without credentials."),
        click.option("--user", help="User name (default: $NEO4J_USERNAME, else neo4j)."),
        click.option("--database", help="Database (default: $NEO4J_DATABASE, else the "
                     "server's default). The password is read from $NEO4J_PASSWORD only."),
        click.option("--timeout", type=click.FloatRange(0, 86400, min_open=True), default=60,
                     show_default=True, help="Seconds to wait for the server to answer."),
    ]
    return functools.reduce(lambda f, opt: opt(f), reversed(options), fn)


def _param_value(text: str) -> Any:
    """-p values: JSON where they parse as JSON (numbers, lists, true), else plain text."""
    try:
        return json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        return text


@cli.command()
@data_option
@_neo4j_options
@click.option("--dataset", help="Name of the dataset: it owns what the load writes (default: "
              "autograph for the bundled data, else the data folder's name).")
@click.option("--replace", is_flag=True,
              help="Also remove what earlier loads of this dataset wrote that is gone now.")
@click.option("--batch-size", type=click.IntRange(1, 100_000), default=1000, show_default=True)
@click.option("--take-over", is_flag=True, help="Load into a dataset of this name that was "
              "loaded from another folder (its nodes are updated, and with --replace removed).")
def load(data_dir: Path | None, uri: str | None, user: str | None, database: str | None,
         timeout: float, dataset: str | None, replace: bool, batch_size: int,
         take_over: bool) -> None:
    """Load the dataset into Neo4j over Bolt: one transaction, all or nothing, idempotent.

    \b
    Example:
        export NEO4J_URI=bolt://localhost:7687 NEO4J_USERNAME=neo4j NEO4J_PASSWORD=...
        autograph load
        autograph load --data my-data/ --replace
    """
    from .backends.neo4j import BoltSettings, Neo4jBackend

    name, source = dataset_name(data_dir)
    dataset = dataset or name
    settings = BoltSettings.from_env(uri, user, database, timeout=timeout)
    G = load_graph_for(data_dir)
    total = G.number_of_nodes() + G.number_of_edges()
    with Neo4jBackend(settings) as db, click.progressbar(
            length=total, label="loading", file=sys.stderr) as bar:
        report = db.load(G, dataset, source, replace=replace, take_over=take_over,
                         batch_size=batch_size, progress=bar.update)
    click.echo(f"loaded {report.nodes} nodes and {report.relationships} relationships as "
               f"dataset {dataset!r} in one transaction ({report.batches} batches)")
    if replace:
        click.echo(f"removed {report.removed_nodes} nodes and {report.removed_relationships} "
                   "relationships left from earlier loads")


@cli.command()
@click.argument("query", required=False)
@click.option("-p", "--param", "params", nargs=2, multiple=True, metavar="KEY VALUE",
              help="A query parameter; VALUE is read as JSON when it parses, else as text.")
@format_option
@click.option("--write", is_flag=True, help="Allow the query to write.")
@click.option("--list", "list_queries", is_flag=True, help="List the query library.")
@_neo4j_options
def query(query: str | None, params: tuple[tuple[str, str], ...], fmt: str, write: bool,
          list_queries: bool, uri: str | None, user: str | None, database: str | None,
          timeout: float) -> None:
    """Run Cypher, or a query of the library by NAME, on Neo4j (read-only unless --write).

    \b
    Example:
        autograph query --list
        autograph query role_of_entity -p entity catl
        autograph query role_of_entity -p entity catl -p asOf 2024
        autograph query partners_of_company -p company volkswagen-group -p types '["SUPPLIES"]'
        autograph query "MATCH (c:Company) RETURN c.name AS name" --format csv
    """
    from . import cypher
    from .backends.neo4j import BoltSettings, Neo4jBackend

    if list_queries:
        rows = [{"name": q.name, "description": q.description, "parameters": list(q.params)}
                for q in cypher.list_queries()]
        click.echo(render(rows, fmt))
        return
    if not query:
        raise click.UsageError("give a query NAME or Cypher text, or --list")
    text, values = cypher.prepare(query, {k: _param_value(v) for k, v in params}, write=write)
    with Neo4jBackend(BoltSettings.from_env(uri, user, database, timeout=timeout)) as db:
        result = db.query(text, values, write=write)
    click.echo(render(result.records(), fmt, columns=result.columns))


# -- growing the dataset --------------------------------------------------------------------

@cli.command()
@click.argument("articles", nargs=-1, required=True,
                type=click.Path(dir_okay=False, path_type=Path))
@data_option
@click.option("--output", "-o", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Candidates folder to write (dataset format plus review columns).")
@click.option("--lang", type=click.Choice(["auto", "de", "en"]), default="auto",
              show_default=True, help="Language of the articles.")
@click.option("--id", "source_id", help="Source id (one article; default: the file name).")
@click.option("--title", help="Source title (default: the first line or the HTML title).")
@click.option("--publisher", help="Source publisher.")
@click.option("--date", help="Publication date (default: a date found in the text).")
@click.option("--url", help="The article's address.")
@click.option("--reliability", help="Source reliability, A-F (datasets with that column).")
@click.option("--cues", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="An extra cue lexicon (TOML) added to the bundled one.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="What to print: a summary, or the candidates as "
              "node-link JSON.")
def ingest(articles, data_dir, output, lang, source_id, title, publisher, date, url,
           reliability, cues, fmt) -> None:
    """Propose entities and relations from articles (text, Markdown, HTML) for review.

    \b
    Example:
        autograph ingest article.txt -o candidates/
        autograph ingest news.html --lang en --publisher "Auto News" -o candidates/
    """
    from .ingest.candidates import (candidates_json, ingest as run_ingest, summary_rows,
                                    write_new_candidates)

    meta = {"id": source_id, "title": title, "publisher": publisher, "date": date, "url": url,
            "reliability": reliability}
    cands = run_ingest(list(articles), data_dir, language=lang, meta=meta, cues=cues)
    write_new_candidates(cands, output, data_dir)
    if fmt == "json":
        click.echo(candidates_json(cands, load_dataset(data_dir)))
        return
    click.echo(render(summary_rows(cands), "table"))
    click.echo(terminal_safe(
        f"\nwrote {len(cands.entities)} entity, {len(cands.relations)} relation and "
        f"{len(cands.properties)} figure candidates to {output}; next: autograph review "
        f"{output}"))


@cli.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@data_option
def review(folder: Path, data_dir: Path | None) -> None:
    """Review candidates in the terminal: accept, reject, edit; quit and resume any time.

    Keys: a accept, r reject, s skip, b back, t type, g target, u status, e evidence, q quit.

    \b
    Example:
        autograph review candidates/
    """
    from .ingest.candidates import read_candidates
    from .ingest.review import review as run_review

    def getkey() -> str:
        try:
            return click.getchar()
        except OSError as err:  # no terminal to read key presses from
            raise click.ClickException(
                "review needs a terminal for its key presses; without one, decide by "
                f"editing the decision column (accept/reject) of the CSV files in {folder}"
            ) from err

    known = {e.id: e.name for e in load_dataset(data_dir).entities.values()}
    color = sys.stdout.isatty()
    result = run_review(read_candidates(folder), known, getkey,
                        lambda label, default: click.prompt(label, default=default),
                        lambda screen: (click.clear(), click.echo(screen)), color=color)
    click.echo(f"{result.accepted} accepted, {result.rejected} rejected, {result.undecided} "
               f"undecided{' (quit; run review again to resume)' if result.quit else ''}")


@cli.command()
@click.argument("folder", required=False, type=click.Path(file_okay=False, path_type=Path))
@data_option
@click.option("--from", "other", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="Combine another dataset folder into the dataset instead.")
@click.option("--review-dir", type=click.Path(file_okay=False, path_type=Path),
              help="With --from: where uncertain matches go for review "
                   "(default: OTHER-review).")
@format_option
def merge(folder: Path | None, data_dir: Path | None, other: Path | None,
          review_dir: Path | None, fmt: str) -> None:
    """Apply accepted candidates to the dataset (validated, atomic), or merge a dataset.

    One change at a time: a merge waits for another change of the same dataset (up to
    AUTOGRAPH_LOCK_WAIT seconds, default 60), then refuses naming it.

    \b
    Example:
        autograph merge candidates/ --data my-data/
        autograph merge --from partner-data/ --data my-data/
    """
    from .ingest.merge import merge_candidates, merge_datasets

    if (folder is None) == (other is None):
        raise click.UsageError("give a candidates FOLDER or --from OTHER_DATASET")
    report = merge_datasets(other, data_dir, review_dir=review_dir) if other else \
        merge_candidates(folder, data_dir)
    click.echo(render(report.rows(), fmt) if report.rows() else "nothing to merge")
    if report.review_dir:
        click.echo(terminal_safe(
            f"uncertain matches sent to {report.review_dir}: autograph review "
            f"{report.review_dir}, then autograph merge {report.review_dir}"), err=True)


@cli.command()
@click.argument("old", required=False, type=click.Path(file_okay=False, exists=True,
                                                       path_type=Path))
@click.argument("new", required=False, type=click.Path(file_okay=False, exists=True,
                                                       path_type=Path))
@click.option("--rev", help="Compare the dataset folder (--data) with this git revision.")
@data_option
@format_option
def diff(old: Path | None, new: Path | None, rev: str | None, data_dir: Path | None,
         fmt: str) -> None:
    """Entities, relations and sources added, removed and changed, field by field.

    \b
    Example:
        autograph diff old-data/ data/
        autograph diff --rev HEAD~1
    """
    from .diff import diff_folders, diff_rev, diff_rows

    if rev is not None and (old or new) or rev is None and not (old and new):
        raise click.UsageError("give OLD and NEW folders, or --rev REV")
    changes = diff_rev(rev, data_dir) if rev is not None else diff_folders(old, new)
    rows = diff_rows(changes)
    click.echo(render(rows, fmt, columns=["kind", "id", "change", "field", "old", "new"])
               if rows or fmt != "table" else "no changes")


@cli.command("format")
@data_option
@click.option("--check", is_flag=True, help="Only report files that are not canonical "
              "(exit 1 if any).")
def format_cmd(data_dir: Path | None, check: bool) -> None:
    """Rewrite a dataset folder through the canonical writer (validated, atomic).

    \b
    Example:
        autograph format --data my-data/
        autograph format --check
    """
    from .writer import format_dataset, is_canonical

    if check:
        files = is_canonical(data_dir)
        if files:
            raise AutographError(f"not canonical: {', '.join(files)}; run autograph format")
        click.echo("canonical")
        return
    changed = format_dataset(data_dir)
    click.echo(f"rewrote {', '.join(p.name for p in changed)}" if changed else "unchanged")
