"""Before any version of the notice is published: visitors are told so, staff see the preview.
And the Markdown a version is stored as is turned back into safe HTML. Without the demo: the
demo publishes version 1."""

from __future__ import annotations

from django.test import Client

from personvern.website.notice.render import markdown_to_html


def test_until_a_version_is_published_visitors_are_told_so(controller):
    response = Client().get("/personvern")

    body = response.content.decode()
    assert response.status_code == 404
    assert 'id="notice-missing"' in body
    assert f"mailto:{controller.privacy_contact_email}" in body
    assert controller.legal_name not in body  # no unpublished text reaches visitors


def test_until_a_version_is_published_staff_see_the_preview(controller, privacy_officer):
    client = Client()
    client.force_login(privacy_officer)

    response = client.get("/personvern")

    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="notice-preview"' in body
    assert f"<h1>Personvernerklæring for {controller.legal_name}</h1>" in body
    assert "/admin/website/publishednotice/publish/?lang=nb" in body


def test_staff_without_the_permission_see_no_preview(controller, django_user_model):
    user = django_user_model.objects.create_user("someone", password="x", is_staff=True)
    client = Client()
    client.force_login(user)

    assert client.get("/personvern?preview=1").status_code == 404


def test_without_a_controller_there_is_no_notice(db):
    assert Client().get("/personvern").status_code == 404


def test_stored_markdown_becomes_escaped_html_with_safe_links_only():
    text = (
        "## Heading <b>\n\n"
        "[a](javascript:alert(1)) [b](https://example.no) [c](//evil.example) "
        "[d](mailto:post@example.no) [e](/portal/) **f**\n\n"
        "- one\n- two\n\n"
        "| N | M |\n| --- | --- |\n| a\\|b | <i> |\n"
    )

    html = markdown_to_html(text)

    assert "<h2>Heading &lt;b&gt;</h2>" in html
    assert 'href="javascript' not in html and 'href="//evil' not in html
    assert '<a href="https://example.no">b</a>' in html
    assert '<a href="mailto:post@example.no">d</a>' in html
    assert '<a href="/portal/">e</a>' in html
    assert "<strong>f</strong>" in html
    assert "<ul><li>one</li><li>two</li></ul>" in html
    assert "<tr><td>a|b</td><td>&lt;i&gt;</td></tr>" in html
