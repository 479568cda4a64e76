"""Importing a CRM's deal contacts: Salesforce contact roles and HubSpot deal contacts."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from changeready.landscape import importing
from changeready.landscape.presets import RELATION_PRESETS_BY_SLUG
from changeready.landscape.tests.factories import StakeholderFactory
from changeready.landscape.tests.test_import import confirm, problems

pytestmark = pytest.mark.django_db

EXAMPLES = Path(__file__).parent / "examples"
SALESFORCE = (EXAMPLES / "salesforce-contact-roles.csv").read_bytes()
HUBSPOT = (EXAMPLES / "hubspot-deal-contacts.csv").read_bytes()


def upload(client, engagement, content, file_format="auto", name="export.csv"):
    file = SimpleUploadedFile(name, content, "text/csv")
    return client.post(
        reverse("landscape_import", args=[engagement.id]),
        {"file": file, "file_format": file_format},
    )


def test_a_salesforce_contact_roles_report_is_recognised_and_imported(client_as, engagement):
    client = client_as("member")
    preview = upload(client, engagement, SALESFORCE)
    assert preview.context["parsed"].crm_label.startswith("Salesforce")
    # The report's footer after the blank row is not a contact.
    assert len(preview.context["preview"]) == 7
    assert not engagement.stakeholders.exists()
    assert confirm(client, engagement, preview).status_code == 302
    roles = dict(engagement.stakeholders.values_list("name", "role"))
    assert roles == {
        "Dana Whitfield": "economic_buyer",
        "Omar Haddad": "executive_sponsor",
        "Priya Nair": "product_admin",
        "Luis Ortega": "it_security",
        "Grace Liu": "daily_user",
        "Ines Park": "people_manager",
        "Sam Reed": "downstream",
    }
    dana = engagement.stakeholders.get(name="Dana Whitfield")
    assert (dana.kind, dana.title, dana.email) == (
        "person",
        "Chief Financial Officer",
        "dana.whitfield@mercy.example",
    )
    buyer = RELATION_PRESETS_BY_SLUG["economic_buyer"]
    assert (dana.influence, dana.interest, dana.impact) == (
        buyer.influence,
        buyer.interest,
        buyer.impact,
    )


def test_a_hubspot_deal_contacts_export_is_recognised_and_imported(client_as, engagement):
    client = client_as("member")
    preview = upload(client, engagement, HUBSPOT)
    assert preview.context["parsed"].crm_label.startswith("HubSpot")
    assert confirm(client, engagement, preview).status_code == 302
    people = {s.name: s for s in engagement.stakeholders.all()}
    assert people["Dana Whitfield"].role == "economic_buyer"
    assert people["Priya Nair"].is_champion
    assert people["Luis Ortega"].role == "it_security"
    assert people["Grace Liu"].title == "Charge Nurse, Ward 4"
    blocker = people["Martin Kowalski"]
    assert blocker.opposed_purchase
    assert blocker.engagement_level == "resistant"
    assert blocker.role not in ("economic_buyer", "executive_sponsor")


def test_the_format_can_be_chosen_when_the_columns_do_not_tell(client_as, engagement):
    content = b"Name,Contact Role\nDana Whitfield,Economic Buyer\n"
    client = client_as("member")
    # A bare "Name, Contact Role" file is not recognised on its own...
    assert problems(upload(client, engagement, content)) == [(1, "Contact Role")]
    # ...but reads as Salesforce's when the user says so.
    preview = upload(client, engagement, content, file_format="salesforce")
    assert confirm(client, engagement, preview).status_code == 302
    assert engagement.stakeholders.get().role == "economic_buyer"


def test_an_unknown_role_is_reported_by_row_and_nothing_is_imported(client_as, engagement):
    content = SALESFORCE.replace(b'"Technical Buyer"', b'"Procurement Gatekeeper"')
    response = upload(client_as("member"), engagement, content)
    assert problems(response) == [(5, "Contact Role")]
    message = response.context["problems"][0].message
    assert "Procurement Gatekeeper" in message and "Economic Buyer" in message
    assert "preview" not in response.context
    assert not engagement.stakeholders.exists()


def test_rows_the_landscape_refuses_are_reported_all_at_once(client_as, engagement):
    StakeholderFactory(engagement=engagement, name="Grace Liu", kind="person", headcount=None)
    content = SALESFORCE.replace(b"omar.haddad@mercy.example", b"not-an-email")
    response = upload(client_as("member"), engagement, content)
    assert problems(response) == [(3, "email"), (6, "name")]
    assert engagement.stakeholders.count() == 1


def test_a_contact_without_a_name_is_reported(client_as, engagement):
    content = HUBSPOT.replace(b"106,Martin,Kowalski,", b"106,,,")
    assert problems(upload(client_as("member"), engagement, content)) == [(7, "name")]


def test_the_template_is_never_taken_for_a_crm_export():
    header = [column.name for column in importing.COLUMNS]
    assert importing.detect_crm_format(header) is None
    assert importing.detect_crm_format(["Opportunity Name", "Contact Role", "Last Name"])


def test_a_viewer_cannot_import_a_crm_export(client_as, engagement):
    assert upload(client_as("viewer"), engagement, SALESFORCE).status_code == 403
    assert not engagement.stakeholders.exists()
