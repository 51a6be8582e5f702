"""Runs Microsoft Presidio over the corpus; started by ``benchmarks/pii_scanner.py`` with the
separate venv's Python (``benchmarks/.venv-presidio``), never imported by the project.

Configured as a fair user would, offline:
- NLP engine: spaCy's *blank* Norwegian pipeline (``spacy.blank("nb")``: tokenizer only, no
  NER, no lemmas), saved once to ``benchmarks/.cache/spacy-blank-nb`` and loaded by path, so
  Presidio never tries to download a model (none can be downloaded here, and spaCy publishes
  no Norwegian NER that could tell the categories apart anyway);
- identity numbers: one ``PatternRecognizer`` per kind with the written forms (together, space
  or hyphen after the date part) and python-stdnum's ``is_valid`` as ``validate_result``, plus
  context words (which Presidio's context enhancer uses to raise the score);
- special categories: one deny-list ``PatternRecognizer`` per kind holding every term of
  ``personvern/pii/rules/special_categories.yaml`` (state, affiliation and trait lists; a
  term ending in ``*`` becomes a regex for its inflections), as Presidio's documentation shows
  for custom deny lists.

Reads the corpus JSONL, writes ``{"id", "findings": [[start, end, kind], ...]}`` lines and the
scan time in wall and CPU seconds (excluding the engine's start-up) to the output JSON."""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path

import spacy
import yaml
from presidio_analyzer import AnalyzerEngine, Pattern, PatternRecognizer, RecognizerRegistry
from presidio_analyzer.nlp_engine import SpacyNlpEngine
from stdnum.dk import cpr
from stdnum.fi import hetu
from stdnum.no import fodselsnummer
from stdnum.se import personnummer

LANGUAGE = "nb"
HERE = Path(__file__).resolve().parent
BLANK = HERE / ".cache" / "spacy-blank-nb"


class ValidatedRecognizer(PatternRecognizer):
    def __init__(self, entity: str, patterns: list[Pattern], check, context: list[str]) -> None:
        super().__init__(
            supported_entity=entity, patterns=patterns, context=context, supported_language=LANGUAGE
        )
        self.check = check

    def validate_result(self, pattern_text: str) -> bool:
        return bool(self.check(pattern_text))


def _norwegian_kind(digits: str) -> str:
    if int(digits[0]) >= 4:
        return "no_dnr"
    return "no_hnr" if int(digits[2]) >= 4 else "no_fnr"


def identity_recognizers() -> list[PatternRecognizer]:
    no = r"\b\d{6}[ -]?\d{5}\b"
    return [
        ValidatedRecognizer(
            "NO_FNR", [Pattern("fnr", no, 0.5)],
            lambda t: fodselsnummer.is_valid(re.sub(r"[ -]", "", t)),
            ["fødselsnummer", "fnr", "personnummer", "d-nummer", "id"],
        ),
        ValidatedRecognizer(
            "SE_PERSONNUMMER",
            [Pattern("se", r"\b(?:19|20)?\d{6}[-+]\d{4}\b", 0.5),
             Pattern("se12", r"\b(?:19|20)\d{10}\b", 0.4)],
            personnummer.is_valid, ["personnummer", "pnr"],
        ),
        ValidatedRecognizer(
            "DK_CPR", [Pattern("cpr", r"\b\d{6}-\d{4}\b", 0.4)],
            lambda t: cpr.is_valid(t) and not personnummer.is_valid(t), ["cpr"],
        ),
        ValidatedRecognizer(
            "FI_HETU", [Pattern("hetu", r"\b\d{6}[-+A-FU-Y]\d{3}[0-9A-Y]\b", 0.5)],
            hetu.is_valid, ["henkilötunnus", "hetu"],
        ),
    ]  # fmt: skip


def term_recognizers(rules_file: Path) -> list[PatternRecognizer]:
    data = yaml.safe_load(rules_file.read_text(encoding="utf-8"))
    recognizers = []
    for kind, spec in data["kinds"].items():
        words, stems = set(), set()
        for strength in ("state", "affiliation", "trait"):
            for terms in (spec.get(strength) or {}).values():
                for term in map(str, terms):
                    (stems if term.endswith("*") else words).add(term.rstrip("*"))
        patterns = [
            Pattern(f"{kind}-{i}", rf"\b{re.escape(s)}\w*", 0.6)
            for i, s in enumerate(sorted(stems))
        ]
        recognizers.append(
            PatternRecognizer(
                supported_entity=kind.upper(), deny_list=sorted(words) or None,
                patterns=patterns or None, supported_language=LANGUAGE,
            )
        )  # fmt: skip
    return recognizers


def engine(rules_file: Path) -> AnalyzerEngine:
    if not BLANK.exists():
        BLANK.parent.mkdir(parents=True, exist_ok=True)
        spacy.blank(LANGUAGE).to_disk(BLANK)
    nlp_engine = SpacyNlpEngine(models=[{"lang_code": LANGUAGE, "model_name": str(BLANK)}])
    registry = RecognizerRegistry(supported_languages=[LANGUAGE])
    for recognizer in identity_recognizers() + term_recognizers(rules_file):
        registry.add_recognizer(recognizer)
    return AnalyzerEngine(nlp_engine=nlp_engine, registry=registry, supported_languages=[LANGUAGE])


def main() -> None:
    corpus, rules_file, out = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    analyzer = engine(rules_file)
    analyzer.analyze("Oppstart.", language=LANGUAGE)  # load the pipeline before timing
    docs = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines()]
    results = []
    started, cpu_started = time.perf_counter(), time.process_time()
    for doc in docs:
        found = analyzer.analyze(doc["text"], language=LANGUAGE)
        results.append({"id": doc["id"], "findings": [
            [r.start, r.end, _norwegian_kind(re.sub(r"\D", "", doc["text"][r.start:r.end]))
             if r.entity_type == "NO_FNR" else r.entity_type.lower()]
            for r in found
        ]})  # fmt: skip
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    import presidio_analyzer

    version = getattr(presidio_analyzer, "__version__", "")
    if not version:
        from importlib.metadata import version as dist_version

        version = dist_version("presidio-analyzer")
    out.write_text(
        json.dumps(
            {
                "seconds": seconds,
                "cpu": cpu,
                "results": results,
                "version": version,
                "spacy": spacy.__version__,
            }
        ),
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
