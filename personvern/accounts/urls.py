"""The second step of staff sign-in, under /admin/second-factor/ (before the admin's own URLs)."""

from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("", views.verify, name="second_factor_verify"),
    path("enrol/", views.enrol, name="second_factor_enrol"),
    path("recovery-codes/", views.recovery_codes, name="second_factor_recovery_codes"),
    path("devices/", views.devices, name="second_factor_devices"),
    path("devices/remove/", views.remove, name="second_factor_remove"),
    path("devices/recovery-codes/", views.regenerate, name="second_factor_regenerate"),
]
