"""Top-level routes. Each app owns its URLs and their prefixes (public site at /,
sign-in under /accounts/, the staff area under /staff/, the API under /api/v1/)."""

from django.urls import include, path

urlpatterns = [
    path("", include("engage.site.urls")),
    path("", include("engage.setup.urls")),
    path("", include("engage.accounts.urls")),
    path("", include("engage.staff.urls")),
    path("", include("engage.partners.urls")),
    path("", include("engage.partners.registers.urls")),
    path("", include("engage.partners.people_imports.urls")),
    path("", include("engage.activities.urls")),
    path("", include("engage.activities.screening.urls")),
    path("", include("engage.conversations.urls")),
    path("", include("engage.conversations.imports.urls")),
    path("", include("engage.conversations.quotes.urls")),
    path("", include("engage.subject_access.urls")),
    path("", include("engage.insight.urls")),
    path("", include("engage.places.areas.urls")),
    path("", include("engage.reach.urls")),
    path("", include("engage.decisions.urls")),
    path("", include("engage.partnership.urls")),
    path("", include("engage.partnership.sharing.urls")),
    path("", include("engage.evaluation.urls")),
    path("", include("engage.evaluation.self_assessment.urls")),
    path("", include("engage.evaluation.board.urls")),
    path("", include("engage.reports.urls")),
    path("", include("engage.retention.urls")),
    path("api/v1/", include("engage.api.urls")),
]

handler400 = "engage.site.views.bad_request"
handler403 = "engage.site.views.permission_denied"
handler404 = "engage.site.views.page_not_found"
handler500 = "engage.site.views.server_error"
