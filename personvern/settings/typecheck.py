"""Settings the type checker loads (django-stubs): the test settings without
django-modeltranslation, which builds manager classes at run time that the django-stubs plugin
cannot resolve. Code reads the per-language fields through ``core.translated`` (``text_in``),
never as attributes the checker would not know."""

from .test import *  # noqa: F403

INSTALLED_APPS = [app for app in INSTALLED_APPS if app != "modeltranslation"]  # noqa: F405
