"""Server-side request forgery: where webhooks may not go, checked on save and
again at every delivery."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from changeready.integrations.addresses import RefusedURL, check_url
from changeready.integrations.delivery import attempt_delivery
from changeready.integrations.events import deliver_to
from changeready.integrations.models import DeliveryStatus, WebhookEndpoint
from changeready.integrations.tests.conftest import PUBLIC_ADDRESS

pytestmark = pytest.mark.django_db

NOT_PUBLIC = [
    "127.0.0.1",
    "127.8.9.10",
    "10.0.0.5",
    "172.16.4.1",
    "192.168.1.20",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "224.0.0.1",
    "::1",
    "fe80::1",
    "fc00::5",
    "::ffff:127.0.0.1",
    "::ffff:10.0.0.1",
]


@pytest.mark.parametrize("address", NOT_PUBLIC)
def test_a_host_resolving_to_a_non_public_address_is_refused(dns, address):
    dns["internal.example.com"] = [address]
    with pytest.raises(RefusedURL, match="private, loopback or link-local"):
        check_url("https://internal.example.com/hook")


@pytest.mark.parametrize("address", ["127.0.0.1", "169.254.169.254", "10.1.2.3"])
def test_a_literal_non_public_address_is_refused(address):
    with pytest.raises(RefusedURL):
        check_url(f"https://{address}/hook")


def test_every_resolved_address_must_be_public(dns):
    dns["mixed.example.com"] = [PUBLIC_ADDRESS, "10.0.0.7"]
    with pytest.raises(RefusedURL, match=r"10\.0\.0\.7"):
        check_url("https://mixed.example.com/hook")


def test_a_public_https_url_is_accepted(dns):
    assert check_url("https://hooks.example.com/in?x=1") == [PUBLIC_ADDRESS]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://hooks.example.com/in", "must start with https://"),
        ("ftp://hooks.example.com/in", "must start with https://"),
        ("hooks.example.com/in", "must start with https://"),
        ("https:///in", "Enter a full URL"),
        ("https://hooks.example.com:notaport/in", "Enter a full URL"),
        ("https://user:pw@hooks.example.com/in", "user names and passwords"),
        ("https://no-such-host.invalid/in", "could not be found"),
    ],
)
def test_malformed_or_unresolvable_urls_are_refused_in_words(dns, url, message):
    with pytest.raises(RefusedURL, match=message):
        check_url(url)


def test_development_allows_http_and_this_machine(settings):
    settings.WEBHOOKS_ALLOW_LOCAL = True
    assert check_url("http://127.0.0.1:8001/hook") == ["127.0.0.1"]


def test_saving_an_endpoint_to_a_private_address_is_refused_and_nothing_saved(dns, make_endpoint):
    dns["intranet.example.com"] = ["192.168.0.10"]
    with pytest.raises(ValidationError) as refused:
        make_endpoint(url="https://intranet.example.com/hook")
    assert "private" in refused.value.message_dict["url"][0]
    assert not WebhookEndpoint.objects.exists()


def test_a_host_that_turns_private_after_saving_gets_nothing(dns, make_endpoint, receiver):
    # Saved while it resolved to a public address; by delivery time it points at
    # this machine, where the receiver listens (DNS rebinding).
    dns["rebind.example.com"] = [PUBLIC_ADDRESS]
    endpoint = make_endpoint(url="https://rebind.example.com/hook").endpoint
    dns["rebind.example.com"] = ["127.0.0.1"]
    WebhookEndpoint.objects.filter(id=endpoint.id).update(
        url=receiver.url.replace("http://127.0.0.1", "https://rebind.example.com")
    )
    delivery = deliver_to([endpoint], "handoff.sent", {})[0]
    assert attempt_delivery(str(delivery.id)) == DeliveryStatus.RETRYING
    assert receiver.received == []
    assert "127.0.0.1" in delivery.attempt_log.get().response_excerpt


def test_a_redirect_to_a_private_address_is_refused(settings, dns, make_endpoint, receiver):
    # The receiver (public, as far as the check knows) answers with a redirect
    # to the cloud metadata address; nothing follows it.
    settings.WEBHOOKS_ALLOW_LOCAL = True
    receiver.answers = [(302, "", {"Location": "http://169.254.169.254/latest/"})]
    delivery = deliver_to([make_endpoint(url=receiver.url).endpoint], "handoff.sent", {})[0]
    assert attempt_delivery(str(delivery.id)) == DeliveryStatus.RETRYING
    assert len(receiver.received) == 1
    attempt = delivery.attempt_log.get()
    assert attempt.status_code == 302
    assert "169.254.169.254" in attempt.response_excerpt
    assert "not followed" in attempt.response_excerpt
