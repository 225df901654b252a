"""Urdu calendar words and digits, shared by the code that reads Urdu pages.

Urdu pages write dates with Urdu month names and often with Urdu (Persian)
digits, e.g. ``جمعہ 18 جولائی 2025`` or ``۱۴ فروری ۲۰۱۵ء`` (the ``ء`` after a year
abbreviates عیسوی, "of the Common Era").
"""

# Month name → month number. The short forms without the final ی are common typings.
URDU_MONTHS = {
    "جنوری": 1,
    "فروری": 2,
    "مارچ": 3,
    "اپریل": 4,
    "مئی": 5,
    "مئ": 5,
    "جون": 6,
    "جولائی": 7,
    "جولائ": 7,
    "اگست": 8,
    "ستمبر": 9,
    "اکتوبر": 10,
    "نومبر": 11,
    "دسمبر": 12,
}

# Weekday name → number as datetime.date.weekday() counts it (Monday is 0).
URDU_WEEKDAYS = {
    "پیر": 0,
    "سوموار": 0,
    "منگل": 1,
    "بدھ": 2,
    "جمعرات": 3,
    "جمعہ": 4,
    "ہفتہ": 5,
    "اتوار": 6,
}

_ASCII_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "0123456789" * 2)


def to_ascii_digits(text: str) -> str:
    """Return *text* with Urdu/Persian (۰-۹) and Arabic-Indic (٠-٩) digits made ASCII.

    Every other character is kept, so the result has the same length as *text*.
    """
    return text.translate(_ASCII_DIGITS)
