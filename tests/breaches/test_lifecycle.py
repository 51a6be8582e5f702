"""A breach from discovery to closing: the 72-hour reminders by e-mail (a real SMTP server),
the risk assessment, the draft report, a late notification's reasons, follow-ups, letters to
the people affected in their language, a processor's notice to its client."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from personvern.audit.choices import AuditEventType
from personvern.audit.models import AuditEntry
from personvern.breaches import report, services
from personvern.breaches.choices import BreachErrorCode, BreachRisk, BreachStatus
from personvern.breaches.models import BreachLetter, BreachReminder, ClientNotification
from personvern.clients.services import create_client
from personvern.core.actors import Actor
from personvern.core.errors import DomainError
from personvern.register.choices import SubjectCategory
from personvern.rights.choices import Language
from personvern.rights.models import DataSubjectRequest
from tests.factories import PersonFactory, ProcessingActivityFactory
from tests.rights.test_outbox import closed_port

pytestmark = pytest.mark.django_db
ACTOR = Actor.for_system("tests")
H = datetime.timedelta(hours=1)


def _events(breach, event):
    return AuditEntry.objects.filter(object_id=str(breach.pk), event_type=event)


@pytest.fixture
def payroll(db):
    return ProcessingActivityFactory(name="Payroll", subject_categories=["employee"])


@pytest.fixture
def breach(controller, payroll):
    aware = timezone.now() - 2 * H
    return services.record_breach(actor=ACTOR, values={
        "title": "Payslips e-mailed to the wrong address",
        "what_happened": "Payslips were sent to a former employee.",
        "cause": "A distribution list was out of date.",
        "began_at": aware - 5 * H,
        "ended_at": aware - H,
        "aware_at": aware,
        "systems": "Mail server",
        "activities": [payroll],
        "subject_categories": [SubjectCategory.EMPLOYEE.value],
        "approx_people": 3,
        "approx_records": 3,
        "data_whereabouts": "In the former employee's mailbox.",
        "likely_consequences": "Salary details known to one outsider.",
        "measures_taken": "The recipient was asked to delete the e-mails.",
        "measures_proposed": "Lists are checked monthly.",
    })  # fmt: skip


def test_recording_a_breach_is_audited_and_every_change_names_its_fields(breach):
    assert _events(breach, AuditEventType.BREACH_RECORDED).count() == 1
    services.update_breach(actor=ACTOR, breach=breach, changes={"approx_people": 4})
    change = _events(breach, AuditEventType.BREACH_CHANGED).get()
    assert change.fields == ["approx_people"]


def test_impossible_times_are_refused_naming_the_field(breach):
    with pytest.raises(DomainError) as refused:
        services.update_breach(actor=ACTOR, breach=breach,
                               changes={"ended_at": breach.began_at - H})  # fmt: skip
    assert refused.value.code == BreachErrorCode.INVALID_TIMES
    assert refused.value.field == "ended_at"


def test_reminders_go_at_the_set_points_once_each(breach, smtp):
    aware = breach.aware_at
    # when the job runs before the first point: nothing
    assert services.send_reminders(aware + 23 * H) == 0
    # at 24 hours (48 left) the privacy officer is told, once, however often the job runs
    assert services.send_reminders(aware + 24 * H) == 1
    assert services.send_reminders(aware + 25 * H) == 0
    assert smtp.subjects("post@numeri.example") == [
        f"Avvik nr. {breach.pk}: 48 timer igjen til fristen for melding til Datatilsynet"
    ]
    # a job down from 47 to 73 hours sends one mail for the most urgent point reached
    assert services.send_reminders(aware + 73 * H) == 1
    assert "er passert" in smtp.subjects("post@numeri.example")[-1]
    assert sorted(BreachReminder.objects.filter(breach=breach)
                  .values_list("hours_left", flat=True)) == [0, 4, 12, 24, 48]  # fmt: skip
    assert _events(breach, AuditEventType.BREACH_REMINDED).count() == 2


def test_a_breach_unlikely_to_be_a_risk_needs_reasons_and_gets_no_reminders(breach, smtp):
    with pytest.raises(DomainError) as refused:
        services.assess_risk(actor=ACTOR, breach=breach, risk=BreachRisk.UNLIKELY, reasoning=" ")
    assert refused.value.code == BreachErrorCode.REASONING_REQUIRED
    reasoning = "The data was encrypted and the key was not exposed."
    services.assess_risk(actor=ACTOR, breach=breach, risk=BreachRisk.UNLIKELY, reasoning=reasoning)
    assert services.send_reminders(breach.aware_at + 60 * H) == 0
    assert smtp.messages == []


def test_a_late_notification_needs_the_reasons_for_the_delay(breach):
    # given a breach the firm became aware of 80 hours ago
    late = timezone.now()
    breach.aware_at = late - 80 * H
    breach.began_at, breach.ended_at = breach.aware_at - 5 * H, breach.aware_at - H
    breach.save()
    with pytest.raises(DomainError) as refused:
        services.record_notification(actor=ACTOR, breach=breach, phase="initial",
                                     submitted_at=late, reference="24/01234")  # fmt: skip
    assert refused.value.code == BreachErrorCode.DELAY_REASONS_REQUIRED
    assert refused.value.field == "delay_reasons"
    notice = services.record_notification(
        actor=ACTOR, breach=breach, phase="initial", submitted_at=late, reference="24/01234",
        delay_reasons="The extent was only known after the mail server's logs were restored.",
    )
    assert notice.late and notice.reference == "24/01234"
    entry = _events(breach, AuditEventType.BREACH_NOTIFIED).get()
    assert entry.detail == {"phase": "initial", "late": True}


def test_notification_in_phases(breach):
    with pytest.raises(DomainError) as refused:
        services.record_notification(actor=ACTOR, breach=breach, phase="follow_up",
                                     submitted_at=timezone.now())  # fmt: skip
    assert refused.value.code == BreachErrorCode.INITIAL_FIRST
    services.record_notification(actor=ACTOR, breach=breach, phase="initial",
                                 submitted_at=timezone.now(), reference="24/01234")  # fmt: skip
    services.record_notification(actor=ACTOR, breach=breach, phase="follow_up",
                                 submitted_at=timezone.now(), reference="24/01234")  # fmt: skip
    assert [n.phase for n in breach.notifications.all()] == ["initial", "follow_up"]
    # once notified, the clock no longer reminds anyone
    assert services.send_reminders(breach.aware_at + 70 * H) == 0


def test_the_people_affected_are_found_and_told_in_their_language(
    breach, smtp, django_capture_on_commit_callbacks
):
    # given employees in the register (one who wrote to us in English), a customer, and an
    # employee who joined after the breach ended
    before = timezone.now() - datetime.timedelta(days=30)
    nb_person = PersonFactory(category="employee", email="kari@example.com", created_at=before)
    en_person = PersonFactory(category="employee", email="john@example.com", created_at=before)
    DataSubjectRequest.objects.create(
        request_type="access", contact_email="john@example.com", language=Language.EN,
        due_on=timezone.localdate(), person=en_person,
    )
    PersonFactory(category="customer_contact", email="customer@example.com", created_at=before)
    PersonFactory(category="employee", email="new@example.com")
    with pytest.raises(DomainError) as refused:
        services.write_letters(actor=ACTOR, breach=breach, people=[nb_person])
    assert refused.value.code == BreachErrorCode.NOT_HIGH_RISK
    # when the risk is high and letters are written to the people the register finds
    services.assess_risk(actor=ACTOR, breach=breach, risk=BreachRisk.HIGH,
                         reasoning="Salary details reached an outsider.")  # fmt: skip
    people = services.affected_by(breach)
    assert {p.pk for p in people} == {nb_person.pk, en_person.pk}
    with django_capture_on_commit_callbacks(execute=True):
        services.write_letters(actor=ACTOR, breach=breach, people=people)
    # then each received a letter in their language, recorded and audited, text cleared
    nb_letter = smtp.last_to("kari@example.com")
    en_letter = smtp.last_to("john@example.com")
    assert nb_letter["Subject"] == "Viktig informasjon om personopplysningene dine"
    assert en_letter["Subject"] == "Important information about your personal data"
    assert "Payslips were sent to a former employee." in smtp.body(en_letter)
    assert "post@numeri.example" in smtp.body(nb_letter)
    assert smtp.to("customer@example.com") == [] and smtp.to("new@example.com") == []
    sent = BreachLetter.objects.filter(breach=breach)
    assert sent.count() == 2 and all(x.sent_at and not x.body for x in sent)
    assert _events(breach, AuditEventType.BREACH_LETTER_SENT).count() == 2
    # and writing again sends nobody a second letter
    with django_capture_on_commit_callbacks(execute=True):
        assert services.write_letters(actor=ACTOR, breach=breach, people=people) == []
    # the draft report says the people were told
    assert "2 personer" in {f.key: f.value for f in report.draft(breach)}["informert"]


def test_a_public_notice_instead_of_letters(breach):
    services.assess_risk(actor=ACTOR, breach=breach, risk=BreachRisk.HIGH, reasoning="Wide.")
    services.record_public_notice(actor=ACTOR, breach=breach, published_at=timezone.now(),
                                  where="numeri.no/avvik and Adresseavisen")  # fmt: skip
    assert _events(breach, AuditEventType.BREACH_PUBLIC_NOTICE).count() == 1
    assert "offentlig kunngjøring" in {f.key: f.value for f in report.draft(breach)}["informert"]


def test_as_processor_the_firm_notifies_its_client_once(breach, smtp):
    client = create_client(actor=ACTOR, values={
        "name": "Fjordbakst AS", "contact_email": "dpo@fjordbakst.example",
        "processing": "Payroll",
    })  # fmt: skip
    with pytest.raises(DomainError) as refused:
        services.notify_clients(actor=ACTOR, breach=breach)
    assert refused.value.code == BreachErrorCode.NO_CLIENTS
    services.update_breach(actor=ACTOR, breach=breach, changes={"clients": [client]})
    services.notify_clients(actor=ACTOR, breach=breach)
    services.notify_clients(actor=ACTOR, breach=breach)
    message = smtp.last_to("dpo@fjordbakst.example")
    assert "art. 33 nr. 2" in str(message["Subject"])
    assert "Payslips e-mailed to the wrong address" in smtp.body(message)
    assert len(smtp.to("dpo@fjordbakst.example")) == 1
    assert ClientNotification.objects.get(breach=breach).client == client
    assert _events(breach, AuditEventType.BREACH_CLIENT_NOTIFIED).count() == 1


def test_closing_needs_an_assessment_and_an_end(breach):
    with pytest.raises(DomainError) as refused:
        services.close_breach(actor=ACTOR, breach=breach)
    assert refused.value.field == "risk"
    services.assess_risk(actor=ACTOR, breach=breach, risk=BreachRisk.RISK, reasoning="Some.")
    services.close_breach(actor=ACTOR, breach=breach)
    assert breach.status == BreachStatus.CLOSED
    with pytest.raises(DomainError) as closed:
        services.update_breach(actor=ACTOR, breach=breach, changes={"title": "x"})
    assert closed.value.code == BreachErrorCode.CLOSED


def test_a_letter_the_mail_server_refuses_is_sent_by_the_next_run(
    breach, smtp, settings, django_capture_on_commit_callbacks
):
    # given a high-risk breach and a mail server that is down when the letter is written
    person = PersonFactory(category="employee", email="kari@example.com",
                           created_at=timezone.now() - datetime.timedelta(days=30))  # fmt: skip
    services.assess_risk(actor=ACTOR, breach=breach, risk=BreachRisk.HIGH, reasoning="Wide.")
    port = settings.EMAIL_PORT
    settings.EMAIL_PORT = 1  # nothing listens there
    with django_capture_on_commit_callbacks(execute=True):
        services.write_letters(actor=ACTOR, breach=breach, people=[person])
    letter = BreachLetter.objects.get(breach=breach)
    assert letter.sent_at is None and letter.attempts == 1 and letter.recipient
    # when the server is back and the periodic job runs
    settings.EMAIL_PORT = port
    assert services.send_pending() == 1
    # then the letter went, once
    assert len(smtp.to("kari@example.com")) == 1
    assert services.send_pending() == 0


def test_a_letter_given_up_keeps_no_address(breach, settings, django_capture_on_commit_callbacks):
    person = PersonFactory(category="employee", email="kari@example.com",
                           created_at=timezone.now() - datetime.timedelta(days=30))  # fmt: skip
    services.assess_risk(actor=ACTOR, breach=breach, risk=BreachRisk.HIGH, reasoning="Wide.")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1
    with django_capture_on_commit_callbacks(execute=True):
        services.write_letters(actor=ACTOR, breach=breach, people=[person])
    for _attempt in range(10):
        services.send_pending()
    letter = BreachLetter.objects.get(breach=breach)
    assert letter.failed_at is not None and letter.recipient == "" and letter.body == ""


def test_a_reminder_the_mail_server_refuses_is_sent_by_a_later_run(breach, smtp, settings):
    aware = breach.aware_at
    # given a mail server that is down
    server_port, settings.EMAIL_PORT = settings.EMAIL_PORT, closed_port()
    # when the job reaches the first point, nothing is sent, claimed or audited
    assert services.send_reminders(aware + 24 * H) == 0
    assert not BreachReminder.objects.filter(breach=breach).exists()
    assert not _events(breach, AuditEventType.BREACH_REMINDED).exists()
    # and with the server back, the next run sends it
    settings.EMAIL_PORT = server_port
    assert services.send_reminders(aware + 24 * H) == 1
    assert BreachReminder.objects.get(breach=breach).sent_at == aware + 24 * H
    assert _events(breach, AuditEventType.BREACH_REMINDED).count() == 1
