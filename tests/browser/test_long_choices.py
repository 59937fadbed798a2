"""Long choices in a real browser: partner organisations found by typing, added one at a
time and removed by their own buttons; the areas narrowed by a filter box; a decision
with a title like another's chosen by its told-apart label. Each is saved as chosen,
passes axe-core with the controls open, and fits a 390px phone screen; without script
the same form posts the same values. Screenshots go to test-results/ for a person."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from engage.activities.models import Activity, AreaKind
from engage.activities.tests.factories import AreaFactory
from engage.conversations.models import Conversation
from engage.core.roles import Role
from engage.decisions.models import DecisionEvidence, DecisionStatus
from engage.decisions.tests.factories import DecisionFactory
from engage.partners.models import Organisation, OrganisationKind
from engage.reach.tests.factories import conversations_add
from tests.browser.test_accessibility import (
    PHONE,
    Checker,
    CheckerFor,
    Partnership,
    Problems,
    checker_for,
    staff_user,
)

__all__ = ["checker_for"]  # the fixture, shared with the accessibility tests

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PARTNERS = "#id_partner_organisation_ids"
NOT_SIDEWAYS = "() => document.documentElement.scrollWidth"


@pytest.fixture
def partnership() -> Partnership:
    """Few records, but the shapes of a real partnership's lists: partners with names
    alike, a place with localities and wards, two decisions with one title."""
    icb, voices, practice = (
        Organisation.objects.create(name=name, kind=kind)
        for name, kind in [
            ("Black Country Integrated Care Board", OrganisationKind.ICB),
            ("Dudley Community Voices", OrganisationKind.VCSE),
            ("Netherton Health Centre", OrganisationKind.GP_PRACTICE),
        ]
    )
    for name in ("Dudley Council", "Age UK Dudley", "Carers' Café Trust", "St James's Surgery"):
        Organisation.objects.create(name=name, kind=OrganisationKind.OTHER)
    place = AreaFactory(name="Castlebridge", kind=AreaKind.PLACE)
    for locality, wards in [
        ("Harrowmere", ["Cedars", "Harrowmere North", "Kingsmead"]),
        ("Wyrebrook", ["Glassworks", "High Oak", "Netherwood"]),
    ]:
        parent = AreaFactory(name=locality, kind=AreaKind.LOCALITY, parent=place)
        for ward in wards:
            AreaFactory(name=ward, kind=AreaKind.WARD, parent=parent)
    DecisionFactory(title="Longer opening hours", organisation=voices, decided_on=dt.date(2026, 3, 3))
    DecisionFactory(
        title="Longer opening hours", organisation=icb, status=DecisionStatus.PROPOSED, decided_on=None
    )
    conversations_add(voices, 2, text="Please open later in the evening.")
    return Partnership(icb=icb, voices=voices, practice=practice)


def _signed_in(checker_for: CheckerFor, partnership: Partnership, **options: Any) -> Checker:
    checker = checker_for(Problems(), **options)
    checker.sign_in(staff_user(partnership, Role.ENGAGEMENT_OFFICER).email)
    return checker


def _enhanced(page: Any) -> None:
    """Wait for the page's script to have made every marked list searchable and shown
    every filter box (it is fetched after the page, and only by pages that need it)."""
    page.wait_for_function(
        "() => !document.querySelector('select[data-searchable]:not([aria-hidden])')"
        " && !document.querySelector('[data-filter-checkboxes][hidden]')"
    )


def _open(checker: Checker, path: str) -> None:
    assert checker.open(path)
    _enhanced(checker.page)


# The register form's other answers, by the names it posts, so that the test does not
# depend on which page (or step) asks each question.
TYPED = {
    "title": "Carers' breaks survey",
    "purpose": "Find out what breaks carers need.",
    "topic": "carers breaks",
    "starts_on_day": "1",
    "starts_on_month": "6",
    "starts_on_year": "2026",
    "ends_on_day": "30",
    "ends_on_month": "6",
    "ends_on_year": "2026",
}
TICKED = {"target_groups": "carers", "stage": "analyse", "involvement_type": "collective", "level": "consult"}


def _register(page: Any, on_each_page: Callable[[], None], *, script: bool = True) -> Activity:
    """Register an activity through the register form, whether it is one page or a few
    steps: on each page, answer the questions it asks, let `on_each_page` use the long
    lists the page has, and go on until the activity is saved."""
    for _ in range(8):
        for name, value in TYPED.items():
            box = page.locator(f"[name={name}]:not([type=hidden])")
            if box.count():
                box.fill(value)
        for name, value in TICKED.items():
            tick = page.locator(f"input[name={name}][value={value}]:not([type=hidden])")
            if tick.count():
                tick.check()
        on_each_page()
        save = page.get_by_role("button", name="Save activity")
        if save.count():
            save.click()
            page.wait_for_url("**/staff/activities/*/")
            return Activity.objects.get()
        # Until the next page has come: the load state of this one is already "loaded",
        # and on a busy machine the answer to the form can come after a check of it would.
        with page.expect_navigation():
            page.get_by_role("button", name=re.compile("^Continue")).click()
        if script:
            _enhanced(page)
    raise AssertionError("The register form never offered to save.")


def _offered(page: Any, box: str) -> Any:
    """The options the searchable box `box` (a selector for it) offers now."""
    return page.locator(f"{box}__listbox").get_by_role("option")


def _add_partner(page: Any, typed: str, name: str) -> None:
    page.locator(PARTNERS).fill(typed)
    _offered(page, PARTNERS).get_by_text(name, exact=True).click()
    page.get_by_role("button", name=f"Remove {name}").wait_for()


def _shoot(checker: Checker, label: str, path: Path, *around: str) -> None:
    """Check the page with axe-core, and take a picture for a person of the part of it
    that holds all of `around` (a control, and its open list, which lies over the page)."""
    checker.check(label)
    # Where they are on the page (not the screen), as a full-page picture measures.
    box = checker.page.evaluate(
        """(selectors) => {
          const rects = selectors.map((s) => document.querySelector(s)?.getBoundingClientRect())
            .filter((r) => r && r.height > 0);
          const [x, y] = [window.scrollX, window.scrollY];
          const left = Math.max(Math.min(...rects.map((r) => r.left)) + x - 16, 0);
          const top = Math.max(Math.min(...rects.map((r) => r.top)) + y - 16, 0);
          const right = Math.max(...rects.map((r) => r.right)) + x + 16;
          const bottom = Math.max(...rects.map((r) => r.bottom)) + y + 16;
          return {x: left, y: top, width: right - left, height: bottom - top};
        }""",
        list(around),
    )
    checker.page.screenshot(path=str(path), full_page=True, clip=box)


def test_partners_are_added_by_typing_and_removed_and_the_filtered_areas_saved(
    partnership: Partnership, checker_for: CheckerFor
) -> None:
    checker = _signed_in(checker_for, partnership)
    page = checker.page
    used: list[str] = []

    def on_each_page() -> None:
        if "partners" not in used and page.locator(PARTNERS).count():
            used.append("partners")
            _choose_partners(checker)
        if "areas" not in used and page.locator("#id_area_ids-filter").count():
            used.append("areas")
            _filter_and_tick_an_area(checker)

    _open(checker, "/staff/activities/new/")
    activity = _register(page, on_each_page)
    assert sorted(used) == ["areas", "partners"]
    assert sorted(activity.partner_organisations.values_list("name", flat=True)) == [
        "Dudley Council",
        "St James's Surgery",
    ]
    assert list(activity.areas.values_list("name", flat=True)) == ["Glassworks"]
    checker.problems.assert_accessible()
    checker.problems.assert_console_clean()


def _choose_partners(checker: Checker) -> None:
    page = checker.page
    # Typing finds names by any of their words, whatever the accents and apostrophes.
    page.locator(PARTNERS).fill("cafe")
    assert _offered(page, PARTNERS).all_inner_texts() == ["Carers' Café Trust"]
    page.locator(PARTNERS).fill("dudley")
    assert _offered(page, PARTNERS).all_inner_texts() == [
        "Dudley Community Voices",
        "Dudley Council",
        "Age UK Dudley",
    ]
    checker.check("the register form, a partner list open")
    _offered(page, PARTNERS).get_by_text("Dudley Council").click()
    page.get_by_role("button", name="Remove Dudley Council").wait_for()
    assert page.locator(PARTNERS).input_value() == "", "The box was not emptied for the next."
    # One chosen is not offered again; a second is added with the keyboard.
    page.locator(PARTNERS).fill("dudley")
    assert _offered(page, PARTNERS).all_inner_texts() == ["Dudley Community Voices", "Age UK Dudley"]
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Remove Age UK Dudley").wait_for()
    _add_partner(page, "st james", "St James's Surgery")
    # Removing one moves focus to the next Remove button, and the select follows.
    page.get_by_role("button", name="Remove Age UK Dudley").click()
    assert page.evaluate("() => document.activeElement.textContent") == "Remove St James's Surgery"
    assert page.locator("#id_partner_organisation_ids-select").evaluate(
        "s => [...s.selectedOptions].map((o) => o.text)"
    ) == ["Dudley Council", "St James's Surgery"]


def _filter_and_tick_an_area(checker: Checker) -> None:
    """The filter narrows the areas to a ward, or to a locality and all its wards."""
    page = checker.page
    page.get_by_label("Find by name").fill("glass")
    visible = page.locator("#id_area_ids-choices .nhsuk-checkboxes__item:visible").all_inner_texts()
    assert [text.strip() for text in visible] == ["Glassworks"]
    assert page.locator("#id_area_ids-filter-count").inner_text() == "Showing 1 of 9."
    page.get_by_label("Glassworks").check()
    page.get_by_label("Find by name").fill("harrowmere")
    assert page.locator("#id_area_ids-choices .nhsuk-checkboxes__item:visible").count() == 4
    url = page.url
    page.get_by_label("Find by name").press("Enter")  # narrows; does not send the form
    assert page.url == url
    assert page.get_by_label("Glassworks").is_checked()
    page.get_by_label("Find by name").fill("")


def test_without_script_the_same_form_posts_the_same_values(
    partnership: Partnership, checker_for: CheckerFor
) -> None:
    checker = _signed_in(checker_for, partnership, java_script_enabled=False)
    page = checker.page

    def on_each_page() -> None:
        if page.locator(PARTNERS).count():
            assert page.locator(PARTNERS).evaluate("s => s.multiple")
            page.locator(PARTNERS).select_option(label=["Age UK Dudley", "Dudley Council"])
        if page.locator("input[name=area_ids]:not([type=hidden])").count():
            assert not page.get_by_label("Find by name").is_visible()
            page.get_by_label("All of Wyrebrook").check()

    assert checker.open("/staff/activities/new/")
    activity = _register(page, on_each_page, script=False)
    assert sorted(activity.partner_organisations.values_list("name", flat=True)) == [
        "Age UK Dudley",
        "Dudley Council",
    ]
    assert list(activity.areas.values_list("name", flat=True)) == ["Wyrebrook"]


def test_a_decision_is_chosen_by_its_told_apart_label(
    partnership: Partnership, checker_for: CheckerFor
) -> None:
    checker = _signed_in(checker_for, partnership)
    page = checker.page
    _open(checker, "/staff/conversations/")
    box = page.get_by_label("Use the ticked conversations as evidence for")
    assert box.input_value() == "", "The first decision was taken for a choice."
    box.fill("longer")
    assert _offered(page, "#evidence-decision").all_inner_texts() == [
        "Longer opening hours — proposed, no date given",
        "Longer opening hours — agreed, 3 March 2026",
    ]
    _offered(page, "#evidence-decision").get_by_text("Longer opening hours — agreed, 3 March 2026").click()
    for tick in page.locator("input[name=conversation]").all():
        tick.check()
    page.get_by_role("button", name="Use as evidence").click()
    page.wait_for_url("**/staff/decisions/*/")
    assert {(e.decision.title, e.decision.status) for e in DecisionEvidence.objects.all()} == {
        ("Longer opening hours", DecisionStatus.AGREED)
    }
    assert DecisionEvidence.objects.count() == Conversation.objects.count() == 2
    checker.problems.assert_console_clean()


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_each_control_open_passes_axe_and_fits_the_screen(
    width: str, partnership: Partnership, checker_for: CheckerFor, results_dir: Path
) -> None:
    """Each searchable list with its suggestions open, and the areas grouped and
    filtered: axe-core passes, nothing scrolls sideways on a 390px phone screen, and a
    picture of each is taken for a person to look at."""
    checker = _signed_in(checker_for, partnership, **(PHONE if width == "phone" else {}))
    page = checker.page
    sideways: list[str] = []
    shot: list[str] = []

    def shoot(label: str, name: str, *around: str) -> None:
        _shoot(checker, f"{label} ({width})", results_dir / f"long-choices-{name}-{width}.png", *around)
        shot.append(name)
        if width == "phone" and page.evaluate(NOT_SIDEWAYS) > PHONE["viewport"]["width"]:
            sideways.append(label)

    def on_each_page() -> None:
        if "partners" not in shot and page.locator(PARTNERS).count():
            _add_partner(page, "council", "Dudley Council")
            _add_partner(page, "st james", "St James's Surgery")
            group = ".nhsuk-form-group:has(#id_partner_organisation_ids-select)"
            shoot("partners: two chosen", "partners-chosen", group)
            page.locator(PARTNERS).fill("dudley")
            shoot("partners: two chosen, more offered", "partners", group, f"{PARTNERS}__listbox")
            page.locator(PARTNERS).fill("")
        if "areas" not in shot and page.locator("#id_area_ids-filter").count():
            areas = ".nhsuk-form-group:has(#id_area_ids-filter)"
            shoot("areas grouped", "areas", areas)
            page.get_by_label("Find by name").fill("north")
            shoot("areas narrowed to 'north'", "areas-filtered", areas)
            page.get_by_label("Harrowmere North").check()
            page.get_by_label("Find by name").fill("")

    _open(checker, "/staff/activities/new/")
    _register(page, on_each_page)

    _open(checker, "/staff/conversations/")
    page.locator("#evidence-decision").fill("longer")
    shoot(
        "decisions offered",
        "decision",
        ".nhsuk-form-group:has(#evidence-decision)",
        "#evidence-decision__listbox",
    )

    _open(checker, "/staff/decisions/new/")
    themes = page.get_by_label("Themes of what people said that informed it")
    themes.fill("appointment")
    # The field's hint stays in the box's description as the library rewrites it.
    assert themes.get_attribute("aria-describedby") == "id_theme_ids-hint"
    assert page.locator("#id_theme_ids-hint").inner_text().startswith("Type part of a name")
    shoot("themes offered", "themes", ".nhsuk-form-group:has(#id_theme_ids)", "#id_theme_ids__listbox")
    assert sorted(shot) == ["areas", "areas-filtered", "decision", "partners", "partners-chosen", "themes"]
    checker.problems.assert_accessible()
    checker.problems.assert_console_clean()
    assert not sideways, f"Scrolls sideways on a 390px phone screen: {sideways}"
