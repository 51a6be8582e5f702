from __future__ import annotations

from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest
from django.shortcuts import get_object_or_404

from personvern.core.actors import Actor

from .models import JobApplicationDocument
from .services import open_application_document


@staff_member_required
def download_application_document(request: HttpRequest, pk: int) -> FileResponse:
    """Uploaded documents are never public files: staff with the permission download them."""
    if not request.user.has_perm("register.view_jobapplicationdocument"):
        raise PermissionDenied
    document = get_object_or_404(
        JobApplicationDocument.objects.select_related("application"), pk=pk
    )
    handle = open_application_document(actor=Actor.from_request(request), document=document)
    suffix = document.file.name.rsplit(".", 1)[-1]
    return FileResponse(handle, as_attachment=True, filename=f"document-{document.pk}.{suffix}")
