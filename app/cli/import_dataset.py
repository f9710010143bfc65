"""``innoatlas import FILE --project P.gpkg`` and ``innoatlas datasets``: an official
Korean dataset into a project in one step, headless (app/core/datasets,
docs/datasets.md).

``import`` recognises the file by its header (or takes ``--dataset``), reads it into
its layers in their roles (start-ups, zoning; NPS workplaces per dong as a context
layer), clipped to the study area, with real-data provenance and their coverage area,
and saves the project (created from the embedded one when the file does not exist).
``datasets`` lists the recognised datasets, where each is published and what it
becomes. Bad input is one ``innoatlas: error:`` line (what is missing, what was
assumed) and exit code 2; the project file is then unchanged. Qt is never imported.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from app.cli.common import print_notes, run_guarded

DATASET_CHOICES = ("auto", "semas", "nps", "zoning", "greenbelt")


def add_import_parser(commands: argparse._SubParsersAction) -> None:
    """Add the ``import`` and ``datasets`` subcommands to the ``innoatlas`` parser."""
    parser = commands.add_parser(
        "import",
        help="import an official dataset (상가정보, 국민연금, 용도지역, 개발제한구역) "
        "into a project",
        description="Recognise an official Korean dataset by its header, read it into "
        "the right layer role (filtered, mapped, clipped to the study area, with its "
        "provenance) and save it into the project.",
    )
    parser.add_argument("file", type=Path, metavar="FILE", help="the downloaded file")
    parser.add_argument(
        "--dataset",
        choices=DATASET_CHOICES,
        default="auto",
        help="which dataset the file is (default: recognised from its header)",
    )
    parser.add_argument(
        "--project",
        type=Path,
        metavar="P.gpkg",
        dest="sub_project",
        required=True,
        help="project GeoPackage to write into (created from the embedded project "
        "when it does not exist)",
    )
    parser.add_argument(
        "--ksic",
        metavar="CODES",
        help="상가정보: the KSIC codes of knowledge-based firms (default "
        "'C21, C26-C28, J58-J63, M70-M73')",
    )
    parser.add_argument(
        "--keep-all",
        action="store_true",
        help="상가정보: also keep the other businesses as an 'all businesses' layer",
    )
    parser.add_argument("--encoding", metavar="ENC", help="text encoding (default: detected)")
    commands.add_parser(
        "datasets",
        help="list the official datasets import recognises",
        description="The official datasets 'innoatlas import' and Add layer recognise: "
        "where each is published, its licence and what it becomes.",
    )


def run_import(args: argparse.Namespace, error: Callable[[str], int]) -> int:
    """Run ``import``; every failure is ``error(one line)`` (exit code 2)."""
    return run_guarded(_run_import, args, error)


def run_datasets(args: argparse.Namespace, error: Callable[[str], int]) -> int:
    """Run ``datasets``."""
    return run_guarded(_run_datasets, args, error)


def _run_import(args: argparse.Namespace) -> int:
    from app.core.datasets.project_import import (
        add_dataset_layers,
        read_dataset,
        recognise_or_refuse,
    )
    from app.core.datasets.tables import KsicFilter
    from app.core.errors import InnoAtlasError
    from app.core.formats.vector import ReadOptions
    from app.core.paths import DEFAULT_PROJECT
    from app.core.project.store import open_project, save_project

    ksic = None
    if args.ksic is not None:
        try:
            ksic = KsicFilter.parse(args.ksic)
        except ValueError as err:
            raise InnoAtlasError(f"--ksic: {err}") from None
    target: Path = args.sub_project
    if target.suffix.lower() != ".gpkg":
        raise InnoAtlasError(f"--project must be a GeoPackage (.gpkg), not {target.name}")
    recognition = recognise_or_refuse(args.file, args.dataset, ReadOptions(encoding=args.encoding))
    project = open_project(target if target.exists() else DEFAULT_PROJECT)
    print_notes(project.notes)
    result = read_dataset(
        recognition, project.stack, ksic=ksic, keep_all=args.keep_all, encoding=args.encoding
    )
    layers, extra, notes = add_dataset_layers(project.stack, project.settings.extra, result)
    project.settings.extra = extra
    print_notes([n for layer in result.layers for n in layer.notes] + notes)
    print_notes(save_project(target, project.stack, project.settings))
    print(result.summary)
    from app.core.project.coverage import DISTRICTS_LAYER, DONGS_LAYER, describe, saved_coverage

    districts, dongs = (
        (layer.data if layer is not None else None)
        for layer in (project.stack.get(DISTRICTS_LAYER), project.stack.get(DONGS_LAYER))
    )
    roles = {name: role for role, name in project.settings.roles().items()}
    for layer in layers:
        role = roles.get(layer.name)
        coverage = saved_coverage(extra, layer.name)
        where = (
            f" (covers {describe(coverage, districts, dongs)})"
            if role and coverage is not None
            else ""
        )
        kind = f"role {role}{where}" if role else "context layer"
        print(f"{layer.name}: {len(layer.data)} features, {kind}, {layer.provenance.vintage}")
    return 0


def _run_datasets(args: argparse.Namespace) -> int:
    from app.core.datasets.registry import DATASETS

    for key, spec in DATASETS.items():
        print(f"{key}: {spec.name_ko} — {spec.name_en}")
        print(f"  published by {spec.publisher}: {spec.where}")
        print(f"  {spec.url}")
        print(f"  licence: {spec.licence}")
        print(f"  file: {spec.encoding}; {spec.crs}")
        print(f"  becomes: {spec.becomes}")
        print(f"  for the three districts: {spec.download}")
    return 0
