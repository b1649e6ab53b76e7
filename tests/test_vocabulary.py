"""One name per thing in the Chinese catalogues of both addons, in Chinese
punctuation (issue 24, "One vocabulary")."""

import re

import polib
import pytest

from conftest import ADDON_DIR

CATALOGUES = {
    "logistics_crm": ADDON_DIR / "i18n" / "zh_CN.po",
    "logistics_crm_lead": ADDON_DIR.parent / "logistics_crm_lead" / "i18n" / "zh_CN.po",
}

# synonym -> the course's word for the same thing
FORBIDDEN = {
    "重点客户": "关键客户",  # the top grade (A, key customer)
    "潜力客户": "明日之星",  # the rising star
    "客户等级策略": "分级策略",  # the tier policy
    # Odoo's own customer_rank reads 客户等级 in zh_CN: the addon's tiers are 客户分级
    "客户等级": "客户分级",
    "等级策略": "分级策略",
    "战略客户": "关键客户",
}
# the railway template names its grades in its own words, and its dialog says so
OWN_WORDS = {"战略客户": re.compile(r"\bStrategic\b")}

CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
# what is not prose: placeholders, QWeb/Jinja expressions, markup, entities
NOT_PROSE = re.compile(
    r"%(?:\([^)]+\))?[sdf]|%%|\{\{.*?\}\}|\{[^{}]*\}|<[^>]*>|&\w+;|!="
)
ASCII_PUNCTUATION = re.compile(
    rf"[{CJK}] *[,:;()!?]|[,:;()!?] *[{CJK}]|[{CJK}] *\(|\) *[{CJK}]"
)


@pytest.fixture(scope="module", params=sorted(CATALOGUES))
def catalogue(request):
    return polib.pofile(str(CATALOGUES[request.param]))


def forbidden_words(entry):
    found = []
    for word, course in FORBIDDEN.items():
        own = OWN_WORDS.get(word)
        if word in entry.msgstr and not (own and own.search(entry.msgid)):
            found.append(f"{word} (say {course}) in {entry.msgid!r}: {entry.msgstr}")
    return found


def ascii_punctuation(msgstr):
    return ASCII_PUNCTUATION.findall(NOT_PROSE.sub("\x00", msgstr))


def test_one_name_per_thing(catalogue):
    found = [text for entry in catalogue for text in forbidden_words(entry)]
    assert not found, found[:10]


def test_chinese_punctuation_is_full_width(catalogue):
    found = [
        (entry.msgid, entry.msgstr)
        for entry in catalogue
        if ascii_punctuation(entry.msgstr)
    ]
    assert not found, found[:10]


@pytest.mark.parametrize(
    ("msgstr", "bad"),
    [
        ("客户等级", True),
        ("重点客户工单", True),
        ("潜力客户增幅", True),
        ("客户分级", False),
        ("分级策略", False),
    ],
)
def test_the_synonym_check_catches_a_synonym(msgstr, bad):
    entry = polib.POEntry(msgid="Tier", msgstr=msgstr)
    assert bool(forbidden_words(entry)) is bad


def test_the_railway_template_keeps_its_own_words():
    entry = polib.POEntry(msgid="A – Strategic Customer", msgstr="A – 战略客户")
    assert not forbidden_words(entry)
    entry = polib.POEntry(msgid="A – Key Customer", msgstr="A – 战略客户")
    assert forbidden_words(entry)


@pytest.mark.parametrize(
    ("msgstr", "bad"),
    [
        ("已为 3 个客户排名, 变动 2 次", True),
        ("客户分级:", True),
        ("服务水平协议 (SLA)", True),
        ("占比(%)", True),
        ("服务水平协议（SLA）：%(ticket)s", False),
        ("%(company)s：已为 %(count)s 个客户排名", False),
        ("搜索只能使用 = 或 !=，不能使用 %(operator)s。", False),
        ("<span t-out=\"object.name or ''\"/>：你好", False),
        ("{{ object.name }}，你好", False),
        ("截止 21:00", False),
        ("A – 关键客户, B", True),
    ],
)
def test_the_punctuation_check(msgstr, bad):
    assert bool(ascii_punctuation(msgstr)) is bad
