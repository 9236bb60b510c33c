"""Demo SMS: the demo union's channel points at a local fake gateway (``python -m doorstep
sms_fake_gateway``, which prints what it is sent), and a notice asking about Friday's meeting waits
as a draft. Idempotent."""

from doorstep.organizations.models import Organization, User

from .models import Channel, Notice
from .services import channels, notices

FAKE_GATEWAY = "http://127.0.0.1:13013/send"


def load() -> list[str]:
    organization = Organization.objects.filter(slug="demo-union").first()
    if organization is None:
        return []
    admin = User.objects.get(username="orgadmin-a")
    lines = []
    if not Channel.objects.filter(organization=organization).exists():
        channels.connect_channel(
            organization,
            channels.ChannelInput(
                kind="external",
                name="Local fake gateway",
                send_url=FAKE_GATEWAY,
                sender="1234",
                secret="demo-gateway-token",  # noqa: S106 - a demo gateway on 127.0.0.1
            ),
            actor=admin,
        )
        lines.append(
            f"SMS channel of the demo union: {FAKE_GATEWAY} (run `python -m doorstep sms_fake_gateway`)"
        )
    if not Notice.objects.filter(organization=organization).exists():
        notices.create_notice(
            organization,
            notices.NoticeInput(
                title="Meeting on Friday",
                texts={
                    "en": "Meeting on Friday at 10 at the usual place. Will you come? Reply YES or NO.",
                    "hi": "शुक्रवार 10 बजे सामान्य जगह पर बैठक है। क्या आप आएंगी? हाँ या नहीं लिखें।",
                },
                asks_question=True,
            ),
            actor=admin,
        )
        lines.append("A draft SMS notice of the demo union: Meeting on Friday")
    return lines
