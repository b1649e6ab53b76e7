"""The duplicate check (查重): company names, credit codes and phone numbers in
the forms they are compared in. Pure functions: no Odoo import.

- A company name is compared without its legal form (有限公司, Co., Ltd., GmbH,
  ...), without a country in brackets ((中国), (China)), with full-width forms
  folded to half-width (NFKC), and without spaces, punctuation or case.
- The unified social credit code (统一社会信用代码) is checked with
  python-stdnum's ``cn.uscc`` (18 characters, the last a check character).
- Phone numbers are compared in E.164 (+8613800138000): with the
  ``phonenumbers`` library when it is installed, else digits only with the
  country calling code in front.
"""

import re
import unicodedata

try:
    from stdnum.cn import uscc
except ImportError:  # pragma: no cover - python-stdnum is in Odoo's requirements
    uscc = None

try:
    import phonenumbers
except ImportError:  # pragma: no cover - depends on the environment
    phonenumbers = None

# Chinese legal forms, stripped from the end of a name (longest first); a form
# may follow another: 集团股份有限公司 -> 集团 -> nothing.
CHINESE_LEGAL_FORMS = (
    "股份有限公司",
    "有限责任公司",
    "集团有限公司",
    "有限公司",
    "股份公司",
    "總公司",
    "总公司",
    "集團",
    "集团",
    "公司",
)

# Latin legal forms: whole words at the end of a name, after punctuation is
# dropped ("Co., Ltd." is the two words co and ltd).
LATIN_LEGAL_FORMS = frozenset(
    {
        "co",
        "company",
        "corp",
        "corporation",
        "inc",
        "incorporated",
        "ltd",
        "limited",
        "llc",
        "llp",
        "lp",
        "plc",
        "gmbh",
        "ag",
        "sa",
        "sarl",
        "srl",
        "spa",
        "bv",
        "nv",
        "pte",
        "pty",
        "kk",
        "group",
        "holding",
        "holdings",
    }
)

# what a bracket may hold and still be dropped with it: (中国), (China), (集团)
BRACKET_NOISE = frozenset(
    {"中国", "中國", "china", "prc", "cn"}
    | set(CHINESE_LEGAL_FORMS)
    | LATIN_LEGAL_FORMS
)

# brackets NFKC leaves as they are
_BRACKETS = str.maketrans(
    {"【": "(", "】": ")", "〔": "(", "〕": ")", "[": "(", "]": ")"}
)
_BRACKETED = re.compile(r"\(([^()]*)\)")
_WORD = re.compile(r"[^\W_]+")

# shorter phone keys match too much (extensions, short codes)
MIN_PHONE_DIGITS = 6


def _fold(text):
    return unicodedata.normalize("NFKC", text or "").translate(_BRACKETS).casefold()


def _drop_noise_bracket(match):
    inner = "".join(_WORD.findall(match.group(1)))
    return " " if inner in BRACKET_NOISE else f" {match.group(1)} "


def _strip_chinese_form(word):
    for form in CHINESE_LEGAL_FORMS:
        if word.endswith(form):
            return word[: -len(form)]
    return word


def normalize_company_name(name):
    """The form names are compared in; "" for an empty name.

    >>> normalize_company_name("上海 远航物流（中国）有限公司")
    '上海远航物流'
    >>> normalize_company_name("Far Sail Logistics (China) Co., Ltd.")
    'farsaillogistics'

    A name that is nothing but a legal form keeps its words ("有限公司" is
    "有限公司"): an empty key would match every such name.
    """
    text = _BRACKETED.sub(_drop_noise_bracket, _fold(name))
    words = _WORD.findall(text)
    everything = "".join(words)
    while words:
        last = words[-1]
        if last in LATIN_LEGAL_FORMS:
            words.pop()
            continue
        stripped = _strip_chinese_form(last)
        if stripped == last:
            break
        if stripped:
            words[-1] = stripped
        else:
            words.pop()
    return "".join(words) or everything


def compact_credit_code(code):
    """The code as stored: upper-case, without spaces or dashes; "" if empty."""
    if not code:
        return ""
    folded = unicodedata.normalize("NFKC", code)
    if uscc is not None:
        return uscc.compact(folded)
    return re.sub(r"[\s\-]", "", folded).upper()


def is_valid_credit_code(code):
    """True when `code` is an 18-character unified social credit code with the
    right check character."""
    code = compact_credit_code(code)
    if uscc is not None:
        return uscc.is_valid(code)
    return len(code) == 18  # pragma: no cover - without python-stdnum


def phone_key(number, country_code=None, calling_code=None):
    """The number in E.164 ("+8613800138000"); "" when it has too few digits.

    `country_code` ("CN") and `calling_code` (86) say how to read a number
    written without its country ("021-6234 5678", "138 0013 8000").
    """
    text = unicodedata.normalize("NFKC", number or "").strip()
    if not text:
        return ""
    if phonenumbers is not None:
        try:
            parsed = phonenumbers.parse(text, (country_code or "").upper() or None)
        except phonenumbers.NumberParseException:
            parsed = None
        if parsed is not None and phonenumbers.is_possible_number(parsed):
            return phonenumbers.format_number(
                parsed, phonenumbers.PhoneNumberFormat.E164
            )
    return _digits_phone_key(text, calling_code)


def _digits_phone_key(text, calling_code):
    # an extension is not part of the number
    text = re.split(r"(?i)\s*(?:ext\.?|x|#|转)\s*\d+\s*$", text)[0]
    digits = re.sub(r"\D", "", text)
    if len(digits) < MIN_PHONE_DIGITS:
        return ""
    if text.startswith("+"):
        return f"+{digits}"
    if digits.startswith("00"):
        return f"+{digits[2:]}"
    if calling_code:
        # the trunk prefix 0 belongs to the national form only
        return f"+{calling_code}{digits.lstrip('0')}"
    return digits
