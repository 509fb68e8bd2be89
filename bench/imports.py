"""Importing a real-looking list, against raw bulk_create and django-import-export; and the
duplicate finder over a list of 100,000 people, with its precision and recall.

    .venv/bin/pip install -r bench/requirements.txt    # django-import-export
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/evac_bench_imports \\
        .venv/bin/python bench/imports.py [--rows 100000] [--finder-people 100000]

The database named in DATABASE_URL is dropped and made anew. The list is the one
tests/people/test_realistic_import.py imports (tests/people/realistic_list.py: Ukrainian
headers, a BOM and `;`, Excel's dates and phones, people twice under another spelling, 5%
bad rows), made with a fixed seed, and each contender reads the same CSV file into its own
operation:

- Evac: people.imports (import_create, import_start, import_run as the task runs it): every
  row checked by the intake form and registered with people_register's rules a batch at a
  time (people.bulk_register), history and waiting-list standing written, duplicates
  refused, bad rows kept with their reasons, pairs scored;
- baseline: the same file read (people.spreadsheets) and its good rows written by one
  `Citizen.objects.bulk_create`, with no check at all: the floor of any import;
- django-import-export: a ModelResource over the same columns (Evac's date and phone
  reading, the city by name), `import_data` of the file as tablib reads it.

Then the duplicate finder over the good rows of a list of FINDER_PEOPLE rows, bulk-loaded:
people.duplicates.likely_pairs (read, block, score) against reading the rows alone, and its
precision and recall against the pairs the generator knows.

Goals (issue 17): Evac within 2× bulk_create and at least 5× faster than
django-import-export; the finder over 100,000 people under a minute. Results in
BENCHMARKS.md.
"""

import argparse
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
SCRATCH = Path(tempfile.mkdtemp(prefix="evac-bench-imports-"))
os.environ.update(
    DJANGO_SETTINGS_MODULE="evac.settings",
    SECRET_KEY=os.environ.get("SECRET_KEY", "bench-only"),
    EVAC_VAR_DIR=str(SCRATCH / "var"),
    CELERY_BROKER_URL="memory://",
)
os.environ.pop("CELERY_RESULT_BACKEND", None)

import django  # noqa: E402

from bench.database import recreate_database  # noqa: E402


def citizens_of(rows, *, operation, city):
    """Citizen objects for good rows as the file holds them, read as Evac reads cells."""
    from phonenumber_field.phonenumber import to_python

    from evac.people.imports import _sex
    from evac.people.models import Citizen
    from evac.people.spreadsheets import mapped_values
    from tests.people.realistic_list import MAPPING

    people = []
    for row in rows:
        values = mapped_values(row.cells, MAPPING)
        phone = to_python(values["phone"], region="UA") if values["phone"] else None
        people.append(
            Citizen(
                operation=operation,
                current_city=city,
                surname=values["surname"],
                given_names=values["given_names"],
                surname_native=values["surname_native"],
                given_names_native=values["given_names_native"],
                date_of_birth=date.fromisoformat(values["date_of_birth"]),
                sex=_sex(values["sex"]),
                nationality="UA",
                document_type="passport" if values["document_number"] else "none",
                document_number=values["document_number"],
                phone=phone.as_e164 if phone else "",
                temporary_address=values["temporary_address"],
                notes=values["notes"],
                source=Citizen.Source.IMPORT,
            )
        )
    return people


def import_export_resource(operation, city):
    from import_export import fields, resources

    from evac.people.models import Citizen
    from evac.people.spreadsheets import read_date, read_phone
    from tests.people.realistic_list import HEADERS, MAPPING

    column = {target: HEADERS[int(index)] for index, target in MAPPING.items()}
    plain = ("surname", "given_names", "surname_native", "given_names_native", "date_of_birth",
             "sex", "document_number", "phone", "temporary_address", "notes")  # fmt: skip

    class CitizenResource(resources.ModelResource):
        class Meta:
            model = Citizen
            fields = plain
            import_id_fields = ()
            skip_unchanged = False
            # Each row checked by the model's own validation, as Evac checks it.
            clean_model_instances = True

        def before_import_row(self, row, **kwargs):
            # Evac's reading of dates and phones as spreadsheets hold them: without it most
            # rows would fail, and the comparison would be of errors.
            row[column["date_of_birth"]] = read_date(row[column["date_of_birth"]] or "")
            row[column["phone"]] = read_phone(row[column["phone"]] or "")
            sex = (row[column["sex"]] or "").strip().upper()
            row[column["sex"]] = {"Ч": "M", "Ж": "F"}.get(sex, sex) or "X"

        def import_instance(self, instance, row, **kwargs):
            super().import_instance(instance, row, **kwargs)
            instance.document_type = "passport" if instance.document_number else "none"

        def get_instance(self, instance_loader, row):
            return None  # every row a new person

        def init_instance(self, row=None):
            return Citizen(
                operation=operation, current_city=city, nationality="UA",
                document_type="passport", source=Citizen.Source.IMPORT,
            )  # fmt: skip

    for name in plain:
        CitizenResource.fields[name] = fields.Field(attribute=name, column_name=column[name])
    return CitizenResource()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="rows in the imported file")
    parser.add_argument("--finder-people", type=int, default=100_000)
    parser.add_argument("--skip-import-export", action="store_true")
    parser.add_argument(
        "--import-export-rows",
        type=int,
        default=0,
        help="compare with django-import-export on a list of this many rows (both Evac "
        "and it import that list, in this run) instead of the whole --rows list, which "
        "takes it hours at 100,000",
    )
    args = parser.parse_args()

    recreate_database(example_name="evac_bench_imports")
    django.setup()
    import tablib
    from django.core.management import call_command

    from evac.operations.models import Operation, Role
    from evac.people import import_queue
    from evac.people.duplicates import FIELDS, likely_pairs
    from evac.people.imports import import_create, import_run, import_start
    from evac.people.models import Citizen
    from evac.places.models import City
    from tests.factories import make_member
    from tests.people.realistic_list import generate

    call_command("migrate", verbosity=0)
    import_queue._queue = lambda import_id: None  # the run is timed here, not in a worker
    city = City.objects.create(
        name="Almaty", name_native="Алмати", country="KZ", time_zone="Asia/Almaty"
    )

    def new_operation(slug):
        return Operation.objects.create(
            name=slug, slug=slug, country="KZ", starts_on=date(2022, 1, 5)
        )

    print(f"load average before: {os.getloadavg()[0]:.2f} (2 cores)")
    made = generate(args.rows)
    content = made.csv_bytes()
    print(f"file: {len(made.rows):,} rows ({len(made.bad):,} bad), {len(content) >> 10:,} KiB")

    operation = new_operation("baseline")
    start = time.perf_counter()
    from evac.people.spreadsheets import read_sheet

    read_sheet(content, file_name="list.csv")
    Citizen.objects.bulk_create(
        citizens_of(made.good, operation=operation, city=city), batch_size=2000
    )
    baseline = time.perf_counter() - start
    print(f"baseline, read + bulk_create of the {len(made.good):,} good rows: {baseline:.1f} s")

    operation = new_operation("evac")
    user = make_member("importer", operation, Role.OFFICER)
    start = time.perf_counter()
    created = import_create(operation=operation, by=user, file_name="list.csv", content=content)
    import_start(people_import=created, by=user)
    done = import_run(import_id=created.pk)
    evac = time.perf_counter() - start
    print(
        f"Evac import: {evac:.1f} s ({evac / baseline:.1f}× bulk_create; "
        f"{1000 * evac / len(made.rows):.1f} ms a row); created {done.rows_created:,}, "
        f"errors {done.rows_error:,}; load average {os.getloadavg()[0]:.2f}"
    )

    if not args.skip_import_export:
        if args.import_export_rows:
            smaller = generate(args.import_export_rows, seed=1917).csv_bytes()
            operation = new_operation("evac-smaller")
            other_user = make_member("importer-2", operation, Role.OFFICER)
            start = time.perf_counter()
            created = import_create(
                operation=operation, by=other_user, file_name="smaller.csv", content=smaller
            )
            import_start(people_import=created, by=other_user)
            import_run(import_id=created.pk)
            evac = time.perf_counter() - start
            print(f"Evac import of {args.import_export_rows:,} rows: {evac:.1f} s")
            content = smaller
        operation = new_operation("import-export")
        resource = import_export_resource(operation, city)
        start = time.perf_counter()
        dataset = tablib.Dataset().load(content.decode("utf-8-sig"), format="csv", delimiter=";")
        # Without transactions, as Evac keeps the good rows when some are bad.
        result = resource.import_data(
            dataset, dry_run=False, raise_errors=False, use_transactions=False
        )
        other = time.perf_counter() - start
        stored = Citizen.objects.filter(operation=operation).count()
        print(
            f"django-import-export: {other:.1f} s (Evac is {other / evac:.2f}× faster); "
            f"stored {stored:,}, rows in error {len(result.row_errors()):,}, "
            f"invalid {len(result.invalid_rows):,}; load average {os.getloadavg()[0]:.2f}"
        )

    made = generate(args.finder_people, seed=2022)
    operation = new_operation("finder")
    people = Citizen.objects.bulk_create(
        citizens_of(made.good, operation=operation, city=city), batch_size=5000
    )
    pk_of = {row.number: person.pk for row, person in zip(made.good, people, strict=True)}
    truth = {tuple(sorted((pk_of[a], pk_of[b]))) for a, b in made.true_pairs}
    start = time.perf_counter()
    rows = list(Citizen.objects.filter(operation=operation).values(*FIELDS).iterator(5000))
    read = time.perf_counter() - start
    start = time.perf_counter()
    found = {(pair.first, pair.second) for pair in likely_pairs(operation)}
    finder = time.perf_counter() - start
    caught = len(found & truth)
    print(
        f"duplicate finder over {len(rows):,} people: {finder:.1f} s "
        f"({finder / read:.1f}× reading them, {read:.1f} s); true pairs {len(truth):,}, "
        f"proposed {len(found):,}, precision {caught / len(found):.3f}, "
        f"recall {caught / len(truth):.3f}; load average {os.getloadavg()[0]:.2f}"
    )


if __name__ == "__main__":
    main()
