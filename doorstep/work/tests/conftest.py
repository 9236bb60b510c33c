import pytest

from doorstep.supplychains import services as party_services


@pytest.fixture
def party(world):
    """An intermediary of Union A."""

    def make(name: str = "Rafiq Contractor", organization=None, **fields):
        organization = organization or world.org_a
        actor = world.admin_a if organization == world.org_a else world.admin_b
        data = {"name": name, "kind": "intermediary", "is_person": True, **fields}
        return party_services.create_party(organization, data=data, actor=actor)

    return make


@pytest.fixture
def delhi_member(register):
    """A member of Union A in Delhi: the reference data has Delhi's minimum wage (710 a day)."""
    return register(admin1="Delhi", admin2="North East Delhi", locality="Seelampur", phones=["+919812345678"])


ORDER = {
    "given_on": "2025-06-02",
    "product": "Zari cushion cover",
    "sector": "embroidery",
    "quantity_ordered": "100",
    "piece_rate": "12.50",
    "currency": "INR",
    "her_hours": "30",
    "deliveries": [
        {
            "delivered_on": "2025-06-10",
            "quantity": "60",
            "rejected": "4",
            "rejection_reason": "loose thread",
            "rejected_paid": True,
        },
        {"delivered_on": "2025-06-20", "quantity": "40", "rejected": "6"},
    ],
    "payments": [{"paid_on": "2025-06-25", "amount": "800"}, {"paid_on": "2025-07-30", "amount": "300"}],
    "deductions": [{"deducted_on": "2025-06-25", "amount": "50", "reason": "thread"}],
    "costs": [{"kind": "electricity", "amount": "40"}, {"kind": "materials", "amount": "60"}],
    "helpers": [{"relationship": "daughter", "count": 1, "children": True, "hours": "10"}],
}
