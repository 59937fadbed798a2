"""Training says what it needs and never swaps a working model for a worse one: with no
theme labelled enough it refuses, naming how far each theme has to go; a model that
would learn fewer themes, or score clearly lower on labels held back from training, is
not kept unless asked; each model records its held-out score."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from engage.accounts.tests.factories import member_of
from engage.core.models import AuditEvent
from engage.core.roles import Role
from engage.insight import services
from engage.insight.framework import services as framework_services
from engage.insight.framework.selectors import themes_always_together, training_readiness
from engage.insight.models import Category, ModelVersion, PersonLabel
from engage.insight.tests.test_framework_file import GOOD
from engage.insight.tests.test_services import KIND, SLOW, STAFF, WAITING, add
from textkit.classify import MIN_EXAMPLES

pytestmark = pytest.mark.django_db


def test_training_with_no_labels_is_refused_saying_what_each_theme_needs(organisation):
    add(organisation, "The nurse was kind", rating=1)
    with pytest.raises(services.NothingToLearn) as refused:
        services.model_train(actor=None)
    assert f"each theme needs {MIN_EXAMPLES} labelled examples" in refused.value.message
    assert "0 conversations are labelled" in refused.value.message
    assert not ModelVersion.objects.exists()


def test_a_theme_short_of_examples_is_named_with_how_far_it_has_to_go(organisation):
    for text in KIND[:3]:
        add(organisation, text, rating=1, labels=[STAFF])
    services.imported_labels_adopt()
    readiness = {theme.name: theme for theme in training_readiness()}
    assert (readiness[STAFF].labelled, readiness[STAFF].missing, readiness[STAFF].ready) == (3, 2, False)
    assert readiness[WAITING].labelled == 0
    assert next(iter(training_readiness())).name == STAFF  # the nearest first
    with pytest.raises(services.NothingToLearn) as refused:
        services.model_train(actor=None)
    assert f"the nearest are {STAFF} (3 of 5)" in refused.value.message


def test_a_model_with_fewer_themes_is_not_kept_unless_asked(labelled_bank):
    first = services.model_train(actor=None)
    assert first.categories_learnt == 2
    assert first.held_out_macro_f1 is not None
    assert 0.0 <= first.held_out_macro_f1 <= 1.0
    # People take the waiting label back from all but a few: one theme is left to learn.
    waiting = PersonLabel.objects.filter(category__name=WAITING)
    waiting.exclude(pk__in=list(waiting.values_list("pk", flat=True)[:2])).delete()
    with pytest.raises(services.WorseModel) as refused:
        services.model_train(actor=None)
    assert "It would learn 1 themes, where model 1, in use, learnt 2." in refused.value.message
    assert ModelVersion.objects.count() == 1
    kept = services.model_train(actor=None, force=True)
    assert (kept.number, kept.categories_learnt) == (2, 1)
    assert "though worse than the one in use" in AuditEvent.objects.get(subject_id=str(kept.pk)).summary


def test_a_model_scoring_clearly_lower_on_held_back_labels_is_not_kept(labelled_bank):
    first = services.model_train(actor=None)
    ModelVersion.objects.filter(pk=first.pk).update(held_out_macro_f1=1.0)
    # Noisy labels: the waiting comments labelled as staff manner too, and the other way.
    for text in SLOW:
        add(labelled_bank, f"{text} again", rating=5, labels=[STAFF])
    for text in KIND:
        add(labelled_bank, f"{text} again", rating=1, labels=[WAITING])
    with pytest.raises(services.WorseModel) as refused:
        services.model_train(actor=None)
    assert "where model 1, in use, scored 1.00" in refused.value.message
    assert ModelVersion.objects.count() == 1


def test_the_models_page_shows_each_themes_progress_and_the_refusal(
    client_for, organisation, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    analyst = client_for(member_of(organisation, Role.ANALYST), organisation)
    for text in KIND[:3]:
        add(organisation, text, rating=1, labels=[STAFF])
    services.imported_labels_adopt()
    page = analyst.get("/staff/themes/models/").content.decode()
    assert "themes are ready" in page
    assert f'<div class="engage-cell">{STAFF.replace("&", "&amp;")}</div>' in page
    assert "3 of 5" in page
    # Queued for the worker; its refusal is what the page then says of the training.
    with django_capture_on_commit_callbacks(execute=True):
        analyst.post("/staff/themes/models/train/")
    refused = analyst.get("/staff/themes/models/").content.decode()
    assert "Latest training" in refused
    assert "There is nothing yet to learn themes from" in refused
    assert not ModelVersion.objects.exists()


def test_the_command_refuses_a_worse_model_and_keeps_it_with_force(labelled_bank):
    call_command("insight", "train", "--quiet")
    PersonLabel.objects.filter(category__name=WAITING).delete()
    with pytest.raises(CommandError, match=r"would learn 1 themes"):
        call_command("insight", "train", "--quiet")
    out = io.StringIO()
    call_command("insight", "train", "--force", stdout=out)
    assert "Trained model 2" in out.getvalue()


def test_themes_people_only_ever_give_together_are_flagged(client_for, organisation):
    for text in KIND:
        add(organisation, text, rating=1, labels=[STAFF, WAITING])
    services.imported_labels_adopt()
    [pair] = themes_always_together()
    assert (pair.first, pair.second, pair.conversations) == (STAFF, WAITING, 5)
    analyst = client_for(member_of(organisation, Role.ANALYST), organisation)
    page = analyst.get("/staff/themes/models/").content.decode()
    assert "Themes always labelled together" in page
    # Told apart once: five together of six is under 95 %.
    add(organisation, "The nurse was kind, nothing about waiting", rating=1, labels=[STAFF])
    services.imported_labels_adopt()
    assert themes_always_together() == []


def test_a_model_of_another_framework_is_compared_with_none_of_the_last_ones(labelled_bank):
    """A new framework's first model learns its own themes; the built-in framework's
    model, with more themes, is no measure of it."""
    assert services.model_train(actor=None).categories_learnt == 2
    ours = framework_services.framework_load(actor=None, text=GOOD, file_name="ours.toml", use=True)
    damp = Category.objects.get(framework=ours, name="Damp and mould")
    repairs = Category.objects.get(framework=ours, name="Repairs")
    for n in range(18):
        PersonLabel.objects.create(
            conversation=add(labelled_bank, f"Damp and mould, room {n}"), category=damp
        )
    for n in range(3):
        PersonLabel.objects.create(conversation=add(labelled_bank, f"The boiler, week {n}"), category=repairs)
    version = services.model_train(actor=None)
    assert (version.framework, version.categories_learnt) == (ours, 1)
