from django import template

register = template.Library()


@register.inclusion_tag("includes/error_summary.html")
def error_summary(*forms) -> dict:
    """Every problem of `forms`, for the summary at the top of a page: a field's linked to its
    input (a group of radios or boxes by its first), the form's own unlinked."""
    errors = []
    for form in filter(None, forms):  # a page may have no form (a password-reset link gone stale)
        errors += [("", error) for error in form.non_field_errors()]
        for field in form:
            target = "" if field.is_hidden else field.id_for_label or f"{field.auto_id}_0"
            errors += [(target, error) for error in field.errors]
    return {"errors": errors}
