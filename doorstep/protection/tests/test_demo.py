"""The demo union's social protection: schemes with their sources, applications in several states,
one rejection turned into a grievance case; loading twice adds nothing."""

import pytest
from django.core.management import call_command

from doorstep.organizations.models import Organization
from doorstep.protection.models import Application

pytestmark = pytest.mark.django_db


def test_the_demo_union_has_applications_in_several_states_and_a_rejection_made_a_case():
    call_command("load_demo")
    union = Organization.objects.get(slug="demo-union")
    applications = Application.objects.filter(organization=union).select_related("member", "scheme")
    count = applications.count()
    assert count >= 6
    assert {a.member.admin1 for a in applications} >= {"Delhi", "Uttar Pradesh"}
    rejected = [a for a in applications if a.status == "rejected"]
    assert rejected and all(a.case_id for a in rejected)
    assert all(a.scheme.source for a in applications)
    call_command("load_demo")
    assert Application.objects.filter(organization=union).count() == count
