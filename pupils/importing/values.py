"""Cell readers: each turns one export cell into a value or raises ValueError saying what is
wrong in words a data manager understands."""

import datetime as dt
import re
from decimal import Decimal

from django.core.exceptions import ValidationError

from pupils.domain import Effort, SenNeed, SenProvision, YearGroup, validate_upn

TRUE = {"y", "yes", "true", "1", "t"}
FALSE = {"n", "no", "false", "0", "f", ""}
EXCEL_EPOCH = dt.date(1899, 12, 30)


def header_key(text: str) -> str:
    """Headers compare without case, spacing or punctuation: "Date of Birth" is "dateofbirth"."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


def text(value: str) -> str:
    return value.strip()


def required_text(value: str) -> str:
    if not value.strip():
        raise ValueError("is empty")
    return value.strip()


def upn(value: str) -> str:
    cleaned = value.strip().upper()
    if not cleaned:
        raise ValueError("is empty")
    try:
        validate_upn(cleaned)
    except ValidationError as error:
        raise ValueError(f"{cleaned!r}: {error.messages[0]}") from None
    return cleaned


def truth(value: str) -> bool:
    cleaned = value.strip().lower()
    if cleaned in TRUE:
        return True
    if cleaned in FALSE:
        return False
    raise ValueError(
        f"{value.strip()!r} is not yes or no (Y, Yes, True, 1, N, No, False, 0 or blank)"
    )


def date(value: str) -> dt.date:
    cleaned = value.strip()
    if not cleaned:
        raise ValueError("is empty")
    if re.fullmatch(r"\d{1,5}(\.0+)?", cleaned):  # an Excel serial day number
        serial = int(float(cleaned))
        if not 1 <= serial <= 2958465:
            raise ValueError(f"{cleaned!r} is not a date")
        return EXCEL_EPOCH + dt.timedelta(days=serial)
    for pattern, order in (
        (r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?", "ymd"),
        (r"(\d{1,2})/(\d{1,2})/(\d{4})", "dmy"),
        (r"(\d{1,2})-(\d{1,2})-(\d{4})", "dmy"),
        (r"(\d{1,2})\.(\d{1,2})\.(\d{4})", "dmy"),
    ):
        if match := re.fullmatch(pattern, cleaned):
            parts = dict(zip(order, map(int, match.groups()), strict=True))
            try:
                return dt.date(parts["y"], parts["m"], parts["d"])
            except ValueError:
                raise ValueError(f"{cleaned!r} is not a real date") from None
    for written in ("%d-%b-%Y", "%d %b %Y", "%d %B %Y", "%d-%b-%y"):  # 3-Nov-2026, 3 Nov 2026
        try:
            return dt.datetime.strptime(cleaned, written).date()
        except ValueError:
            continue
    raise ValueError(f"{cleaned!r} is not a date: write it as dd/mm/yyyy or yyyy-mm-dd")


def optional_date(value: str) -> dt.date | None:
    return date(value) if value.strip() else None


def time(value: str) -> dt.time | None:
    cleaned = value.strip()
    if not cleaned:
        return None
    if match := re.fullmatch(r"(\d{1,2})[:.](\d{2})(?::\d{2})?", cleaned):
        hour, minute = map(int, match.groups())
        if hour < 24 and minute < 60:
            return dt.time(hour, minute)
    raise ValueError(f"{cleaned!r} is not a time: write it as hh:mm")


def count(value: str) -> int:
    cleaned = value.strip()
    if not re.fullmatch(r"\d+(\.0+)?", cleaned):
        raise ValueError(f"{cleaned!r} is not a whole number" if cleaned else "is empty")
    return int(float(cleaned))


def optional_count(value: str) -> int | None:
    return count(value) if value.strip() else None


def year_group(value: str) -> int:
    try:
        return YearGroup.parse(value)
    except ValueError:
        raise ValueError(
            f"unknown year group {value.strip()!r}: use R, Reception, or 1 to 13"
        ) from None


SEN_PROVISION = {
    "n": SenProvision.NONE, "": SenProvision.NONE, "none": SenProvision.NONE,
    "k": SenProvision.SEN_SUPPORT, "sensupport": SenProvision.SEN_SUPPORT,
    "e": SenProvision.EHC_PLAN, "ehcplan": SenProvision.EHC_PLAN, "ehcp": SenProvision.EHC_PLAN,
    "s": SenProvision.EHC_PLAN, "statement": SenProvision.EHC_PLAN,
}  # fmt: skip


def sen_provision(value: str) -> str:
    """ "N", "K", "E", "K - SEN Support", "EHC Plan"; a pre-2014 statement (S) is now a plan."""
    key = header_key(value.split("-")[0] if "-" in value else value)
    if key in SEN_PROVISION:
        return SEN_PROVISION[key]
    raise ValueError(
        f"{value.strip()!r} is not a SEN provision: use N, K (SEN support) or E (EHC plan)"
    )


def sen_need(value: str) -> str:
    cleaned = value.strip()
    if not cleaned:
        return ""
    for need in SenNeed:
        if header_key(cleaned) in {header_key(need.value), header_key(need.label)}:
            return need.value
    codes = ", ".join(need.value for need in SenNeed)
    raise ValueError(f"{cleaned!r} is not a census need type ({codes})")


def session(value: str) -> str:
    key = header_key(value)
    if key in {"am", "a", "morning", "1"}:
        return "AM"
    if key in {"pm", "p", "afternoon", "2"}:
        return "PM"
    raise ValueError(f"{value.strip()!r} is not a session: use AM or PM")


# "excellent", "good", "inconsistent", "a cause for concern", and the shorter ways of saying it.
EFFORT_WORDS = {header_key(grade.label.split(": ", 1)[1]): grade for grade in Effort}
EFFORT_WORDS |= {"concern": Effort.CONCERN, "causeforconcern": Effort.CONCERN}


def effort(value: str) -> int | None:
    """An effort grade as schools write it: "2", "2.0", "Good", "2: good", "2 - Good"; blank for
    none. Its own scale, 1 (excellent) to 4 (a cause for concern), never a result."""
    cleaned = value.strip()
    if not cleaned:
        return None
    number = re.match(r"([1-4])(?:\.0+)?(?![\d.])", cleaned)
    words = header_key(cleaned[number.end() :] if number else cleaned)
    by_words = EFFORT_WORDS.get(words)
    if number and (not words or by_words == int(number.group(1))):
        return int(number.group(1))
    if not number and by_words:
        return int(by_words)
    raise ValueError(
        f"{cleaned!r} is not an effort grade: use 1 to 4 (1 excellent, 2 good, 3 inconsistent, "
        "4 a cause for concern) or those words"
    )


def optional_pounds(value: str) -> Decimal | None:
    """An amount in pounds as schools write it: "1200", "£1,200.50"; blank for none."""
    cleaned = value.strip().removeprefix("£").replace(",", "").strip()
    if not cleaned:
        return None
    if not re.fullmatch(r"\d{1,7}(\.\d{1,2})?", cleaned):
        raise ValueError(f"{value.strip()!r} is not an amount in pounds")
    return Decimal(cleaned)
