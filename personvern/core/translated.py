"""Texts the organisation writes in more than one language (django-modeltranslation): a model
field ``purpose`` has ``purpose_nb`` and ``purpose_en``. The base name means the default
language (bokmål) whenever a service writes it, whatever language the staff member reads the
UI in; readers ask for a language and are told when the text is the other language's (a
fallback), so that the notice, the report and the staff UI can flag it.

This module knows no domain: it works on any model registered with modeltranslation."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import translation


def default_language() -> str:
    return str(getattr(settings, "MODELTRANSLATION_DEFAULT_LANGUAGE", settings.LANGUAGE_CODE))


def languages() -> tuple[str, ...]:
    return tuple(getattr(settings, "MODELTRANSLATION_LANGUAGES", (default_language(),)))


@contextmanager
def in_default_language() -> Iterator[None]:
    """Writes and reads through a base field name mean the default language's field."""
    with translation.override(default_language()):
        yield


def is_translation_of_default(field: models.Field) -> bool:  # type: ignore[type-arg]
    """A ``<name>_nb`` field: the same text as the base field, checked there."""
    return (
        getattr(field, "translated_field", None) is not None
        and getattr(field, "language", None) == default_language()
    )


@dataclass(frozen=True)
class Translated:
    text: str
    language: str  # the language the text is in
    fallback: bool  # True: not in the language asked for

    def __str__(self) -> str:
        return self.text


def translated(instance: models.Model, name: str, language: str) -> Translated:
    """``name`` of ``instance`` in ``language``, or else in the first other language that has
    it (flagged as a fallback); an empty text when no language has it."""
    order = [
        language,
        *(other for other in (default_language(), *languages()) if other != language),
    ]
    for candidate in dict.fromkeys(order):
        value = getattr(instance, f"{name}_{candidate}", None)
        if value:
            return Translated(str(value), candidate, candidate != language)
    return Translated("", language, False)


def missing(instance: models.Model, names: Iterable[str], language: str) -> list[str]:
    """Which of ``names`` have a text in some language but none in ``language``."""
    return [
        name
        for name in names
        if not getattr(instance, f"{name}_{language}", None)
        and translated(instance, name, language).text
    ]


def translated_fields(model: type[models.Model]) -> tuple[str, ...]:
    """The base names of ``model``'s fields with a version per language."""
    from modeltranslation.translator import NotRegistered, translator

    try:
        options = translator.get_options_for_model(model)
    except NotRegistered:
        return ()
    return tuple(getattr(options, "fields", ()))


def default_language_fields(model: type[models.Model]) -> tuple[str, ...]:
    """``purpose_nb`` and the like: edited through the base field, left out of staff forms."""
    return tuple(f"{name}_{default_language()}" for name in translated_fields(model))


def missing_display(instance: models.Model, language: str = "en") -> str:
    """For the staff UI: the texts shown to ``language`` readers in another language (a
    fallback), as a comma-separated list of the fields' names; empty when there is none."""
    names = missing(instance, translated_fields(type(instance)), language)
    fields = {field.name: field for field in type(instance)._meta.concrete_fields}
    return ", ".join(str(fields[name].verbose_name) for name in names if name in fields)


def stored(model: type[models.Model], values: dict[str, object]) -> dict[str, object]:
    """``values`` as the model stores them: an empty text in another language than the
    default is NULL (it is "not translated", and a unique field's translations must not
    collide on the empty string)."""
    others = {
        f"{name}_{language}"
        for name in translated_fields(model)
        for language in languages()
        if language != default_language()
    }
    return {key: (value or None) if key in others else value for key, value in values.items()}


def text_in(instance: models.Model, name: str, language: str) -> str:
    """``name``'s own text in ``language`` (no fallback; empty when there is none)."""
    return str(getattr(instance, f"{name}_{language}", None) or "")


def flagged(instance: models.Model, name: str, language: str) -> str:
    """``name`` in ``language`` for a reader: when it exists only in the other language it is
    shown in that one with a visible flag, so the reader is never handed the other language's
    text unannounced (the notice, the access report)."""
    from django.utils.translation import gettext

    text = translated(instance, name, language)
    if not text.fallback:
        return text.text
    with translation.override(language):
        flag = gettext("only in English") if text.language == "en" else gettext("only in Norwegian")
    return f"{text.text} [{flag}]"


def keep_lookups_on_base_fields() -> None:
    """Queries name the base field (``filter(name=…)``, ``order_by("name")``) and mean its
    column, which services always write in the default language; modeltranslation would
    otherwise rewrite them to the active language's column (``name_en`` for a staff member in
    English, or after an English request in the same thread), so a look-up by the bokmål name
    would find nothing. Reading an instance's field still gives the active language's text.
    modeltranslation has no setting for this; its querysets offer ``rewrite(False)`` one by
    one, and this makes it the default (called from ``CoreConfig.ready``)."""
    from modeltranslation.manager import MultilingualQuerySet

    if getattr(MultilingualQuerySet, "_personvern_base_lookups", False):
        return
    original = MultilingualQuerySet._post_init

    def _post_init(self: MultilingualQuerySet[Any]) -> None:
        original(self)
        self._rewrite = False

    MultilingualQuerySet._post_init = _post_init  # type: ignore[method-assign]
    MultilingualQuerySet._personvern_base_lookups = True  # type: ignore[attr-defined]
