"""Time what a new partnership loads on its first day: the national ward lookup, the
NHS ODS file of every GP practice and an organisation's contact list, against saving
one row at a time.

Generates a ward to local authority district lookup in the ONS layout (`--wards`,
about 9,000 in the national file, in districts of 25) and an `epraccur.csv` in the
ODS's 27 columns (`--practices`, about 10,000 nationally, some of them walk-in centres
and closed practices as the real file has), and loads each the way `engage setup
--ward-lookup` and `engage organisations load --register ods_gp` do
(`engage.places.services.wards_load`, `engage.partners.registers.services.organisations_load`),
into SQLite (a file in a temporary folder) and PostgreSQL (a database the script makes
and drops), each in its own process on a fresh database. The naive way, in the same run:
`csv.reader` and one `.save()` per row, after looking each up by its code, for the first
`--naive-rows` rows, its rate extrapolated to the file. The goal (issue 18): each file
in under 10 s.

The contact list (`--people`, 10,000 by default: a large organisation's) has a
reference, names, email, postcode, a role, two of ten groups and consent to contact,
and is imported as `engage people import` does (engage.partners.people_imports, one
transaction), then again (every person matched and found as they were). Its naive way
is the services staff use on the person's page, one call each: add the person, their
consent, each group membership.

    .venv/bin/python bench/setup.py [--wards 9000] [--practices 10000] [--people 10000]
        [--naive-rows 500] [--database both|sqlite|postgres]

The last line printed is JSON: per database and file `<db>_<file>_seconds`,
`<db>_<file>_naive_seconds` (extrapolated) and `<db>_<file>_ratio`.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _databases import bench_database, run_in_child

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/engage_bench_setup"
WARD_HEADINGS = ["WD24CD", "WD24NM", "WD24NMW", "LAD24CD", "LAD24NM", "LAD24NMW", "ObjectId"]
GOAL_SECONDS = 10.0


def write_ward_lookup(path: Path, wards: int) -> None:
    with path.open("w", newline="", encoding="utf-8-sig") as out:
        writer = csv.writer(out)
        writer.writerow(WARD_HEADINGS)
        for number in range(wards):
            district = number // 25
            writer.writerow(
                [
                    f"E05{number:06d}",
                    f"Ward {number} of District {district}",
                    "",
                    f"E08{district:06d}",
                    f"District {district}",
                    "",
                    str(number + 1),
                ]
            )


def write_epraccur(path: Path, practices: int) -> None:
    """One row in twenty a walk-in centre (another prescribing setting), one in fifty
    closed; a name in every hundred shared with another practice."""
    with path.open("w", newline="", encoding="ascii") as out:
        writer = csv.writer(out, quoting=csv.QUOTE_ALL)
        for number in range(practices):
            row = [""] * 27
            name = "THE SURGERY" if number % 100 == 0 else f"PRACTICE NUMBER {number} MEDICAL CENTRE"
            closed = number % 50 == 1
            row[0], row[1], row[2], row[3] = f"M{number:05d}", name, "Y60", "QHM"
            row[4], row[6], row[9] = "1 HIGH STREET", "TOWN", f"DY{number % 14 + 1} {number % 9}AA"
            row[10], row[11], row[12] = "19740401", "20240331" if closed else "", "C" if closed else "A"
            row[13], row[14], row[25] = "B", "D2P2L", "1" if number % 20 == 3 else "4"
            writer.writerow(row)


def write_contact_list(path: Path, people: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(
            [
                "Reference",
                "First name",
                "Last name",
                "Email",
                "Postcode",
                "Roles",
                "Groups",
                "Consent to contact given on",
                "Consent to contact method",
            ]
        )
        for number in range(people):
            writer.writerow(
                [
                    f"C-{number}",
                    f"Given{number}",
                    f"Family{number}",
                    f"person{number}@example.org",
                    f"DY{number % 14 + 1} {number % 9}AB",
                    "Volunteer" if number % 7 == 0 else "",
                    f"Group {number % 10}; Group {(number + 3) % 10}",
                    "15/03/2025",
                    "paper form",
                ]
            )


def setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django  # noqa: PLC0415 - after django.setup() for the database the run chose

    django.setup()


def run_load(options: argparse.Namespace) -> dict[str, Any]:
    setup()
    from engage.partners.models import (  # noqa: PLC0415 - after django.setup() for the database the run chose
        Organisation,
        Person,
        Register,
    )
    from engage.partners.registers.services import organisations_load  # noqa: PLC0415 - after django.setup() for the database the run chose
    from engage.places.models import Ward  # noqa: PLC0415 - after django.setup() for the database the run chose
    from engage.places.services import wards_load  # noqa: PLC0415 - after django.setup() for the database the run chose

    wards, practices = Path(options.wards_csv), Path(options.practices_csv)
    started = time.perf_counter()
    wards_load(actor=None, path=wards, file_name=wards.name)
    ward_seconds = time.perf_counter() - started
    started = time.perf_counter()
    organisations_load(
        actor=None, path=practices, file_name=practices.name, register=Register.ODS_GP_PRACTICES
    )
    practice_seconds = time.perf_counter() - started
    # Loaded again: every practice matched by its code and found as it was.
    started = time.perf_counter()
    again = organisations_load(
        actor=None, path=practices, file_name=practices.name, register=Register.ODS_GP_PRACTICES
    )
    practice_again_seconds = round(time.perf_counter() - started, 2)
    people_seconds, people_again_seconds, people_again_unchanged = _people(Path(options.people_csv))
    return {
        "people": Person.objects.count(),
        "people_seconds": people_seconds,
        "people_again_seconds": people_again_seconds,
        "people_again_unchanged": people_again_unchanged,
        "wards": Ward.objects.count(),
        "ward_seconds": round(ward_seconds, 2),
        "practices": Organisation.objects.count(),
        "practice_seconds": round(practice_seconds, 2),
        "practice_again_seconds": practice_again_seconds,
        "again_unchanged": again.unchanged,
    }


def _people(path: Path) -> tuple[float, float, int]:
    """The contact list imported into a new organisation, then again: (seconds, seconds
    again, people found as they were the second time)."""
    from engage.partners.models import Organisation, OrganisationKind  # noqa: PLC0415 - after django.setup() for the database the run chose
    from engage.partners.people_imports import runner, services  # noqa: PLC0415 - after django.setup() for the database the run chose
    from engage.partners.people_imports.columns import CONTACT_LIST_MAPPING  # noqa: PLC0415 - after django.setup() for the database the run chose

    organisation = Organisation.objects.create(name="Bench Healthwatch", kind=OrganisationKind.HEALTHWATCH)
    timings = []
    for _ in range(2):
        with path.open("rb") as content:
            job = services.people_import_create(
                actor=None,
                organisation=organisation,
                content=content,
                file_name=path.name,
                mapping=CONTACT_LIST_MAPPING,
                start=False,
            )
        started = time.perf_counter()
        done = runner.people_import_run(job_id=job.pk)
        timings.append(round(time.perf_counter() - started, 2))
        if done.status != "succeeded":
            raise SystemExit(done.error)
    return timings[0], timings[1], done.unchanged


def run_naive(options: argparse.Namespace) -> dict[str, Any]:
    """A row at a time: look it up by its code, save it (autocommit)."""
    setup()
    from engage.partners.models import Organisation, OrganisationKind  # noqa: PLC0415 - after django.setup() for the database the run chose
    from engage.places.models import Ward  # noqa: PLC0415 - after django.setup() for the database the run chose

    started = time.perf_counter()
    with open(options.wards_csv, newline="", encoding="utf-8-sig") as source:
        reader = csv.reader(source)
        next(reader)
        for saved, row in enumerate(reader):
            if saved >= options.naive_rows:
                break
            ward = Ward.objects.filter(code=row[0]).first() or Ward(code=row[0])
            ward.name, ward.local_authority_code, ward.local_authority_name, ward.edition = (
                row[1],
                row[3],
                row[4],
                "WD24CD",
            )
            ward.save()
    ward_rate = options.naive_rows / (time.perf_counter() - started)
    started = time.perf_counter()
    with open(options.practices_csv, newline="", encoding="ascii") as source:
        for saved, row in enumerate(csv.reader(source)):
            if saved >= options.naive_rows:
                break
            found = Organisation.objects.filter(ods_code=row[0]).first()
            organisation = found or Organisation(ods_code=row[0], kind=OrganisationKind.GP_PRACTICE)
            organisation.name = f"{row[1].title()} ({row[0]})"
            organisation.postcode = row[9]
            organisation.save()
    practice_rate = options.naive_rows / (time.perf_counter() - started)
    return {
        "ward_rows_per_second": round(ward_rate),
        "practice_rows_per_second": round(practice_rate),
        "people_rows_per_second": round(_people_naive(Path(options.people_csv), options.naive_rows)),
    }


def _people_naive(path: Path, rows: int) -> float:
    """The services staff use, one call each; rows a second."""
    import datetime as dt  # noqa: PLC0415 - only the naive way needs it

    from engage.partners import services  # noqa: PLC0415 - after django.setup() for the database the run chose
    from engage.partners.models import Group, GroupKind, Organisation, OrganisationKind  # noqa: PLC0415 - after django.setup() for the database the run chose

    organisation = Organisation.objects.create(name="Naive Healthwatch", kind=OrganisationKind.HEALTHWATCH)
    groups = {
        f"Group {n}": Group.objects.create(
            organisation=organisation, name=f"Group {n}", kind=GroupKind.COMMUNITY
        )
        for n in range(10)
    }
    started = time.perf_counter()
    with path.open(newline="", encoding="utf-8") as source:
        reader = csv.reader(source)
        next(reader)
        for saved, row in enumerate(reader):
            if saved >= rows:
                break
            person = services.person_create(
                actor=None,
                organisation=organisation,
                given_name=row[1],
                family_name=row[2],
                email=row[3],
                postcode=row[4],
                roles=["volunteer"] if row[5] else [],
            )
            services.consent_grant(
                actor=None,
                organisation=organisation,
                person_id=person.pk,
                purpose="contact",
                given_on=dt.date(2025, 3, 15),
                method="paper_form",
            )
            for name in row[6].split("; "):
                services.group_membership_add(
                    actor=None, organisation=organisation, person_id=person.pk, group_id=groups[name].pk
                )
    return rows / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--wards", type=int, default=9000)
    parser.add_argument("--practices", type=int, default=10_000)
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--naive-rows", type=int, default=500)
    parser.add_argument("--database", choices=["both", "sqlite", "postgres"], default="both")
    parser.add_argument("--database-url", default=DEFAULT_POSTGRES_URL)
    parser.add_argument("--single", choices=["load", "naive"], help=argparse.SUPPRESS)
    parser.add_argument("--wards-csv", help=argparse.SUPPRESS)
    parser.add_argument("--practices-csv", help=argparse.SUPPRESS)
    parser.add_argument("--people-csv", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.single:
        if os.environ.get("ENGAGE_BENCH_CHILD") != "1":
            raise SystemExit("--single is for the benchmark's own child processes.")
        print(json.dumps((run_load if options.single == "load" else run_naive)(options)))
        return
    databases = ["sqlite", "postgres"] if options.database == "both" else [options.database]
    if "postgres" in databases:
        bench_database(options.database_url)
    summary: dict[str, Any] = {
        "wards": options.wards,
        "practices": options.practices,
        "people": options.people,
    }
    met = True
    with tempfile.TemporaryDirectory(prefix="engage-bench-setup-") as folder:
        wards, practices = Path(folder) / "WD24_LAD24_UK_LU.csv", Path(folder) / "epraccur.csv"
        write_ward_lookup(wards, options.wards)
        write_epraccur(practices, options.practices)
        people = Path(folder) / "contacts.csv"
        write_contact_list(people, options.people)
        for database in databases:
            arguments = [
                "--wards-csv",
                str(wards),
                "--practices-csv",
                str(practices),
                "--people-csv",
                str(people),
                "--naive-rows",
                str(options.naive_rows),
            ]
            ours = run_in_child(
                __file__, ["load", *arguments], database=database, database_url=options.database_url
            )
            naive = run_in_child(
                __file__, ["naive", *arguments], database=database, database_url=options.database_url
            )
            naive_wards = options.wards / naive["ward_rows_per_second"]
            naive_practices = options.practices / naive["practice_rows_per_second"]
            print(
                f"{database:>8}: {ours['wards']:,} wards in {ours['ward_seconds']} s (naive {naive_wards:,.1f} s, "
                f"{naive_wards / ours['ward_seconds']:.0f}x); {ours['practices']:,} GP practices in "
                f"{ours['practice_seconds']} s (naive {naive_practices:,.1f} s, "
                f"{naive_practices / ours['practice_seconds']:.0f}x), again {ours['practice_again_seconds']} s "
                f"({ours['again_unchanged']:,} as they were)"
            )
            naive_people = options.people / naive["people_rows_per_second"]
            print(
                f"{'':>8}  {ours['people']:,} people from a contact list in {ours['people_seconds']} s (naive "
                f"{naive_people:,.1f} s, {naive_people / ours['people_seconds']:.0f}x), again "
                f"{ours['people_again_seconds']} s ({ours['people_again_unchanged']:,} as they were)"
            )
            met &= max(ours["ward_seconds"], ours["practice_seconds"], ours["people_seconds"]) < GOAL_SECONDS
            summary |= {
                f"{database}_people_seconds": ours["people_seconds"],
                f"{database}_people_again_seconds": ours["people_again_seconds"],
                f"{database}_people_naive_seconds": round(naive_people, 1),
                f"{database}_people_ratio": round(naive_people / ours["people_seconds"], 1),
            }
            summary |= {
                f"{database}_wards_seconds": ours["ward_seconds"],
                f"{database}_wards_naive_seconds": round(naive_wards, 1),
                f"{database}_wards_ratio": round(naive_wards / ours["ward_seconds"], 1),
                f"{database}_practices_seconds": ours["practice_seconds"],
                f"{database}_practices_again_seconds": ours["practice_again_seconds"],
                f"{database}_practices_naive_seconds": round(naive_practices, 1),
                f"{database}_practices_ratio": round(naive_practices / ours["practice_seconds"], 1),
            }
    summary["goal_met"] = met
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
