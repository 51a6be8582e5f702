from django.contrib import admin
from django.urls import include, path

from personvern.api import api
from personvern.core.views import healthz
from personvern.processing.views import download_agreement
from personvern.register.views import download_application_document

handler404 = "personvern.api.not_found"

admin.site.site_header = "Personvern"
admin.site.site_title = "Personvern"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/", api.urls),
    path(
        "files/application-documents/<int:pk>/",
        download_application_document,
        name="download_application_document",
    ),
    path("files/agreements/<int:pk>/", download_agreement, name="download_agreement"),
    path("portal/", include("personvern.rights.portal.urls")),
    # Sign-in's second step comes before the admin, which it guards (see accounts.middleware).
    path("admin/second-factor/", include("personvern.accounts.urls")),
    path("admin/second-factor/webauthn/", include("personvern.accounts.webauthn")),
    path("admin/", admin.site.urls),
    path("", include("personvern.website.urls")),
]
