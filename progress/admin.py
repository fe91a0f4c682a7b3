"""Django's admin, for the people who run the service (superusers), not for school staff."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
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


class StaffRoleInline(admin.TabularInline):
    model = StaffRole
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
