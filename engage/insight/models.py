"""What the bank of conversations says: frameworks of categories, people's labels, the
model's labels and sentiment, the redacted text, and the runs that produce them.

People's labels (PersonLabel, PersonSentiment) are kept apart from the model's
(ModelLabel, ConversationInsight.sentiment) and are never overwritten by a run: where a
person has labelled a conversation, their labels are the ones shown.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from engage.conversations.models import Conversation
from engage.core.models import BackgroundJob
from engage.core.scoping import OrganisationScopedQuerySet


class Sentiment(models.TextChoices):
    POSITIVE = "positive", "Positive"
    NEUTRAL = "neutral", "Neutral or mixed"
    NEGATIVE = "negative", "Negative"


class Framework(models.Model):
    """A set of categories for what people talk about, such as the NHS patient
    experience framework (built in) or a partnership's own."""

    name = models.CharField(max_length=200, unique=True)
    version = models.CharField(max_length=40, blank=True)
    description = models.TextField(blank=True)
    built_in = models.BooleanField(default=False)
    # The one the partnership sorts its conversations into; none means the built-in one.
    in_use = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-built_in", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["in_use"], condition=models.Q(in_use=True), name="framework_one_in_use"
            )
        ]

    def __str__(self) -> str:
        return self.name


class CategoryOrigin(models.TextChoices):
    FRAMEWORK = "framework", "From the framework"
    PARTNERSHIP = "partnership", "Added by the partnership"
    DISCOVERED = "discovered", "Promoted from a discovered theme"


class Category(models.Model):
    """A category (no parent) or one of its sub-categories. Conversations are labelled
    with sub-categories; a category's count is its sub-categories' together."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="categories")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="subcategories"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    examples = models.JSONField(default=list, blank=True)
    position = models.PositiveIntegerField(default=0)
    origin = models.CharField(max_length=16, choices=CategoryOrigin.choices, default=CategoryOrigin.FRAMEWORK)
    # When the partnership added it (or promoted it from a discovered theme), so its staff
    # see what is new; none for a framework's own, and for those added before it was kept.
    added_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["framework", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "name"], name="category_unique_name_in_framework")
        ]

    def __str__(self) -> str:
        return self.name


class PersonLabel(models.Model):
    """A person said this conversation is about this sub-category."""

    class Source(models.TextChoices):
        REVIEW = "review", "Reviewed in the software"
        IMPORT = "import", "Imported with the file"

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="person_labels")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="person_labels")
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.REVIEW)
    labelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    labelled_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["conversation", "category"], name="person_label_once")]
        indexes = [models.Index(fields=["category", "conversation"], name="person_label_category")]

    def __str__(self) -> str:
        return f"{self.conversation_id}: {self.category_id}"


class Review(models.Model):
    """A person looked at a conversation's labels (and perhaps its sentiment) and
    settled them: its PersonLabels are then the whole answer, even when there are none."""

    conversation = models.OneToOneField(Conversation, on_delete=models.CASCADE, related_name="review")
    sentiment = models.CharField(max_length=8, choices=Sentiment.choices, blank=True)
    source = models.CharField(
        max_length=8, choices=PersonLabel.Source.choices, default=PersonLabel.Source.REVIEW
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    reviewed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"review of {self.conversation_id}"


class ModelVersion(models.Model):
    """One trained model: what it learnt from, how well it scored, and the model itself."""

    number = models.PositiveIntegerField(unique=True)
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="model_versions")
    trained_at = models.DateTimeField(auto_now_add=True)
    trained_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    labelled_conversations = models.PositiveIntegerField(default=0)
    categories_learnt = models.PositiveIntegerField(default=0)
    sentiment_source = models.CharField(max_length=16, blank=True)
    train_seconds = models.FloatField(default=0)
    # The mean F1 of its themes on labelled conversations each theme's model did not see
    # (textkit.classify): how a new model is compared with the one in use.
    held_out_macro_f1 = models.FloatField(null=True, blank=True)
    # The trained objects, pickled. Only ever read back from this database, which only
    # this software writes: never load a model from anywhere else.
    blob = models.BinaryField()

    class Meta:
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"model {self.number}"


class InsightQuerySet(OrganisationScopedQuerySet):
    organisation_path = "conversation__organisation"


class ConversationInsight(models.Model):
    """The latest analysis of one conversation."""

    conversation = models.OneToOneField(Conversation, on_delete=models.CASCADE, related_name="insight")
    redacted_text = models.TextField(help_text="The text with personal details replaced by markers.")
    redactions = models.JSONField(
        default=dict, blank=True, help_text="Kind of detail -> how many were removed."
    )
    sentiment = models.CharField(max_length=8, choices=Sentiment.choices)
    # How unsure the model is (0 sure ... 1 unsure): the review queue asks about the most unsure first.
    uncertainty = models.FloatField(default=0)
    model_version = models.ForeignKey(ModelVersion, null=True, blank=True, on_delete=models.SET_NULL)
    text_hash = models.CharField(
        max_length=64, help_text="Of the text analysed; a change means analyse again."
    )
    analysed_at = models.DateTimeField()

    objects = InsightQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["-uncertainty"], name="insight_uncertainty")]

    def __str__(self) -> str:
        return f"insight of {self.conversation_id}"


class ModelLabel(models.Model):
    """The model said this conversation is about this sub-category, with this score."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="model_labels")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="model_labels")
    score = models.FloatField()
    model_version = models.ForeignKey(ModelVersion, on_delete=models.CASCADE, related_name="labels")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["conversation", "category"], name="model_label_once")]
        indexes = [models.Index(fields=["category", "conversation"], name="model_label_category")]

    def __str__(self) -> str:
        return f"{self.conversation_id}: {self.category_id} ({self.score:.2f})"


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Finished"
    FAILED = "failed", "Failed"


class AnalysisRun(BackgroundJob):
    """A background analysis of the conversations that are new or changed since the last."""

    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    model_version = models.ForeignKey(ModelVersion, null=True, blank=True, on_delete=models.SET_NULL)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One analysis waiting or running in the whole partnership: every row so placed
            # has the same value (1) in this index, so a second is refused by the database.
            models.UniqueConstraint(
                models.Value(1),
                condition=models.Q(status__in=[RunStatus.QUEUED, RunStatus.RUNNING]),
                name="analysis_one_at_a_time",
            ),
        ]

    def __str__(self) -> str:
        return f"analysis {self.pk}"


class ModelTraining(BackgroundJob):
    """Training a new model version, in the background: with tens of thousands of labels
    it takes a minute or more, longer than a page should keep a person waiting (or a
    proxy keeps a request open). Its result is the version made, or, where the model
    was not kept (nothing to learn, or worse than the one in use), why, in `error`."""

    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    # Keep the new model even where it is worse than the one in use.
    force = models.BooleanField(default=False)
    # Themes learnt so far, of those with enough labelled examples.
    categories_done = models.PositiveIntegerField(default=0)
    categories_total = models.PositiveIntegerField(default=0)
    model_version = models.ForeignKey(
        ModelVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One training waiting or running at a time, as for analyses.
            models.UniqueConstraint(
                models.Value(1),
                condition=models.Q(status__in=[RunStatus.QUEUED, RunStatus.RUNNING]),
                name="training_one_at_a_time",
            ),
        ]

    def __str__(self) -> str:
        return f"training {self.pk}"


class DiscoveryQuerySet(OrganisationScopedQuerySet):
    organisation_path = "organisation"


class ThemeDiscovery(models.Model):
    """One look for themes no framework names, among a set of one organisation's
    analysed conversations. Its groups are kept, so a person can merge, split, name and
    promote them over several visits; the conversations are listed in the order the
    analysis saw them, so a merge or split works in the same space (textkit.discover)."""

    organisation = models.ForeignKey(
        "partners.Organisation", on_delete=models.CASCADE, related_name="theme_discoveries"
    )
    described_as = models.CharField(max_length=300, help_text="The set of conversations, in words.")
    filters = models.JSONField(default=dict, blank=True)
    conversation_ids = models.JSONField(default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DiscoveryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"discovery {self.pk}: {self.described_as}"


class GroupState(models.TextChoices):
    OPEN = "open", "Open"
    MERGED = "merged", "Merged into another group"
    SPLIT = "split", "Split into smaller groups"
    PROMOTED = "promoted", "Added to the framework"


class GroupOrigin(models.TextChoices):
    FOUND = "found", "Found"
    MERGED = "merged", "Made by merging groups"
    SPLIT = "split", "Made by splitting a group"


class DiscoveredGroupQuerySet(OrganisationScopedQuerySet):
    organisation_path = "discovery__organisation"


class DiscoveredGroup(models.Model):
    """A group of similar conversations in a discovery. Merging or splitting keeps the
    groups it replaces (state MERGED or SPLIT, pointing at what replaced them), so what
    a person did can be followed."""

    discovery = models.ForeignKey(ThemeDiscovery, on_delete=models.CASCADE, related_name="groups")
    keywords = models.JSONField(default=list)
    member_ids = models.JSONField(default=list, help_text="Conversation ids, the most typical first.")
    size = models.PositiveIntegerField(default=0)
    state = models.CharField(max_length=10, choices=GroupState.choices, default=GroupState.OPEN)
    origin = models.CharField(max_length=10, choices=GroupOrigin.choices, default=GroupOrigin.FOUND)
    replaced_by = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="made_from")
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="discovered_groups"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DiscoveredGroupQuerySet.as_manager()

    class Meta:
        ordering = ["-size", "id"]

    def __str__(self) -> str:
        return ", ".join(self.keywords) or f"group {self.pk}"
