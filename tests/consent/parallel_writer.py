"""A separate process appending to the consent ledger (run by test_parallel_writers)."""

from __future__ import annotations

import sys


def main(person_id: int, purpose_id: int, text_id: int, count: int, start_at: float) -> None:
    import time

    import django

    django.setup()
    from personvern.consent.choices import Channel, ConsentMethod
    from personvern.consent.models import ConsentText
    from personvern.consent.services import Evidence, Subject, record_consent, withdraw_consent
    from personvern.core.actors import Actor
    from personvern.processing.models import ProcessingActivity
    from personvern.register.models import Person

    actor = Actor.for_system(f"writer-{person_id}")
    subject = Subject(person=Person.objects.get(pk=person_id))
    purpose = ProcessingActivity.objects.get(pk=purpose_id)
    text = ConsentText.objects.get(pk=text_id)
    evidence = Evidence(ip_address="198.51.100.1")
    time.sleep(max(0.0, start_at - time.time()))  # all writers start together
    for i in range(count):
        if i % 2 == 0:
            record_consent(
                actor=actor,
                subject=subject,
                purpose=purpose,
                channel=Channel.EMAIL,
                granted=True,
                method=ConsentMethod.WEB_FORM,
                text=text,
                evidence=evidence,
            )
        else:
            withdraw_consent(
                actor=actor,
                subject=subject,
                purpose=purpose,
                channel=Channel.EMAIL,
                method=ConsentMethod.WEB_FORM,
                evidence=evidence,
            )


if __name__ == "__main__":
    person, purpose, text, count = (int(arg) for arg in sys.argv[1:5])
    main(person, purpose, text, count, float(sys.argv[5]))
