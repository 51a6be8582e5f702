"""A separate process writing audit entries, some in the same transaction as a ledger append
(audit first in odd writers, append first in even ones), run by test_parallel_audit."""

from __future__ import annotations

import sys


def main(writer: int, person_id: int, count: int, start_at: float) -> None:
    import time

    import django

    django.setup()
    from django.db import transaction

    from personvern.audit.choices import AuditEventType
    from personvern.audit.services import record
    from personvern.consent.choices import ConsentMethod
    from personvern.consent.services import Evidence, object_to_direct_marketing
    from personvern.core.actors import Actor
    from personvern.register.models import Person

    actor = Actor.for_system(f"auditor-{writer}")
    person = Person.objects.get(pk=person_id)

    def audit(i: int) -> None:
        record(actor=actor, event=AuditEventType.PERSON_VIEWED, object_type="register.person",
               object_id=person_id, subject_id=person_id, detail={"via": f"w{i}"})  # fmt: skip

    def append() -> None:
        object_to_direct_marketing(actor=actor, person=person, method=ConsentMethod.WEB_FORM,
                                   evidence=Evidence())  # fmt: skip

    time.sleep(max(0.0, start_at - time.time()))  # all writers start together
    for i in range(count):
        if i % 3 == 0:
            audit(i)
            continue
        with transaction.atomic():
            if writer % 2:
                audit(i)
                time.sleep(0.001)
                append()
            else:
                append()
                time.sleep(0.001)
                audit(i)


if __name__ == "__main__":
    writer, person, count = (int(arg) for arg in sys.argv[1:4])
    main(writer, person, count, float(sys.argv[4]))
