"""The page where an invited person sets her password tells her the username she will log in with."""

from django.test import Client

from doorstep.organizations import services
from doorstep.organizations.models import User


def test_it_tells_the_new_person_her_username(world):
    services.add_person(world.org_a, username="priya", role="organizer", actor=world.admin_a)
    link = services.invitation_path(User.objects.get(username="priya"))
    page = Client().get(link, follow=True).content.decode()
    assert "Set your password" in page
    assert "Your username is <strong>priya</strong>" in page
