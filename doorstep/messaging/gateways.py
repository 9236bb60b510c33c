"""The three gateway shapes Doorstep speaks: how a message goes out, and how an incoming message or a
delivery report that a gateway sends back is read. Plain HTTP (urllib), no state.

* **Kannel** (``sendsms``): ``GET send_url?username&password&from&to&text&charset=UTF-8&coding&dlr-mask
  &dlr-url``; it answers ``0: Accepted for delivery`` (202). Its ``get-url`` calls Doorstep back with
  ``from``, ``text`` and ``id`` (``%p``, ``%a``, ``%I``) for a message, and the ``dlr-url`` with
  ``ref`` and ``status`` (``%d``: 1 delivered, 2 failed, 4 buffered, 8 sent, 16 rejected).
* **External** (RapidPro's External API channel): ``POST send_url`` form ``id``, ``from``, ``to``,
  ``text`` with ``Authorization: Token <secret>``; incoming ``POST`` ``from``, ``text``, ``id``;
  delivery ``POST ?id=<id>&status=sent|delivered|failed``.
* **Twilio-compatible**: ``POST send_url/2010-04-01/Accounts/<account>/Messages.json`` (Basic auth,
  form ``To``, ``From``, ``Body``, ``StatusCallback``), answer JSON with ``sid``; webhooks are
  form-encoded (``MessageSid``, ``From``, ``Body``; ``MessageStatus``) and signed:
  ``X-Twilio-Signature`` = base64(HMAC-SHA1(secret, URL + each parameter's name and value, sorted)).
"""

import base64
import hashlib
import hmac
import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

TIMEOUT_SECONDS = 15


@dataclass(frozen=True)
class Outgoing:
    to: str  # E.164
    text: str
    sender: str
    reference: str  # our idempotency key: sent along where the gateway takes one
    encoding: str  # "gsm7" or "ucs2"
    status_url: str  # where the gateway reports delivery


class GatewayError(Exception):
    """A send that did not go through: ``code`` for the record and the API, ``words`` for people,
    ``retry`` whether trying again later may help (a timeout, a 5xx) or not (a refused login)."""

    def __init__(self, code: str, words, *, retry: bool):
        super().__init__(code)
        self.code, self.words, self.retry = code, words, retry


def _gateway_request(url: str, **options) -> urllib.request.Request:
    """A request to a gateway's address (http or https only: checked when the channel is saved)."""
    return urllib.request.Request(url, **options)  # noqa: S310 - the scheme is checked on save


def _request(request: urllib.request.Request) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 - http(s) only, checked on save
            return response.status, response.read(65536)
    except urllib.error.HTTPError as error:
        status = error.code
        if status in (401, 403):
            raise GatewayError(
                "refused_login", _("The gateway refused the user name or password."), retry=False
            ) from None
        if status >= 500:
            raise GatewayError(
                "gateway_error",
                _("The gateway had a problem (HTTP %(status)s).") % {"status": status},
                retry=True,
            ) from None
        raise GatewayError(
            "gateway_refused",
            _("The gateway refused the message (HTTP %(status)s).") % {"status": status},
            retry=False,
        ) from None
    except TimeoutError:
        raise GatewayError("timeout", _("The gateway did not answer in time."), retry=True) from None
    except (urllib.error.URLError, OSError):
        raise GatewayError(
            "unreachable", _("The gateway could not be reached at its address."), retry=True
        ) from None


def send(kind: str, send_url: str, credentials: dict, message: Outgoing) -> str:
    """Hand ``message`` to the gateway; returns the id it gave (or our reference). Raises GatewayError."""
    if kind == "kannel":
        query = {
            "username": credentials.get("username", ""),
            "password": credentials.get("password", ""),
            "to": message.to,
            "text": message.text,
            "charset": "UTF-8",
            "coding": "2" if message.encoding == "ucs2" else "0",
            "dlr-mask": "31",
            "dlr-url": f"{message.status_url}?ref={urllib.parse.quote(message.reference)}&status=%d",
        }
        if message.sender:
            query["from"] = message.sender
        separator = "&" if "?" in send_url else "?"
        _status, body = _request(_gateway_request(send_url + separator + urllib.parse.urlencode(query)))
        if not body.lstrip().startswith((b"0:", b"3:")):  # 0 accepted, 3 queued for later delivery
            raise GatewayError("gateway_refused", _("The gateway refused the message."), retry=False)
        return message.reference
    if kind == "external":
        data = {"id": message.reference, "from": message.sender, "to": message.to, "text": message.text}
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if credentials.get("secret"):
            headers["Authorization"] = f"Token {credentials['secret']}"
        _request(
            _gateway_request(
                send_url, data=urllib.parse.urlencode(data).encode(), headers=headers, method="POST"
            )
        )
        return message.reference
    if kind == "twilio":
        account = credentials.get("account", "")
        url = f"{send_url.rstrip('/')}/2010-04-01/Accounts/{urllib.parse.quote(account)}/Messages.json"
        basic = base64.b64encode(f"{account}:{credentials.get('secret', '')}".encode()).decode()
        data = {
            "To": message.to,
            "From": message.sender,
            "Body": message.text,
            "StatusCallback": message.status_url,
        }
        _status, body = _request(
            _gateway_request(
                url,
                data=urllib.parse.urlencode(data).encode(),
                headers={
                    "Authorization": f"Basic {basic}",
                    "Content-Type": "application/x-www-form-urlencoded",
                },
                method="POST",
            )
        )
        try:
            return str(json.loads(body)["sid"])[:100]
        except (ValueError, KeyError, TypeError):
            raise GatewayError(
                "gateway_refused", _("The gateway's answer did not say it took the message."), retry=False
            ) from None
    raise GatewayError("unknown_kind", _("This kind of channel is not known."), retry=False)


def twilio_signature(secret: str, url: str, params: dict[str, str]) -> str:
    payload = url + "".join(f"{name}{params[name]}" for name in sorted(params))
    return base64.b64encode(hmac.new(secret.encode(), payload.encode(), hashlib.sha1).digest()).decode()


def twilio_signature_ok(secret: str, urls: list[str], params: dict[str, str], signature: str) -> bool:
    return bool(secret) and any(
        hmac.compare_digest(twilio_signature(secret, url, params), signature or "") for url in urls
    )


@dataclass(frozen=True)
class Incoming:
    sender: str
    text: str
    gateway_id: str  # "" where the gateway gave none


def read_incoming(kind: str, params: dict[str, str]) -> Incoming:
    if kind == "twilio":
        return Incoming(params.get("From", ""), params.get("Body", ""), params.get("MessageSid", ""))
    return Incoming(params.get("from", ""), params.get("text", ""), params.get("id", ""))


# Delivery reports: the gateway's word -> our status ("" = nothing to record yet)
KANNEL_DLR = {"1": "delivered", "2": "failed", "4": "", "8": "sent", "16": "failed"}
TWILIO_STATUS = {
    "queued": "",
    "accepted": "",
    "sending": "",
    "sent": "sent",
    "delivered": "delivered",
    "undelivered": "failed",
    "failed": "failed",
}
EXTERNAL_STATUS = {"sent": "sent", "delivered": "delivered", "failed": "failed"}


def read_status(kind: str, params: dict[str, str]) -> tuple[str, str]:
    """(the id the report is about, our status or "") from a delivery report."""
    if kind == "kannel":
        return params.get("ref", ""), KANNEL_DLR.get(params.get("status", ""), "")
    if kind == "twilio":
        return params.get("MessageSid", ""), TWILIO_STATUS.get(params.get("MessageStatus", ""), "")
    return params.get("id", ""), EXTERNAL_STATUS.get(params.get("status", ""), "")
