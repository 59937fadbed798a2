"""WSGI entry point for gunicorn (`engage serve`, or gunicorn started by hand).

In production the site's checks run before it answers anything (engage/core/checks.py
and engage/demo/checks.py: the built-in secret key, email written to files, an http or
localhost public address, the demo loaded...), so a server started straight from
gunicorn, without `engage serve`, refuses to start just as `engage serve` does.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()


def _refuse_to_start_if_unsafe() -> None:
    from django.conf import settings  # noqa: PLC0415 - Django is set up by get_wsgi_application above
    from django.core import checks  # noqa: PLC0415 - Django is set up by get_wsgi_application above
    from django.core.exceptions import ImproperlyConfigured  # noqa: PLC0415 - Django is set up by get_wsgi_application above

    if not settings.ENGAGE_PRODUCTION:
        return
    found = checks.run_checks(include_deployment_checks=True, databases=["default"])
    errors = [message for message in found if message.is_serious()]
    if errors:
        raise ImproperlyConfigured("The site will not start:\n" + "\n".join(str(error) for error in errors))


_refuse_to_start_if_unsafe()
