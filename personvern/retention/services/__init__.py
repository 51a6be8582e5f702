"""Every change the retention engine makes. Split by business area; import from here."""

from ..periods import Period, cutoff, fiscal_year_end, keep_until
from .erasure import ErasureOutcome, Kept, delete_person, erase_person
from .holds import lift_hold, set_hold
from .records import (
    delete_bookkeeping_record,
    delete_due_diligence_record,
    end_customer_relationship,
    register_bookkeeping_record,
    register_due_diligence_record,
)
from .replay import ReplayReport, replay_erasures
from .reviews import mark_reviewed
from .rules import RULE_FIELDS, RuleChanges, RuleValues, clean_rule, create_rule, update_rule
from .sweep import SWEEP_ACTOR, SweepReport, plan, sweep

__all__ = [
    "RULE_FIELDS",
    "SWEEP_ACTOR",
    "ErasureOutcome",
    "Kept",
    "Period",
    "ReplayReport",
    "RuleChanges",
    "RuleValues",
    "SweepReport",
    "clean_rule",
    "create_rule",
    "cutoff",
    "delete_bookkeeping_record",
    "delete_due_diligence_record",
    "delete_person",
    "end_customer_relationship",
    "erase_person",
    "fiscal_year_end",
    "keep_until",
    "lift_hold",
    "mark_reviewed",
    "plan",
    "register_bookkeeping_record",
    "register_due_diligence_record",
    "replay_erasures",
    "set_hold",
    "sweep",
    "update_rule",
]
