"""The European Commission's adequacy decisions (GDPR Art. 45) as they stood in 2026, each
with its reference. Staff keep the list current in the admin; the United States is adequate
only for organisations on the Data Privacy Framework list (Decision (EU) 2023/1795), which
the DPF import checks, so it is not here."""

import datetime

from django.db import migrations

D = datetime.date

DECISIONS = [
    ("AD", "Andorra", "Commission Decision 2010/625/EU", D(2010, 10, 19), ""),
    ("AR", "Argentina", "Commission Decision 2003/490/EC", D(2003, 6, 30), ""),
    (
        "CA",
        "Canada",
        "Commission Decision 2002/2/EC",
        D(2001, 12, 20),
        "Commercial organisations subject to PIPEDA",
    ),
    ("CH", "Switzerland", "Commission Decision 2000/518/EC", D(2000, 7, 26), ""),
    ("FO", "Faroe Islands", "Commission Decision 2010/146/EU", D(2010, 3, 5), ""),
    ("GB", "United Kingdom", "Commission Implementing Decision (EU) 2021/1772", D(2021, 6, 28), ""),
    ("GG", "Guernsey", "Commission Decision 2003/821/EC", D(2003, 11, 21), ""),
    ("IL", "Israel", "Commission Decision 2011/61/EU", D(2011, 1, 31), ""),
    ("IM", "Isle of Man", "Commission Decision 2004/411/EC", D(2004, 4, 28), ""),
    ("JE", "Jersey", "Commission Decision 2008/393/EC", D(2008, 5, 8), ""),
    (
        "JP",
        "Japan",
        "Commission Implementing Decision (EU) 2019/419",
        D(2019, 1, 23),
        "Private sector organisations under the APPI",
    ),
    (
        "KR",
        "Republic of Korea",
        "Commission Implementing Decision (EU) 2022/254",
        D(2021, 12, 17),
        "Organisations under the PIPA",
    ),
    ("NZ", "New Zealand", "Commission Implementing Decision 2013/65/EU", D(2012, 12, 19), ""),
    ("UY", "Uruguay", "Commission Implementing Decision 2012/484/EU", D(2012, 8, 21), ""),
]


def seed(apps, schema_editor):
    AdequacyDecision = apps.get_model("processing", "AdequacyDecision")
    for country, name, reference, adopted_on, scope in DECISIONS:
        AdequacyDecision.objects.get_or_create(
            country=country,
            defaults={
                "name": name,
                "reference": reference,
                "adopted_on": adopted_on,
                "scope": scope,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("processing", "0005_transfers_and_agreement_dates")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
