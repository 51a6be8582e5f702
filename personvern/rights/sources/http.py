"""An HTTP source (``connectors.HttpSource``) as a data source of requests, keyed
``http:<key>``: collect lists the records ``find`` returns; erase calls ``erase`` for each
(a delete or an anonymising call, as the API offers); restrict calls ``restrict`` or, where
the API has none, reports that staff restrict by hand; rectify calls ``update`` with the
corrected values for each record found by the identity before or after the correction or,
where the API has none, reports that staff correct by hand. Unreachable: ``SourceError``."""

from __future__ import annotations

from typing import Any

from personvern.connectors.http import HttpClient, HttpSourceSpec
from personvern.connectors.models import HttpSource
from personvern.connectors.sql import SourceUnavailable
from personvern.core.actors import Actor
from personvern.register.models import Person

from .base import Collected, Corrections, DataSource, KindData, SourceError
from .sql import identity_of

PREFIX = "http:"


class HttpDataSource(DataSource):
    transactional = False

    def __init__(self, source: HttpSource) -> None:
        self.spec: HttpSourceSpec = source.source
        self.key = f"{PREFIX}{source.key}"
        self.label = source.name

    def _each(self, person: Person) -> tuple[HttpClient, list[dict[str, Any]]]:
        client = HttpClient(self.spec)
        return client, list(client.find(identity_of(person)))

    def collect(self, person: Person) -> Collected:
        try:
            client, records = self._each(person)
            client.close()
        except SourceUnavailable as exc:
            raise SourceError(exc.reason) from None
        return Collected(
            kinds={
                "records": KindData(
                    description=f"{self.spec.name}: records found by your identity",
                    source=self.spec.name,
                    records=records,
                )
            }
        )

    def erase(self, person: Person, *, actor: Actor, job: str = "") -> dict[str, Any]:
        # Safe to repeat: a record already erased is no longer found.
        try:
            client, records = self._each(person)
            try:
                for record in records:
                    client.call(self.spec.erase, {"id": str(record[self.spec.find.id])})
            finally:
                client.close()
        except SourceUnavailable as exc:
            raise SourceError(exc.reason) from None
        return {"erased": {"records": len(records)}, "kept": []}

    def rectify(
        self, person: Person, *, changes: Corrections, actor: Actor, job: str = ""
    ) -> dict[str, Any]:
        update = self.spec.update
        if update is None:
            return {"rectified": {}, "by_hand": True}
        names = {str(f): name for f, name in update.fields.items()}
        body = {names[f]: v for f, v in changes.systems.items() if f in names}
        if not body:
            return {"rectified": {}}  # the API holds none of the corrected values
        # Safe to repeat: the same values are written again.
        try:
            client = HttpClient(self.spec)
            try:
                records: dict[str, dict[str, Any]] = {}
                for identity in changes.identities:
                    for record in client.find(identity):
                        records.setdefault(str(record[self.spec.find.id]), record)
                for key in records:
                    client.call(update, {"id": key}, body=body)
            finally:
                client.close()
        except SourceUnavailable as exc:
            raise SourceError(exc.reason) from None
        return {"rectified": {"records": len(records)}}

    def restrict(self, person: Person, *, on: bool, actor: Actor, job: str = "") -> dict[str, Any]:
        call = self.spec.restrict if on else self.spec.lift
        if call is None:
            # No call for it: staff do it by hand, as the report says.
            return {"restricted": on, "by_hand": True}
        try:
            client, records = self._each(person)
            try:
                for record in records:
                    client.call(call, {"id": str(record[self.spec.find.id])})
            finally:
                client.close()
        except SourceUnavailable as exc:
            raise SourceError(exc.reason) from None
        return {"restricted": on, "records": len(records)}


def http_sources() -> list[DataSource]:
    return [HttpDataSource(s) for s in HttpSource.objects.filter(enabled=True).order_by("key")]
