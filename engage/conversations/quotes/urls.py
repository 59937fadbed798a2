"""Quote pages under /staff/quotes/, and a conversation's consent to quote and person
under /staff/conversations/<id>/. Include with
`path("", include("engage.conversations.quotes.urls"))`."""

from django.urls import path

from engage.conversations.quotes import views

app_name = "quotes"
urlpatterns = [
    path("staff/quotes/", views.quote_list, name="quote-list"),
    path("staff/quotes/decided/", views.quote_decided, name="quote-decided"),
    path("staff/quotes/<id:conversation_id>/", views.quote_edit, name="quote-edit"),
    path("staff/quotes/<id:conversation_id>/decide/", views.quote_decide, name="quote-decide"),
    path("staff/quotes/<id:conversation_id>/undo/", views.quote_undo, name="quote-undo"),
    path(
        "staff/conversations/<id:conversation_id>/quote-consent/",
        views.quote_consent_grant,
        name="quote-consent-grant",
    ),
    path(
        "staff/conversations/<id:conversation_id>/quote-consent/withdraw/",
        views.quote_consent_withdraw,
        name="quote-consent-withdraw",
    ),
    path(
        "staff/conversations/<id:conversation_id>/person/",
        views.conversation_person,
        name="conversation-person",
    ),
]
