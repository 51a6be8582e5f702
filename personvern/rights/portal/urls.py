from django.urls import path

from ..portal_routes import TOKEN_ROUTES
from . import views

app_name = "rights_portal"

urlpatterns = [
    path("", views.submit, name="submit"),
    path("sent/", views.sent, name="sent"),
    path(TOKEN_ROUTES["verify"], views.verify, name="verify"),
    path("profile/", views.profile, name="profile"),
    path(TOKEN_ROUTES["download"], views.download, name="download"),
    path(TOKEN_ROUTES["status"], views.status, name="status"),
]
