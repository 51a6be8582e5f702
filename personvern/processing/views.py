from __future__ import annotations

from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404

from .models import DataProcessingAgreement


@staff_member_required
def download_agreement(request: HttpRequest, pk: int) -> FileResponse:
    """Agreements are served to staff only, never from a public media URL."""
    if not request.user.has_perm("processing.view_dataprocessingagreement"):
        raise PermissionDenied
    agreement = get_object_or_404(DataProcessingAgreement, pk=pk)
    if not agreement.document:
        raise Http404
    suffix = agreement.document.name.rsplit(".", 1)[-1]
    return FileResponse(
        agreement.document.open("rb"),
        as_attachment=True,
        filename=f"dpa-{agreement.processor_id}-{agreement.signed_on}.{suffix}",
    )
