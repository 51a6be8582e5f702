from django.urls import path

from . import views

app_name = "rights_portal"

urlpatterns = [
    path("", views.submit, name="submit"),
    path("sent/", views.sent, name="sent"),
    path("verify/<str:token>/", views.verify, name="verify"),
    path("profile/", views.profile, name="profile"),
    path("download/<str:token>/", views.download, name="download"),
    path("status/<str:token>/", views.status, name="status"),
]
