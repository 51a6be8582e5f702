from django.urls import path

from . import views

app_name = "website"

urlpatterns = [
    path("personvern", views.privacy_notice, name="privacy_notice"),
    path("website/banner.js", views.banner_script, name="banner_script"),
    path("website/banner.css", views.banner_stylesheet, name="banner_stylesheet"),
    path("website/demo/", views.demo_page, name="demo"),
]
