"""Which Django email backend sends the project's email, chosen by one word in
ENGAGE_EMAIL. Settings import this, so it imports nothing of the project's own: the
backends are named, not loaded, and Django loads the one chosen when it first sends.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

EMAIL_BACKENDS = {
    # Each message written as a file under var/sent-mail, for a developer to read.
    "file": "django.core.mail.backends.filebased.EmailBackend",
    # A mail server: EMAIL_HOST, EMAIL_PORT and the other EMAIL_* settings.
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    # GOV.UK Notify: the ENGAGE_NOTIFY_* settings.
    "notify": "engage.core.notify_email.NotifyEmailBackend",
    # Printed where the server's output goes.
    "console": "django.core.mail.backends.console.EmailBackend",
}
DEFAULT_EMAIL = "file"


def email_backend_for(choice: str, *, named_backend: str = "") -> str:
    """The EMAIL_BACKEND for a word of ENGAGE_EMAIL; blank means `file`.

    `named_backend` is EMAIL_BACKEND as set directly, for a backend no word names
    (a mail provider's own, say); it is used as it is. Set with a word that means
    another backend, it is an error rather than a guess at which was meant.
    """
    word = choice.strip().lower()
    named_backend = named_backend.strip()
    if named_backend and not word:
        return named_backend
    backend = EMAIL_BACKENDS.get(word or DEFAULT_EMAIL)
    if backend is None:
        words = ", ".join(list(EMAIL_BACKENDS)[:-1]) + f" or {list(EMAIL_BACKENDS)[-1]}"
        raise ImproperlyConfigured(f"ENGAGE_EMAIL must be {words}, not {choice!r}.")
    if named_backend and named_backend != backend:
        raise ImproperlyConfigured(
            f"ENGAGE_EMAIL is {word} but EMAIL_BACKEND names {named_backend}: set only one of them."
        )
    return backend
