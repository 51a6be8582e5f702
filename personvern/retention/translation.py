"""A retention rule's name (what the privacy notice shows), one field per language."""

from modeltranslation.translator import TranslationOptions, register

from .models import RetentionRule


@register(RetentionRule)
class RetentionRuleTranslation(TranslationOptions):
    fields = ("name",)
