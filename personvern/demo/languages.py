"""The demo organisation's texts in English, so that the English privacy notice, access report
and portal read in English (``core.translated``). Keyed by the bokmål names the loader uses; a
text that is missing here (or an activity added later) is shown in bokmål, flagged as such.

Loaded after the register, the retention rules and the cookies, before the notice is
published; running it twice changes nothing."""

from __future__ import annotations

from collections import Counter
from typing import Any, cast

from personvern.core.actors import Actor
from personvern.core.translated import text_in
from personvern.processing.models import ProcessingActivity, Processor
from personvern.processing.services import (
    ActivityChanges,
    ProcessorChanges,
    update_activity,
    update_processor,
)
from personvern.retention.models import RetentionRule
from personvern.retention.services import RuleChanges, update_rule
from personvern.website.models import Cookie
from personvern.website.services import CookieChanges, update_cookie

from . import content

STAFF_ONLY_EN = "Employees of Numeri AS. The data is not shared, sold or rented to third parties."

SECURITY_BASELINE_EN = (
    "Access only for employees of Numeri AS whose role needs it (role-based access control); "
    "every change and look-up is recorded in the audit log; encrypted communication (HTTPS); "
    "data-processing agreements with our suppliers; procedures following Regnskap Norge's "
    "industry standard."
)

ACTIVITIES_EN: dict[str, dict[str, str]] = {
    content.CUSTOMER_RELATIONSHIP: {
        "name": "Customer relationship",
        "purpose": "Manage the customer relationship between the customer and Numeri AS.",
        "description": (
            "Name, phone number, position, role and e-mail address of contact persons at "
            "customers, and the name and contact details of the company they work for."
        ),
        "legal_basis_detail": (
            "Art. 6(1)(f): a legitimate interest in contacting the customer's contact persons to "
            "perform the contract with the corporate customer, after a documented balancing of "
            "interests."
        ),
        "sources": (
            "From the data subject, and from our contact with them: meetings, correspondence, "
            "phone, e-mail, documents, social media and our website."
        ),
        "recipients": STAFF_ONLY_EN,
        "retention": "Deleted three years after the last contact, unless the law requires longer.",
        "security_measures": SECURITY_BASELINE_EN,
    },
    content.CUSTOMER_DUE_DILIGENCE: {
        "name": "Customer due diligence under the Anti-Money Laundering Act",
        "purpose": (
            "Carry out customer due diligence and ongoing monitoring under the Anti-Money "
            "Laundering Act (hvitvaskingsloven): confirm the identity of the customer and its "
            "beneficial owners before the customer relationship is established."
        ),
        "description": (
            "Name, national identity number or other identity number, a copy of proof of "
            "identity, and role, of the customer's representatives and beneficial owners."
        ),
        "legal_basis_detail": (
            "Art. 6(1)(c); the Anti-Money Laundering Act chapter 4 (customer due diligence and "
            "ongoing monitoring) and section 30 (kept for five years after the customer "
            "relationship ends)."
        ),
        "sources": (
            "From the customer and its representatives, the Central Coordinating Register for "
            "Legal Entities and the Register of Beneficial Owners."
        ),
        "recipients": (
            f"{STAFF_ONLY_EN} Økokrim (the Financial Intelligence Unit) where the Anti-Money "
            "Laundering Act requires a report."
        ),
        "retention": (
            "Five years after the customer relationship ends (Anti-Money Laundering Act "
            "section 30)."
        ),
        "security_measures": SECURITY_BASELINE_EN,
    },
    content.SALES_AND_MARKETING: {
        "name": "Sales and marketing",
        "purpose": "Sales and marketing to customers, partners and prospective customers.",
        "description": (
            "Contact details and professional role are used to tailor our communication and "
            "services. The data subject can opt out at any time."
        ),
        "legal_basis_detail": "Art. 6(1)(f), after a documented balancing of interests.",
        "sources": (
            "From the data subject; from third parties, such as data collectors and social "
            "networks, only when they have the data subject's consent to share the data; from "
            "public sources (the Central Coordinating Register for Legal Entities)."
        ),
        "recipients": STAFF_ONLY_EN,
        "retention": "Deleted two years after the last contact, and at once on objection.",
        "security_measures": SECURITY_BASELINE_EN,
    },
    content.DIRECT_MARKETING: {
        "name": "Marketing by e-mail, text message and phone",
        "purpose": "Send marketing by e-mail, text message and phone to those who consented.",
        "description": (
            "Consent collected electronically is stored and documented for each person. "
            "Consent can be withdrawn at any time."
        ),
        "legal_basis_detail": (
            "Art. 6(1)(a); the Marketing Control Act (markedsføringsloven) § 15 for e-mail and "
            "text messages. The telemarketing opt-out register is respected for phone sales."
        ),
        "sources": "From the data subject (electronic consent).",
        "recipients": STAFF_ONLY_EN,
        "retention": (
            "Until consent is withdrawn. The record of the consent stays in the consent ledger as "
            "proof, without name or contact details if the data is erased."
        ),
        "security_measures": SECURITY_BASELINE_EN,
    },
    content.CUSTOMER_SERVICE: {
        "name": "Customer service",
        "purpose": (
            "Answer questions and follow up feedback from customers and others who contact us "
            "by e-mail, phone or through the website."
        ),
        "description": (
            "Feedback, comments and questions from service communication: meetings, phone "
            "calls, documents and e-mail."
        ),
        "legal_basis_detail": (
            "Art. 6(1)(b): following up the contract with the customer, or steps the person "
            "asks for before entering into a contract."
        ),
        "sources": "From the data subject and from our contact with them.",
        "recipients": STAFF_ONLY_EN,
        "retention": "Deleted three years after the last contact.",
        "security_measures": SECURITY_BASELINE_EN,
    },
    content.CONTRACT_FULFILMENT: {
        "name": "Contract fulfilment and invoicing",
        "purpose": (
            "Deliver the services agreed and fulfil contracts with customers, partners and "
            "suppliers."
        ),
        "description": (
            "Order confirmations, licence details, invoices, reminders, necessary upgrades and "
            "important messages about the customer's solutions."
        ),
        "legal_basis_detail": "Art. 6(1)(b): the contract with the customer, partner or supplier.",
        "sources": (
            "From the data subject when they use our services and the products we deliver or "
            "resell, and from the contract."
        ),
        "recipients": f"{STAFF_ONLY_EN} The accounting system as processor.",
        "retention": "As long as the contract lasts, then as the Bookkeeping Act requires.",
        "security_measures": SECURITY_BASELINE_EN,
    },
    content.BOOKKEEPING: {
        "name": "Bookkeeping and keeping accounting records",
        "purpose": "Meet the bookkeeping obligation for sales and purchases.",
        "description": "Invoices and vouchers with names and contact details of contact persons.",
        "legal_basis_detail": (
            "Art. 6(1)(c); the Bookkeeping Act (bokføringsloven) § 13: primary documentation is "
            "kept for five years after the end of the fiscal year."
        ),
        "sources": "From invoices and vouchers.",
        "recipients": (
            "Employees of Numeri AS; our auditor, and the Tax Administration when it inspects, "
            "as the law requires."
        ),
        "retention": "Five years after the end of the fiscal year (bokføringsloven § 13).",
        "security_measures": SECURITY_BASELINE_EN,
    },
    content.RECRUITMENT: {
        "name": "Recruitment",
        "purpose": "Assess applicants for positions at Numeri AS.",
        "description": (
            "What the applicant gives us during the application process: application, CV and "
            "contact details."
        ),
        "legal_basis_detail": (
            "Art. 6(1)(b): steps at the applicant's request before an employment contract. "
            "Keeping the application in a pool of applicants afterwards only with consent "
            "(Art. 6(1)(a))."
        ),
        "sources": "From the applicant.",
        "recipients": "Employees of Numeri AS who take part in the hiring.",
        "retention": (
            "Deleted six months after the hiring decision, unless the applicant consents to more."
        ),
        "security_measures": SECURITY_BASELINE_EN,
    },
    content.WEB_STATISTICS: {
        "name": "Web statistics (Google Analytics)",
        "purpose": (
            "Understand how visitors use the website, to make it work better, improve the user "
            "experience and give us business and marketing information."
        ),
        "description": (
            "Navigation information: which pages are visited, what is clicked, the path through "
            "the website and the page visitors come from (referrer), and standard information "
            "from the browser and device: browser type, browser language, operating system and "
            "ISP domain (the network the visit comes from). We cannot identify individuals in "
            "the data."
        ),
        "legal_basis_detail": (
            "Art. 6(1)(a): consent to analytics cookies, as the Electronic Communications Act "
            "(ekomloven) requires."
        ),
        "sources": "Cookies on the website.",
        "recipients": "Google LLC as processor.",
        "retention": (
            "The cookies live at most 30 days and are limited to the website; statistics are "
            "kept only in anonymised form."
        ),
        "security_measures": (
            "Google masks the last part of the IP address before storing it; data-processing "
            "agreement with Google; transfer to the US under the EU-US Data Privacy Framework."
        ),
    },
    content.SECURITY_LOG: {
        "name": "Security log with IP addresses",
        "purpose": (
            "Keep the website secure, detect and prevent security threats and abuse, find "
            "faults and control access."
        ),
        "description": (
            "For each visit we log the IP address, the time, the page requested, the status "
            "code and the browser's identification (browser type and operating system). IP "
            "address and activity on the website may be compared to detect and prevent attacks "
            "and abuse. IP addresses are linked only to people who give us personal data "
            "themselves."
        ),
        "legal_basis_detail": "Art. 6(1)(f): information security, after a balancing of interests.",
        "sources": "The website's server logs.",
        "recipients": (
            "The privacy officer and the security officer (technical staff), when needed to "
            "find and fix faults."
        ),
        "retention": (
            "90 days. IP addresses blocked after a security breach are kept as long as needed "
            "to prevent further breaches."
        ),
        "security_measures": (
            "Encrypted communication (HTTPS); only the privacy officer and the security officer "
            "can read the log, and every look-up is recorded in the audit log."
        ),
    },
    content.PERSONNEL: {
        "name": "Personnel administration",
        "purpose": "Administer the employment of the employees of Numeri AS.",
        "description": "Contact details, position and salary details of employees.",
        "legal_basis_detail": (
            "Art. 6(1)(b): the employment contract; Art. 6(1)(c) for the monthly payroll report "
            "(a-meldingen) and bookkeeping of salaries."
        ),
        "sources": "From the employee.",
        "recipients": "The managing director and the payroll officer; the accounting system as "
        "processor.",
        "retention": (
            "As long as the employment lasts; payslips five years after the end of the fiscal year."
        ),
        "security_measures": SECURITY_BASELINE_EN,
    },
}

PROCESSORS_EN: dict[str, str] = {
    content.GOOGLE: (
        "Google Analytics: web statistics for numeri.no. The data is stored in the US or "
        "Europe. Google de-identifies IP addresses by masking the last part before storing them."
    ),
    content.ACCOUNTING_SYSTEM: (
        "Cloud accounting, invoicing and payroll system: bookkeeping, invoices, reminders and "
        "payroll. The data is stored in Norway."
    ),
}

COOKIES_EN: dict[str, str] = {
    "cc_cookie": "Remembers your choice about cookies and a random visit ID.",
    "_ga": "To identify a user.",
    "_gid": "To tell users apart.",
    "_gat": "To limit the number of messages logged (one minute).",
}

RULES_EN: dict[str, str] = {
    "IP-sikkerhetslogg: slettes etter 90 dager": "IP security log: deleted after 90 days",
    "Kundekontakter: slettes tre år etter siste samhandling": (
        "Customer contacts: deleted three years after the last contact"
    ),
    "Kundetiltak: slettes fem år etter at kundeforholdet er avsluttet": (
        "Customer due diligence: deleted five years after the customer relationship ended"
    ),
    "Leads: slettes to år etter siste samhandling": (
        "Leads: deleted two years after the last contact"
    ),
    "Partnerkontakter: anonymiseres to år etter siste samhandling": (
        "Partner contacts: anonymised two years after the last contact"
    ),
    "Leads som har trukket samtykket: slettes etter 30 dager": (
        "Leads who withdrew their consent: deleted after 30 days"
    ),
    "Kundeservicehenvendelser: slettes tre år etter at de fant sted": (
        "Customer service enquiries: deleted three years after they took place"
    ),
    "Leverandørkontakter: slettes tre år etter at leverandørforholdet ble avsluttet": (
        "Supplier contacts: deleted three years after the supplier relationship ended"
    ),
    "Avtaler og vesentlig korrespondanse: 3 år og 6 måneder etter regnskapsårets slutt": (
        "Agreements and material correspondence: 3 years and 6 months after the end of the "
        "fiscal year"
    ),
    "Regnskap og bilag: fem år etter regnskapsårets slutt": (
        "Accounts and vouchers: five years after the end of the fiscal year"
    ),
    "Jobbsøknader: slettes seks måneder etter at ansettelsen er avgjort": (
        "Job applications: deleted six months after the hiring decision"
    ),
    "Søkere: slettes seks måneder etter at ansettelsen er avgjort": (
        "Applicants: deleted six months after the hiring decision"
    ),
    "Nettstedsbesøkende: anonymiseres 30 dager etter siste besøk": (
        "Website visitors: anonymised 30 days after the last visit"
    ),
    "Tidligere ansatte: gjennomgås tre år etter at arbeidsforholdet ble avsluttet": (
        "Former employees: reviewed three years after the employment ended"
    ),
    "Besvarte forespørsler om rettigheter: slettes tre år etter at de ble besvart": (
        "Answered data-subject requests: deleted three years after they were answered"
    ),
}


def _missing(instance: Any, values: dict[str, str]) -> dict[str, str]:
    """The English texts ``instance`` does not have yet (staff's own are never overwritten)."""
    return {
        f"{name}_en": text for name, text in values.items() if not getattr(instance, f"{name}_en")
    }


def load_languages(*, actor: Actor, created: Counter[str]) -> None:
    for activity in ProcessingActivity.objects.filter(**{"name_nb__in": list(ACTIVITIES_EN)}):
        changes = _missing(activity, ACTIVITIES_EN[text_in(activity, "name", "nb")])
        if changes:
            update_activity(actor=actor, activity=activity, changes=cast(ActivityChanges, changes))
            created["english texts"] += len(changes)
    for processor in Processor.objects.filter(name__in=PROCESSORS_EN):
        changes = _missing(processor, {"services": PROCESSORS_EN[processor.name]})
        if changes:
            update_processor(
                actor=actor, processor=processor, changes=cast(ProcessorChanges, changes)
            )
            created["english texts"] += len(changes)
    for cookie in Cookie.objects.filter(name__in=COOKIES_EN):
        changes = _missing(cookie, {"description": COOKIES_EN[cookie.name]})
        if changes:
            update_cookie(actor=actor, cookie=cookie, changes=cast(CookieChanges, changes))
            created["english texts"] += len(changes)
    for rule in RetentionRule.objects.filter(**{"name_nb__in": list(RULES_EN)}):
        changes = _missing(rule, {"name": RULES_EN[text_in(rule, "name", "nb")]})
        if changes:
            update_rule(actor=actor, rule=rule, changes=cast(RuleChanges, changes))
            created["english texts"] += len(changes)
