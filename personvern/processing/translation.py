"""The record's texts the organisation writes, one field per language (django-modeltranslation):
``purpose_nb``, ``purpose_en`` and so on. Readers that must say when a text is shown in another
language than asked use ``core.translated``."""

from modeltranslation.translator import TranslationOptions, register

from .models import ProcessingActivity, Processor


@register(ProcessingActivity)
class ProcessingActivityTranslation(TranslationOptions):
    fields = (
        "name",
        "purpose",
        "description",
        "legal_basis_detail",
        "sources",
        "recipients",
        "retention",
        "security_measures",
        "automated_decision_logic",
    )


@register(Processor)
class ProcessorTranslation(TranslationOptions):
    fields = ("services",)
