"""The cookie register's purpose text, one field per language (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Cookie


@register(Cookie)
class CookieTranslation(TranslationOptions):
    fields = ("description",)
