"""The Norwegian bokmål catalogue is complete, compiled and in use.

The catalogue is ``personvern/locale/nb/LC_MESSAGES/django.po`` (English msgids, bokmål
msgstrs); ``django.mo`` is committed next to it so the app works where gettext is not
installed. Regenerate and recompile with::

    cd personvern
    ../.venv/bin/python ../manage.py makemessages -l nb --no-location --ignore "migrations/*"
    ../.venv/bin/python ../manage.py compilemessages -l nb
"""

from __future__ import annotations

import ast
import gettext
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

import personvern

LOCALE_DIR = Path(personvern.__file__).resolve().parent / "locale"
PO_PATH = LOCALE_DIR / "nb" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")

PLACEHOLDER = re.compile(r"%\([^)]+\)[sdif]|%[sdif]|\{[A-Za-z_]\w*\}")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: str = ""
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def translations(self) -> list[str]:
        if self.msgid_plural is None:
            return [self.msgstr]
        return [self.msgstr_plural[i] for i in sorted(self.msgstr_plural)]

    @property
    def is_translated(self) -> bool:
        return bool(self.translations) and all(self.translations)


def parse_po(path: Path) -> list[Entry]:
    """A small reader for the PO subset makemessages writes (no msgctxt is used here).
    Obsolete (``#~``) entries are skipped. The header is the entry with msgid ``""``."""
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int | None] | None = None

    def finish() -> None:
        nonlocal entry, target
        if entry is not None and target is not None:
            entries.append(entry)
        entry, target = None, None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            finish()
            continue
        if line.startswith("#"):
            if target is not None:  # comments start the next entry
                finish()
            entry = entry or Entry(line=number)
            if line.startswith("#,"):
                entry.flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            assert entry is not None and target is not None, f"{path}:{number}: stray string"
            keyword, rest = "", line
        value: str = ast.literal_eval(rest) if rest else ""
        if keyword == "msgid" and target is not None and target[0] != "msgid":
            finish()
        entry = entry or Entry(line=number)
        if keyword == "msgid":
            entry.msgid, target = value, ("msgid", None)
        elif keyword == "msgid_plural":
            entry.msgid_plural, target = value, ("msgid_plural", None)
        elif keyword == "msgstr":
            entry.msgstr, target = value, ("msgstr", None)
        elif keyword.startswith("msgstr["):
            form = int(keyword[7:-1])
            entry.msgstr_plural[form], target = value, ("msgstr_plural", form)
        elif keyword == "":
            assert target is not None
            name, continued = target
            if name == "msgstr_plural":
                assert continued is not None
                entry.msgstr_plural[continued] += value
            else:
                setattr(entry, name, getattr(entry, name) + value)
        else:
            raise AssertionError(f"{path}:{number}: unexpected line {raw!r}")
    finish()
    return entries


def catalogue() -> tuple[Entry, list[Entry]]:
    entries = parse_po(PO_PATH)
    header = [entry for entry in entries if entry.msgid == ""]
    assert len(header) == 1, "the catalogue needs exactly one header entry"
    return header[0], [entry for entry in entries if entry.msgid != ""]


def test_the_catalogue_header_declares_bokmal_utf8_and_two_plural_forms():
    header, messages = catalogue()
    assert "fuzzy" not in header.flags
    assert "Language: nb\n" in header.msgstr
    assert "charset=UTF-8" in header.msgstr
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header.msgstr
    assert len(messages) > 100


def test_every_message_is_translated():
    _, messages = catalogue()
    untranslated = [f"line {e.line}: {e.msgid!r}" for e in messages if not e.is_translated]
    assert not untranslated, "untranslated msgids:\n" + "\n".join(untranslated)


def test_no_translation_is_fuzzy():
    _, messages = catalogue()
    fuzzy = [f"line {e.line}: {e.msgid!r}" for e in messages if "fuzzy" in e.flags]
    assert not fuzzy, "fuzzy entries (check, then remove the flag):\n" + "\n".join(fuzzy)


def test_plural_entries_have_both_bokmal_forms():
    _, messages = catalogue()
    for entry in messages:
        if entry.msgid_plural is not None:
            assert sorted(entry.msgstr_plural) == [0, 1], entry.msgid


def test_translations_keep_the_placeholders():
    _, messages = catalogue()
    for entry in messages:
        expected = set(PLACEHOLDER.findall(entry.msgid + " " + (entry.msgid_plural or "")))
        for text in entry.translations:
            assert set(PLACEHOLDER.findall(text)) == expected, (entry.msgid, text)


def test_the_gettext_tools_accept_the_catalogue():
    msgfmt, msgattrib = shutil.which("msgfmt"), shutil.which("msgattrib")
    if not (msgfmt and msgattrib):
        pytest.skip("GNU gettext is not installed")
    checked = subprocess.run(
        [msgfmt, "--check", "-o", "/dev/null", str(PO_PATH)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert checked.returncode == 0, checked.stderr
    for option in ("--untranslated", "--only-fuzzy"):
        listed = subprocess.run(
            [msgattrib, option, "--no-obsolete", str(PO_PATH)],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        assert listed.stdout == "", f"msgattrib {option} lists:\n{listed.stdout}"


def test_the_compiled_catalogue_matches_the_po_file():
    """django.mo is committed: it must hold exactly the .po's translations (re-run
    compilemessages after editing the .po)."""
    _, messages = catalogue()
    with MO_PATH.open("rb") as mo_file:
        compiled = gettext.GNUTranslations(mo_file)
    assert compiled.info().get("language") == "nb"
    expected: dict[object, str] = {}
    for entry in messages:
        if entry.msgid_plural is None:
            expected[entry.msgid] = entry.msgstr
        else:
            for index, text in entry.msgstr_plural.items():
                expected[(entry.msgid, index)] = text
    catalog = dict(compiled._catalog)  # private, but the only way to list a .mo's keys
    catalog.pop("", None)  # the header
    stale = sorted(str(key) for key in expected.keys() ^ catalog.keys())
    assert not stale, "django.mo and django.po differ; run compilemessages:\n" + "\n".join(stale)
    differing = sorted(str(key) for key in expected if expected[key] != catalog[key])
    assert not differing, "django.mo is older than django.po; run compilemessages:\n" + "\n".join(
        differing
    )


def test_the_catalogue_covers_every_string_in_the_code(tmp_path, monkeypatch):
    """Extract the msgids again from a copy of the source and merge them into a copy of the
    catalogue: a string added to the code without a translation shows up as empty or fuzzy."""
    if not (shutil.which("xgettext") and shutil.which("msgmerge")):
        pytest.skip("GNU gettext is not installed")
    source = LOCALE_DIR.parent
    copy = tmp_path / source.name
    shutil.copytree(
        source, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "static", "media")
    )
    monkeypatch.chdir(copy)
    with override_settings(LOCALE_PATHS=[copy / "locale"]):
        call_command(
            "makemessages", locale=["nb"], no_location=True,
            ignore_patterns=["migrations/*"], verbosity=0,
        )  # fmt: skip
    merged = parse_po(copy / "locale" / "nb" / "LC_MESSAGES" / "django.po")
    missing = [e.msgid for e in merged if e.msgid and (not e.is_translated or "fuzzy" in e.flags)]
    assert not missing, "strings in the code with no bokmål translation (run makemessages):\n" + (
        "\n".join(repr(msgid) for msgid in missing)
    )


def test_key_strings_are_shown_in_bokmal():
    from personvern.accounts.choices import Role
    from personvern.processing.choices import LegalBasis
    from personvern.register.models import Person

    with translation.override("nb"):
        assert str(Person._meta.verbose_name) == "person"
        assert str(Person._meta.verbose_name_plural) == "personer"
        assert str(Role.PRIVACY_OFFICER.label) == "Personvernansvarlig"
        assert "Berettiget interesse" in str(LegalBasis.LEGITIMATE_INTEREST.label)
        assert translation.gettext("Record of processing activities") == (
            "Protokoll over behandlingsaktiviteter"
        )
        assert translation.gettext("Audit log") == "Revisjonslogg"
        assert translation.gettext("Auditor (read-only)") == "Revisor (kun lesetilgang)"
    with translation.override("en"):
        assert str(Role.PRIVACY_OFFICER.label) == "Privacy officer"
