"""The portal links in letters: the address ``reverse()`` gives, built without importing the
URL configuration (a worker writing a letter serves no page)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse, set_script_prefix

from personvern.rights.links import portal_link
from personvern.rights.models import DataSubjectRequest
from personvern.rights.portal_routes import TOKEN_ROUTES

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", sorted(TOKEN_ROUTES))
@pytest.mark.parametrize("prefix", ["/", "/personvern/"])
@pytest.mark.parametrize("token", ["Zq3-_x9AbC", "a b:ø@~?#%"])
def test_every_letter_link_is_the_address_reverse_gives(name, prefix, token):
    # given the site served under a script prefix
    set_script_prefix(prefix)
    try:
        # when a letter's link to a portal page is built
        link = portal_link(name, token=token, request=DataSubjectRequest(language="en"))
        # then its path is what the URL configuration resolves, with the request's language
        assert link.endswith(f"{reverse(f'rights_portal:{name}', args=[token])}?lang=en")
    finally:
        set_script_prefix("/")


def test_a_letter_link_and_a_stored_dataset_leave_views_and_taxonomy_unimported():
    # given a fresh process, as the worker is
    code = (
        "import sys, django; django.setup()\n"
        "from personvern.rights.links import portal_link\n"
        "from personvern.rights.models import DataSubjectRequest\n"
        "from personvern.connectors.models import SqlDataset\n"
        "from personvern.demo.accounting import dataset_yaml\n"
        "from personvern.connectors.spec import to_plain, DatasetSpec\n"
        "import yaml\n"
        "spec = DatasetSpec.model_validate(yaml.safe_load(dataset_yaml('X_URL')))\n"
        "# when it writes a download link and loads a stored dataset\n"
        "portal_link('download', token='t', request=DataSubjectRequest(language='nb'))\n"
        "assert SqlDataset(spec=to_plain(spec)).dataset.tables\n"
        "print(sorted(m for m in sys.modules if m in ('personvern.urls', 'fideslang')))\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "personvern.settings.test"}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
        check=False, timeout=120,
    )  # fmt: skip
    # then neither the URL configuration nor fideslang's taxonomy was imported
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "[]"
