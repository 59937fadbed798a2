from typing import Any

from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db.models.signals import post_migrate


def _built_in_framework_kept(sender: AppConfig, apps: Any = None, **kwargs: Any) -> None:
    """The built-in framework is stored by the migration insight 0005. `flush` (which
    empties every table, as each transactional test does at its end) is followed by
    post_migrate like a migration, so it is stored again here, from the models as
    migrated (one query when it is there already). Reading never stores it."""
    from engage.insight.framework.services import framework_built_in_seed  # noqa: PLC0415 - once the apps are loaded

    # `migrate` passes the models as migrated; `flush` passes none, and the tables are
    # then the current ones.
    models = apps if apps is not None else global_apps
    try:
        framework_model = models.get_model("insight", "Framework")
        category_model = models.get_model("insight", "Category")
    except LookupError:  # migrated back to before insight existed
        return
    framework_built_in_seed(framework_model=framework_model, category_model=category_model)


class InsightConfig(AppConfig):
    name = "engage.insight"
    label = "insight"
    verbose_name = "Insight: themes, sentiment and personal details removed"

    def ready(self) -> None:
        post_migrate.connect(_built_in_framework_kept, sender=self)
        # Conversations added, or corrected, are analysed in the background (engage/conversations).
        # The register's topic similarity adds what the analysis finds in each text.
        from engage.activities.topics import theme_scorer_register  # noqa: PLC0415 - apps are ready only now
        from engage.conversations.signals import (  # noqa: PLC0415 - apps are ready only now
            conversations_added,
            conversations_changed,
        )
        from engage.insight.selectors import AnalysisThemeScorer  # noqa: PLC0415 - apps are ready only now
        from engage.insight.services import (  # noqa: PLC0415 - apps are ready only now
            on_conversations_added,
            on_conversations_changed,
        )

        theme_scorer_register(AnalysisThemeScorer())
        conversations_changed.connect(on_conversations_changed, dispatch_uid="insight.analyse_changed")
        conversations_added.connect(on_conversations_added, dispatch_uid="insight.analyse_added")
