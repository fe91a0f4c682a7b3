"""Django's admin, for the people who run the service (superusers), not for school staff."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django_otp import devices_for_user

from progress.models import AcademicYear, HalfTerm, School, StaffRole, Trust, User


@admin.register(Trust)
class TrustAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["name", "urn", "dfe_number", "phase", "trust"]
    list_filter = ["phase", "trust"]
    search_fields = ["name", "urn"]


class StaffRoleFormSet(BaseInlineFormSet):
    """A role belongs to the school of the person who holds it."""

    def clean(self) -> None:
        super().clean()
        kept = [form for form in self.forms if form.cleaned_data.get("role")]
        if self.instance.school_id is None and any(
            not form.cleaned_data.get("DELETE") for form in kept
        ):
            raise ValidationError("Roles are held in a school: choose their school first.")

    def save_new(self, form, commit=True):
        form.instance.school_id = self.instance.school_id
        return super().save_new(form, commit)


class StaffRoleInline(admin.TabularInline):
    model = StaffRole
    formset = StaffRoleFormSet
    fields = ["role"]
    extra = 1


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "school", "is_active"]
    list_filter = ["school", "staff_roles__role", "is_active"]
    list_select_related = ["school"]
    search_fields = ["email", "display_name"]
    inlines = [StaffRoleInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Staff member", {"fields": ["display_name", "job_title", "school"]}),
        ("Line manager's remit", {"fields": ["remit_year_groups", "remit_subject"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["email", "display_name", "school", "password1", "password2"]}),
    ]
    actions = ["reset_two_step"]

    def save_related(self, request, form, formsets, change) -> None:
        """Roles move with the person to their new school."""
        super().save_related(request, form, formsets, change)
        user = form.instance
        user.staff_roles.exclude(school_id=user.school_id).update(school_id=user.school_id)

    @admin.action(description="Reset two-step sign-in (a lost phone and no recovery codes)")
    def reset_two_step(self, request, queryset) -> None:
        """Removes the app and recovery codes: at their next sign-in, each sets up a new app
        if their role needs one."""
        for user in queryset:
            for device in devices_for_user(user, confirmed=None):
                device.delete()
        self.message_user(request, f"Two-step sign-in reset for {len(queryset)} staff.")


class HalfTermInline(admin.TabularInline):
    model = HalfTerm
    extra = 0
    max_num = 6
    fields = ["number", "starts_on", "ends_on"]


@admin.register(AcademicYear)
class AcademicYearAdmin(admin.ModelAdmin):
    list_display = ["name", "school"]
    list_filter = ["school"]
    list_select_related = ["school"]
    inlines = [HalfTermInline]

    def save_formset(self, request, form, formset, change):
        for half_term in formset.save(commit=False):
            half_term.school = form.instance.school
            half_term.save()
        for half_term in formset.deleted_objects:
            half_term.delete()
