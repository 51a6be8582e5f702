"""Staff searches: posted, held in the session, never in an address, audited."""

from __future__ import annotations

from pathlib import Path

import pytest

from personvern.audit.choices import AuditEventType
from personvern.audit.models import AuditEntry
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
PEOPLE = "/admin/register/person/"


@pytest.fixture
def people(db):
    return (
        PersonFactory(first_name="Synnøve", last_name="Testesen", email="synnove@example.com"),
        PersonFactory(first_name="Ola", last_name="Annen", email="ola@example.com"),
    )


def test_a_search_by_e_mail_stays_out_of_the_address_and_is_audited(
    client, customer_service, people
):
    client.force_login(customer_service)
    # when staff search the people by an e-mail address
    response = client.post(f"{PEOPLE}?category__exact=customer",
                           {"q": "synnove@example.com", "_search": "Search"})
    # then they are sent to the list without the address in the URL (the filter stays)
    assert response.status_code == 302
    assert response["Location"] == f"{PEOPLE}?category__exact=customer"
    listed = client.get(PEOPLE)
    html = listed.content.decode()
    assert listed.context["cl"].query == "synnove@example.com"
    assert listed.context["cl"].result_count == 1 and "Testesen" in html and "Annen" not in html
    # no link on the page carries the words
    assert "synnove%40example.com" not in html and "?q=" not in html
    assert 'method="post" role="search"' in html
    # and the search is audited without the words
    entry = AuditEntry.objects.get(event_type=AuditEventType.LIST_SEARCHED)
    assert entry.detail == {"model": "register.person", "results": 1}
    assert entry.actor_label == customer_service.username
    assert "synnove" not in str(entry.detail) and "synnove" not in entry.object_id


def test_clearing_the_search_shows_the_whole_list_again(client, customer_service, people):
    client.force_login(customer_service)
    client.post(PEOPLE, {"q": "Testesen", "_search": "Search"})
    client.post(PEOPLE, {"q": "Testesen", "_clear_search": "Clear"})
    assert client.get(PEOPLE).context["cl"].result_count == 2
    assert AuditEntry.objects.filter(event_type=AuditEventType.LIST_SEARCHED).count() == 1


def test_an_old_link_with_the_words_is_moved_into_the_session(client, customer_service, people):
    client.force_login(customer_service)
    response = client.get(f"{PEOPLE}?q=Annen&o=1")
    assert response.status_code == 302 and response["Location"] == f"{PEOPLE}?o=1"
    assert client.get(response["Location"]).context["cl"].result_count == 1


def test_a_search_of_one_list_does_not_filter_another(client, privacy_officer, people):
    client.force_login(privacy_officer)
    client.post(PEOPLE, {"q": "Testesen", "_search": "Search"})
    assert client.get("/admin/register/company/").context["cl"].query == ""


def test_who_may_not_read_a_list_cannot_search_it(client, sales_user):
    client.force_login(sales_user)
    response = client.post("/admin/audit/auditentry/", {"q": "x", "_search": "Search"})
    assert response.status_code == 403
    assert not AuditEntry.objects.filter(event_type=AuditEventType.LIST_SEARCHED).exists()


def test_the_list_actions_still_post_to_the_list(client, privacy_officer, people):
    """An action's form posts to the same address: it is not taken for a search."""
    client.force_login(privacy_officer)
    response = client.post(PEOPLE, {"action": "delete_selected",
                                    "_selected_action": [people[0].pk], "index": 0})
    assert response.status_code == 200  # Django's confirmation page


def test_the_autocomplete_takes_the_words_by_post_only(client, customer_service, db):
    from tests.factories import CompanyFactory

    CompanyFactory(name="Fjordregnskap AS")
    client.force_login(customer_service)
    params = {"term": "Fjord", "app_label": "register", "model_name": "person",
              "field_name": "company"}
    assert client.get("/admin/autocomplete/", params).status_code == 405
    response = client.post("/admin/autocomplete/", params)
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Fjordregnskap AS"]


def test_the_admin_serves_the_autocomplete_script_that_posts(client):
    from django.contrib.staticfiles import finders

    script = finders.find("admin/js/autocomplete.js")
    assert script is not None and "personvern/workplace" in str(script)
    assert "'data-ajax--type', 'POST'" in Path(script).read_text(encoding="utf-8")
