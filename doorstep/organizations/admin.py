"""The platform admin's site. Changes that the pages make through services go through the same
services here, so they are checked and audited the same way."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext as _

from doorstep.core.errors import DomainError

from . import services
from .models import Affiliation, Organization, RoleAssignment, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (*DjangoUserAdmin.fieldsets, ("Doorstep", {"fields": ("display_name", "preferred_language")}))
    list_display = ("username", "display_name", "email", "is_active", "is_superuser")


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "country", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    fields = ("name", "slug", "kind", "country", "languages", "is_active")

    def save_model(self, request, obj, form, change):
        if change:
            services.update_organization(obj, changed=form.changed_data, actor=request.user)
        else:
            saved = services.create_organization(
                name=obj.name,
                slug=obj.slug,
                kind=obj.kind,
                country=obj.country,
                languages=obj.languages,
                actor=request.user,
            )
            obj.pk = saved.pk


@admin.register(Affiliation)
class AffiliationAdmin(admin.ModelAdmin):
    list_display = ("member", "network", "since", "until")
    fields = ("member", "network", "since", "until")

    def get_readonly_fields(self, request, obj=None):
        return ("member", "network", "since") if obj else ()

    def save_model(self, request, obj, form, change):
        try:
            if change:
                if obj.until:
                    services.end_affiliation(obj, until=obj.until, actor=request.user)
            else:
                saved = services.add_affiliation(
                    member=obj.member, network=obj.network, since=obj.since, actor=request.user
                )
                obj.pk = saved.pk
        except DomainError as error:
            messages.error(request, error.message)


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    """The platform admin gives a new organization its first admin here; after that, roles are given
    and changed by each organization's admins on its People page."""

    list_display = ("user", "organization", "role", "is_active")
    list_filter = ("role", "is_active")
    fields = ("organization", "user", "role")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)

        class NotYourself(form):
            def clean_user(self):
                user = self.cleaned_data["user"]
                if user == request.user:
                    raise forms.ValidationError(
                        _("A platform admin cannot give herself a role here; use the break_glass command.")
                    )
                return user

        return NotYourself

    def save_model(self, request, obj, form, change):
        try:
            added = services.add_person(
                obj.organization, username=obj.user.username, role=obj.role, actor=request.user
            )
            obj.pk = added.assignment.pk
        except DomainError as error:
            messages.error(request, error.message)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
