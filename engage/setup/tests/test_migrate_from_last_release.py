"""A database left by the last release (before step 11: no partnership record, no
ward lookup, organisations and people without their codes and references, areas that
could not be retired) migrates forward with every row kept, takes a contact list
matched to the people it already held, and migrates back again."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from engage.activities.models import Area
from engage.core.models import Partnership
from engage.partners.models import Consent, Organisation, PeopleImportStatus, Person
from engage.partners.people_imports import runner, services
from engage.partners.people_imports.columns import CONTACT_LIST_MAPPING

pytestmark = pytest.mark.django_db(transaction=True)

# The leaf migrations of the last release for the apps this step changed; setup is new.
LAST_RELEASE = [
    ("core", "0004_audit_event_subjects"),
    ("partners", "0003_person_record_key_for_published_counts"),
    ("activities", "0003_recompute_topic_terms_without_engagement_words"),
    ("places", "0002_reference_task_moved_to_places"),
    ("setup", None),
]


def _old_release_with_data() -> dict[str, int]:
    executor = MigrationExecutor(connection)
    executor.migrate(LAST_RELEASE)
    old = executor.loader.project_state([node for node in LAST_RELEASE if node[1] is not None]).apps
    organisation = old.get_model("partners", "Organisation").objects.create(
        name="Dudley Healthwatch", kind="healthwatch"
    )
    person = old.get_model("partners", "Person").objects.create(
        organisation=organisation, given_name="Asha", family_name="Begum", email="asha@example.org"
    )
    old.get_model("partners", "Consent").objects.create(
        person=person, purpose="contact", given_on="2025-03-15", method="paper_form"
    )
    place = old.get_model("activities", "Area").objects.create(name="Dudley", kind="place")
    ward = old.get_model("activities", "Area").objects.create(
        name="Castle and Priory", kind="ward", parent=place
    )
    return {"organisation": organisation.pk, "person": person.pk, "ward": ward.pk}


def _forward() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_the_last_releases_rows_are_kept_a_contact_list_finds_its_people_and_it_goes_back(
    settings: Any, tmp_path: Any
) -> None:
    """One test, forward and back: each migration of the whole project takes seconds."""
    settings.ENGAGE_IMPORT_DIR = tmp_path / "imports"
    ids = _old_release_with_data()

    _forward()

    organisation = Organisation.objects.get(pk=ids["organisation"])
    assert (organisation.ods_code, organisation.charity_number, organisation.postcode) == ("", "", "")
    person = Person.objects.get(pk=ids["person"])
    assert (person.full_name, person.reference) == ("Asha Begum", "")
    ward = Area.objects.get(pk=ids["ward"])
    assert (ward.retired_on, ward.merged_into, ward.parent.name) == (None, None, "Dudley")
    assert not Partnership.objects.exists()  # set up afterwards, with engage setup

    job = services.people_import_create(
        actor=None,
        organisation=organisation,
        content=io.BytesIO(b"Reference,First name,Email\nC-1,Asha,ASHA@example.org\n"),
        file_name="contacts.csv",
        mapping=CONTACT_LIST_MAPPING,
        start=False,
    )
    done = runner.people_import_run(job_id=job.pk)
    assert done.status == PeopleImportStatus.SUCCEEDED, done.error
    assert (done.added, done.updated) == (0, 1)
    assert Person.objects.get(pk=ids["person"]).reference == "C-1"
    assert Consent.objects.filter(person_id=ids["person"]).count() == 1

    # Back to the last release: the rows stay, readable by its models.
    executor = MigrationExecutor(connection)
    executor.migrate(LAST_RELEASE)
    old = executor.loader.project_state([node for node in LAST_RELEASE if node[1] is not None]).apps
    assert old.get_model("partners", "Person").objects.get(pk=ids["person"]).given_name == "Asha"
    assert old.get_model("activities", "Area").objects.get(pk=ids["ward"]).name == "Castle and Priory"

    _forward()  # and forward again, for the next test
