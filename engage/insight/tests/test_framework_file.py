"""A partnership's own framework: read from a TOML file with every mistake placed by line,
added whole or not at all, chosen, and then used by training, review and the pages."""

from __future__ import annotations

from html import unescape
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from engage.accounts.tests.factories import member_of
from engage.core.errors import InvalidInput
from engage.core.roles import Role
from engage.insight import runner, services
from engage.insight.framework import services as framework_services
from engage.insight.framework.file import FrameworkFileError, parse_framework
from engage.insight.models import Category, Framework, PersonLabel
from engage.insight.tests.test_services import add
from engage.partners.tests.factories import OrganisationFactory

GOOD = """\
name = "Castlebridge themes"
version = "1"
description = "What people in Castlebridge talk about."

[[categories]]
name = "Housing"
description = "Homes and their upkeep."

  [[categories.subcategories]]
  name = "Damp and mould"
  description = "Damp, mould and condensation."
  examples = ["damp in the bedroom", "mould on the walls"]

  [[categories.subcategories]]
  name = "Repairs"
  description = "Getting things fixed."

[[categories]]
name = "General"
description = "Comments that cannot be sorted."

  [[categories.subcategories]]
  name = "Labelling not possible"
  description = "Blanks and non-answers."
"""


def test_a_good_file_is_read_in_order():
    spec = parse_framework(GOOD, file_name="ours.toml")
    assert (spec.name, spec.version) == ("Castlebridge themes", "1")
    assert [c.name for c in spec.categories] == ["Housing", "General"]
    assert [s.name for s in spec.categories[0].subcategories] == ["Damp and mould", "Repairs"]
    assert spec.categories[0].subcategories[0].examples == ["damp in the bedroom", "mould on the walls"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('name = "Ours\n', "ours.toml, line 1, column 13: this is not valid TOML"),
        ("version = '1'\n[[categories]]\nname='A'\n", "ours.toml: the framework has no name."),
        ('name = "Ours"\n', "ours.toml: there are no categories."),
        (
            'name = "Ours"\n\n[[categories]]\ndescription = "x"\n',
            "ours.toml, line 3: category 1 has no name.",
        ),
        (
            'name = "Ours"\n[[categories]]\nname = "Housing"\n',
            "ours.toml, line 2: the category 'Housing' has no sub-categories.",
        ),
        (
            GOOD.replace('name = "Repairs"', 'name = "damp and MOULD"'),
            "ours.toml, line 14: sub-category 2 of 'Housing' is called 'damp and MOULD', as sub-category 1 of 'Housing' is.",
        ),
        (
            GOOD.replace('  name = "Repairs"\n', ""),
            "ours.toml, line 14: sub-category 2 of 'Housing' has no name.",
        ),
        (
            GOOD.replace('examples = ["damp in the bedroom", "mould on the walls"]', "examples = 3"),
            "ours.toml, line 9: the examples of 'Damp and mould' must be a list of text",
        ),
        (
            GOOD.replace('name = "General"', 'name = "Housing"'),
            "ours.toml, line 18: category 2 is called 'Housing', as category 1 is.",
        ),
    ],
)
def test_each_mistake_is_named_with_its_line(text, message):
    with pytest.raises(FrameworkFileError) as caught:
        parse_framework(text, file_name="ours.toml")
    assert str(caught.value).startswith(message), str(caught.value)


def test_the_built_in_file_reads_without_a_mistake():
    spec = parse_framework(framework_services.BUILT_IN_FILE.read_text(encoding="utf-8"), file_name="built-in")
    assert len(spec.categories) == 11
    assert sum(len(c.subcategories) for c in spec.categories) == 37


@pytest.mark.django_db
def test_a_partnership_admin_adds_its_own_framework_and_chooses_it(client_for):
    icb = OrganisationFactory(name="Castlebridge ICB")
    admin = client_for(member_of(icb, Role.PARTNERSHIP_ADMIN), icb)
    response = admin.post(
        "/staff/themes/framework/new/",
        {"file": SimpleUploadedFile("ours.toml", GOOD.encode()), "use": "on"},
    )
    assert response.status_code == 302
    ours = Framework.objects.get(name="Castlebridge themes")
    assert ours.in_use
    assert not ours.built_in
    assert list(
        Category.objects.filter(framework=ours, parent__isnull=False).values_list("name", flat=True)
    ) == [
        "Damp and mould",
        "Repairs",
        "Labelling not possible",
    ]
    assert framework_services.framework_in_use() == ours
    page = admin.get("/staff/themes/framework/").content.decode()
    assert "Damp and mould" in page
    assert "Timeliness of care" not in page
    # Back to the built-in one, and its page shows ours as not in use.
    built_in = framework_services.framework_built_in()
    assert admin.post("/staff/themes/framework/choose/", {"framework": built_in.pk}).status_code == 302
    assert framework_services.framework_in_use() == built_in
    assert Framework.objects.filter(in_use=True).count() == 1
    assert "Not in use" in admin.get(f"/staff/themes/framework/?framework={ours.pk}").content.decode()


@pytest.mark.django_db
def test_a_wrong_file_is_refused_on_the_page_with_its_line_and_nothing_is_added(client_for):
    icb = OrganisationFactory(name="Castlebridge ICB")
    admin = client_for(member_of(icb, Role.PARTNERSHIP_ADMIN), icb)
    before = (Framework.objects.count(), Category.objects.count())
    response = admin.post(
        "/staff/themes/framework/new/",
        {
            "file": SimpleUploadedFile(
                "ours.toml", GOOD.replace('name = "Repairs"', 'name = "Damp and mould"').encode()
            )
        },
    )
    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert "There is a problem" in html
    assert "ours.toml, line 14: sub-category 2 of 'Housing' is called 'Damp and mould'" in html
    not_text = admin.post(
        "/staff/themes/framework/new/", {"file": SimpleUploadedFile("ours.toml", b"\xff\xfe\x00bad")}
    )
    assert "is not a text file in UTF-8" in not_text.content.decode()
    assert (Framework.objects.count(), Category.objects.count()) == before
    # The same name twice is refused too.
    framework_services.framework_load(actor=None, text=GOOD, file_name="ours.toml")
    with pytest.raises(InvalidInput, match="already a framework called"):
        framework_services.framework_load(actor=None, text=GOOD, file_name="again.toml")
    analyst = client_for(member_of(icb, Role.ANALYST), icb)
    assert analyst.get("/staff/themes/framework/new/").status_code == 403
    assert analyst.post("/staff/themes/framework/choose/", {"framework": 1}).status_code == 403


@pytest.mark.django_db
def test_the_model_learns_only_the_labels_of_the_framework_in_use(labelled_bank):
    built_in_model = services.model_train(actor=None)
    assert built_in_model.categories_learnt >= 2
    ours = framework_services.framework_load(actor=None, text=GOOD, file_name="ours.toml", use=True)
    damp = Category.objects.get(framework=ours, name="Damp and mould")
    repairs = Category.objects.get(framework=ours, name="Repairs")
    for n in range(12):
        PersonLabel.objects.create(
            conversation=add(labelled_bank, f"Damp and mould in the flat, room {n}"), category=damp
        )
        PersonLabel.objects.create(
            conversation=add(labelled_bank, f"Nobody came to fix the boiler, week {n}"), category=repairs
        )
    version = services.model_train(actor=None)
    assert version.framework == ours
    assert version.categories_learnt == 2  # the built-in labels of the same bank are not learnt
    run = runner.analysis_run_execute(run_id=services.analysis_run_create(actor=None, start=False).pk)
    assert run.status == "succeeded"


@pytest.mark.django_db
def test_the_command_lists_loads_and_chooses_frameworks(tmp_path: Path):
    path = tmp_path / "ours.toml"
    path.write_text(GOOD, encoding="utf-8")
    out = StringIO()
    call_command("insight", "framework", "load", str(path), stdout=out)
    assert "Added the framework 'Castlebridge themes'." in out.getvalue()
    call_command("insight", "framework", "use", "castlebridge THEMES", stdout=out)
    listed = StringIO()
    call_command("insight", "framework", "list", stdout=listed)
    assert "* Castlebridge themes (own, 3 sub-categories)" in listed.getvalue()
    assert "  Patient experience" in listed.getvalue()
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "Broken\n', encoding="utf-8")
    with pytest.raises(CommandError, match=r"bad.toml, line 1, column 15: this is not valid TOML"):
        call_command("insight", "framework", "load", str(bad))
    with pytest.raises(CommandError, match="There is no framework called 'Nope'"):
        call_command("insight", "framework", "use", "Nope")
