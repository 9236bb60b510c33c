from django.conf import settings

from doorstep.organizations.queries import organizations_with_role

from . import navigation, tenancy


def shell(request) -> dict:
    """What the base layout needs: navigation, the organization switcher, the languages."""
    user = getattr(request, "user", None)
    organization = getattr(request, "organization", None)
    context = {
        "languages": settings.LANGUAGES,
        "active_organization": organization,
        "public_navigation": navigation.public_items(),
    }
    if user is None or not user.is_authenticated:
        return context

    role = tenancy.role_in(user, organization) if organization is not None else None
    context.update(
        navigation=navigation.items_for(user, organization, more=False),
        navigation_more=navigation.items_for(user, organization, more=True),
        switchable_organizations=list(organizations_with_role(user)),
        active_role=role,
        active_role_label=role.label if role else "",
    )
    return context
