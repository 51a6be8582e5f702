"""The deployment check that keeps the notice's promise of encrypted communication."""

from __future__ import annotations

from django.test import override_settings

from personvern.website.checks import https_only

PRODUCTION = {
    "DEBUG": False,
    "SECURE_SSL_REDIRECT": True,
    "SECURE_HSTS_SECONDS": 31_536_000,
    "SESSION_COOKIE_SECURE": True,
    "SESSION_COOKIE_HTTPONLY": True,
    "CSRF_COOKIE_SECURE": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
}


def test_production_settings_pass():
    with override_settings(**PRODUCTION):
        assert https_only() == []


def test_plain_http_outside_debug_is_warned_about_naming_each_setting():
    with override_settings(
        **{
            **PRODUCTION,
            "SECURE_SSL_REDIRECT": False,
            "SECURE_HSTS_SECONDS": 0,
            "SESSION_COOKIE_SECURE": False,
        }
    ):
        (warning,) = https_only()

    assert warning.id == "website.W001"
    assert "SECURE_SSL_REDIRECT" in warning.msg and "SECURE_HSTS_SECONDS" in warning.msg
    assert "SESSION_COOKIE_SECURE" in warning.msg and "CSRF_COOKIE_SECURE" not in warning.msg


def test_development_is_left_alone():
    with override_settings(**{**PRODUCTION, "DEBUG": True, "SECURE_SSL_REDIRECT": False}):
        assert https_only() == []


def test_the_check_runs_with_check_deploy():
    from django.core.checks import registry

    assert https_only in registry.registry.get_checks(include_deployment_checks=True)
    assert https_only not in registry.registry.get_checks(include_deployment_checks=False)
