from django.contrib import admin
from django.urls import path

from personvern.api import api
from personvern.core.views import healthz

admin.site.site_header = "Personvern"
admin.site.site_title = "Personvern"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
