"""Connecting a gateway and the test message, against a stand-in gateway on 127.0.0.1 that checks
the request each shape sends."""

import base64

import pytest

from doorstep.core.errors import PermissionDenied, ValidationError
from doorstep.messaging.models import Channel, OutboxMessage
from doorstep.messaging.services import channels


def test_it_seals_the_credentials(connect):
    channel = connect("kannel")
    stored = Channel.objects.get(pk=channel.pk)
    assert b"gw-secret-1" not in bytes(stored.sealed_credentials)
    assert channels.credentials(stored) == {"username": "doorstep", "password": "gw-secret-1"}


def test_a_test_message_reaches_kannel_in_its_sendsms_shape(world, connect, gateway):
    result = channels.send_test(connect("kannel"), to="098123 45678", actor=world.admin_a)
    assert result.ok
    seen = gateway.last()
    assert (seen.method, seen.path) == ("GET", "/cgi-bin/sendsms")
    assert seen.query["username"] == "doorstep" and seen.query["password"] == "gw-secret-1"
    assert seen.query["to"] == "+919812345678" and seen.query["from"] == "+919800000000"
    assert seen.query["charset"] == "UTF-8" and seen.query["coding"] == "0"
    assert seen.query["dlr-url"].startswith("http://doorstep.test/sms/")
    assert seen.query["dlr-url"].endswith("&status=%d")


def test_the_external_shape_posts_a_form_with_its_token(world, connect, gateway):
    channels.send_test(connect("external"), to="+919812345678", actor=world.admin_a)
    seen = gateway.last()
    assert (seen.method, seen.path) == ("POST", "/send")
    assert seen.headers["Authorization"] == "Token gw-secret-1"
    assert seen.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert set(seen.form) == {"id", "from", "to", "text"}
    assert seen.form["to"] == "+919812345678"


def test_the_twilio_shape_posts_to_the_account_with_basic_auth(world, connect, gateway):
    channels.send_test(connect("twilio"), to="+919812345678", actor=world.admin_a)
    seen = gateway.last()
    assert seen.path == "/2010-04-01/Accounts/AC123/Messages.json"
    assert seen.headers["Authorization"] == "Basic " + base64.b64encode(b"AC123:gw-secret-1").decode()
    assert seen.form["To"] == "+919812345678" and seen.form["From"] == "+919800000000"
    assert seen.form["StatusCallback"].startswith("http://doorstep.test/sms/")


def test_a_gateway_answering_500_is_reported_in_words(world, connect, gateway):
    channel = connect("kannel")
    gateway.fail_with = 500
    result = channels.send_test(channel, to="+919812345678", actor=world.admin_a)
    assert not result.ok
    assert "HTTP 500" in result.words
    assert OutboxMessage.objects.get(purpose="test").error == "gateway_error"


def test_a_refused_password_is_reported_in_words(world, connect, gateway):
    channel = connect("kannel")
    gateway.fail_with = 403
    result = channels.send_test(channel, to="+919812345678", actor=world.admin_a)
    assert result.words == "The gateway refused the user name or password."


def test_an_unreachable_gateway_is_reported_in_words(world, connect):
    channel = connect("external", send_url="http://127.0.0.1:9/send")
    result = channels.send_test(channel, to="+919812345678", actor=world.admin_a)
    assert result.words == "The gateway could not be reached at its address."


def test_a_test_message_keeps_neither_number_nor_words(world, connect):
    channels.send_test(connect("kannel"), to="+919812345678", actor=world.admin_a)
    assert bytes(OutboxMessage.objects.get(purpose="test").sealed) == b""


def test_rejects_a_test_to_a_number_that_is_not_a_phone(world, connect):
    with pytest.raises(ValidationError) as failure:
        channels.send_test(connect("kannel"), to="12", actor=world.admin_a)
    assert failure.value.errors[0].field == "to"


def test_rejects_a_channel_without_an_http_address(world):
    data = channels.ChannelInput(
        kind="kannel", name="x", send_url="file:///etc/passwd", login="u", secret="x"
    )
    with pytest.raises(ValidationError) as failure:
        channels.connect_channel(world.org_a, data, actor=world.admin_a)
    assert "send_url" in {e.field for e in failure.value.errors}
    assert not Channel.objects.exists()


def test_an_organizer_cannot_connect_a_channel(world, connect):
    data = channels.ChannelInput(kind="external", name="x", send_url="http://127.0.0.1:9/")
    with pytest.raises(PermissionDenied):
        channels.connect_channel(world.org_a, data, actor=world.organizer_a)
    assert not Channel.objects.exists()


def test_a_new_channel_switches_the_old_one_off(connect):
    first, second = connect("kannel"), connect("external")
    assert list(Channel.objects.filter(is_active=True)) == [second]
    assert not Channel.objects.get(pk=first.pk).is_active


def test_the_channel_page_sends_a_test_and_says_what_failed(world, login, connect, gateway):
    channel = connect("kannel")
    gateway.fail_with = 500
    page = login(world.admin_a).post(
        f"/orgs/union-a/sms/channels/{channel.pk}/", {"action": "test", "to": "+919812345678"}
    )
    assert page.status_code == 200
    assert b"The gateway had a problem (HTTP 500)." in page.content


def test_the_api_connects_a_channel_without_returning_its_secret(world, api, gateway):
    response = api(world.admin_a).post(
        "/api/v1/sms/channels",
        {
            "organization_id": world.org_a.pk,
            "kind": "external",
            "name": "gw",
            "send_url": gateway.url,
            "secret": "s3cr3t-token",
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    assert b"s3cr3t-token" not in response.content
    assert response.json()["receive_url"].endswith("/receive")
