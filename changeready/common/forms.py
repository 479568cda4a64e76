from collections.abc import Callable

from django.core.exceptions import ValidationError

from changeready.common.concurrency import EditConflict

# What every form that saves a versioned record says about a concurrent edit.
CONFLICT_HINT = "Your changes are kept below; copy what you need, then reload."


def apply_validation_error(form, error: ValidationError) -> None:
    """Show a model's validation errors on the form, next to their fields."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def save_through(form, write: Callable[[], object]) -> bool:
    """Run a valid form's service write; True when it was saved.

    A concurrent edit or the model's validation refusing the write is shown on
    the form instead, with what the person typed kept.
    """
    try:
        write()
    except EditConflict as conflict:
        form.add_error(None, f"{conflict} {CONFLICT_HINT}")
    except ValidationError as error:
        apply_validation_error(form, error)
    else:
        return True
    return False
