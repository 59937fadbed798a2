"""The project's URLs, with the conversation and import pages added where config/urls.py
does not include them yet (use with `pytest.mark.urls`)."""

from django.urls import URLResolver, include, path

from config import urls as project_urls

urlpatterns = list(project_urls.urlpatterns)
for namespace, module in (
    ("conversations", "engage.conversations.urls"),
    ("imports", "engage.conversations.imports.urls"),
):
    if not any(isinstance(p, URLResolver) and p.namespace == namespace for p in urlpatterns):
        urlpatterns.append(path("", include(module)))
handler400 = project_urls.handler400
handler403 = project_urls.handler403
handler404 = project_urls.handler404
handler500 = project_urls.handler500
