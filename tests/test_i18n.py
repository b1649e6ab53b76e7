"""Odoo-free checks of the addon's translation template and Chinese catalogue."""

import re
from collections import Counter

import polib
import pytest

from conftest import ADDON_DIR

I18N_DIR = ADDON_DIR / "i18n"
# %s, %d, %(name)s, a literal %% and format fields ({x}, {{ x }}).
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[sd]|%%|\{[^{}]*\}")


# the generic checks hold for both addons' catalogues
ADDON_I18N_DIRS = {
    "logistics_crm": I18N_DIR,
    "logistics_crm_lead": ADDON_DIR.parent / "logistics_crm_lead" / "i18n",
}


@pytest.fixture(scope="module", params=sorted(ADDON_I18N_DIRS))
def addon(request):
    return request.param


@pytest.fixture(scope="module")
def pot(addon):
    return polib.pofile(str(ADDON_I18N_DIRS[addon] / f"{addon}.pot"))


@pytest.fixture(scope="module")
def zh_cn(addon):
    return polib.pofile(str(ADDON_I18N_DIRS[addon] / "zh_CN.po"))


def _core_zh_cn():
    return polib.pofile(str(I18N_DIR / "zh_CN.po"))


def test_pot_is_not_empty(pot, addon):
    assert len(pot) > {"logistics_crm": 100}.get(addon, 50)


def test_zh_cn_header(zh_cn):
    assert zh_cn.metadata["Language"] == "zh_CN"
    assert zh_cn.metadata["Plural-Forms"] == "nplurals=1; plural=0;"


def test_zh_cn_translates_every_msgid(pot, zh_cn):
    translated = {(e.msgctxt, e.msgid): e.msgstr for e in zh_cn}
    missing = [e.msgid for e in pot if (e.msgctxt, e.msgid) not in translated]
    assert not missing, f"not in zh_CN.po: {missing[:10]}"
    empty = [e.msgid for e in pot if not translated[(e.msgctxt, e.msgid)].strip()]
    assert not empty, f"empty msgstr: {empty[:10]}"


def test_zh_cn_and_template_hold_the_same_msgids(pot, zh_cn):
    """An entry the template lost (e.g. a broken merge) is one nobody translates."""
    in_pot = {(e.msgctxt, e.msgid) for e in pot}
    extra = [e.msgid for e in zh_cn if (e.msgctxt, e.msgid) not in in_pot]
    assert not extra, f"in zh_CN.po only: {extra[:10]}"


def test_every_entry_says_where_it_comes_from(pot, zh_cn):
    """An entry without a reference is not loaded where it is used."""
    for catalogue in (pot, zh_cn):
        orphans = [e.msgid for e in catalogue if not e.occurrences]
        assert not orphans, f"entries without a reference: {orphans[:10]}"
        # Odoo's PO reader takes the module from the comment's first line
        unowned = [e.msgid for e in catalogue if not e.comment.startswith("module: ")]
        assert not unowned, f"entries without '#. module:': {unowned[:10]}"


def _code_comment_missing(catalogue):
    """Entries of code strings without the comment Odoo loads them by."""
    missing = []
    for entry in catalogue:
        files = [path for path, _line in entry.occurrences if path.startswith("code:")]
        if any(path.endswith(".py") for path in files):
            needed = "odoo-python"
        elif files:
            needed = "odoo-javascript"
        else:
            continue
        if needed not in entry.comment.split("\n"):
            missing.append(entry.msgid)
    return missing


def test_code_strings_carry_odoo_comment(pot, zh_cn):
    """Odoo loads a code string's translation only from an entry marked
    `#. odoo-python` (Python) or `#. odoo-javascript` (web client)."""
    for catalogue in (pot, zh_cn):
        missing = _code_comment_missing(catalogue)
        assert not missing, f"code strings Odoo would not translate: {missing[:10]}"


def test_code_comment_check_catches_an_unmarked_entry():
    entry = polib.POEntry(
        msgid="Checked in",
        msgstr="已签到",
        occurrences=[("code:addons/logistics_crm/models/x.py", "0")],
    )
    catalogue = polib.POFile()
    catalogue.append(entry)
    assert _code_comment_missing(catalogue) == ["Checked in"]
    entry.comment = "odoo-python"
    assert _code_comment_missing(catalogue) == []


def test_zh_cn_has_no_fuzzy_or_obsolete_entry(zh_cn):
    assert not [e.msgid for e in zh_cn if "fuzzy" in e.flags]
    assert not zh_cn.obsolete_entries()


def test_zh_cn_keeps_placeholders(zh_cn):
    wrong = [
        (e.msgid, e.msgstr)
        for e in zh_cn
        if Counter(PLACEHOLDER.findall(e.msgid))
        != Counter(PLACEHOLDER.findall(e.msgstr))
    ]
    assert not wrong, wrong[:5]


def test_zh_cn_is_chinese(zh_cn):
    han = re.compile(r"[\u4e00-\u9fff]")
    markup = re.compile(r"<[^>]*>")
    codes = {"ID", "TEU"}  # read the same in Chinese
    untranslated = []
    for entry in zh_cn:
        text = markup.sub("", PLACEHOLDER.sub("", entry.msgid)).strip()
        if re.search(r"[A-Za-z]{2,}", text) and text not in codes:
            if not han.search(entry.msgstr):
                untranslated.append(entry.msgid)
    assert not untranslated, untranslated[:10]


@pytest.mark.parametrize(
    ("msgid", "word"),
    [
        ("A – Key Customer", "关键客户"),
        ("B – Partner Customer", "合适客户"),
        ("C – General Customer", "一般客户"),
        ("Key-Account Manager", "客户经理"),
        ("Visits", "客户拜访"),
        ("Service Ticket", "服务工单"),
        ("SLA Policy", "服务水平协议"),
        ("Customer Tier", "客户分级"),
        ("Lifecycle", "生命周期"),
        ("At Risk", "流失风险"),
        ("Rising Star", "明日之星"),
        ("New Customer", "新客户"),
        ("Active Customer", "活跃客户"),
        ("Volume Dropping", "业务量下滑"),
        ("SLA at Risk", "即将超时"),
        ("Active", "有效"),
        ("Medium", "中型客户"),
        ("Stubborn", "顽固不化型"),
        ("Lapsed", "已流失"),
        ("Waybill / Tracking No.", "运单号"),
        ("Volume Statements", "业务量报表"),
        ("Executive Sponsor", "高层对接人"),
        ("Handover", "交接"),
        ("Logistics CRM", "物流"),
        ("Free-Mail Domain", "免费邮箱域名"),
        ("Match Customer by Email Domain", "按邮箱域名匹配客户"),
    ],
)
def test_zh_cn_vocabulary(msgid, word):
    entry = _core_zh_cn().find(msgid)
    assert entry is not None, msgid
    assert word in entry.msgstr


# msgids that may label several meanings because every language says them alike
# (same words, same translation); anything else gets its own English string
TRUE_SYNONYMS = {
    # a ticket's channel and a customer's preferred channel name the same media
    "Email",
    "Phone",
    "Visit",
    "Video Call",
    # "other" as a ticket channel and as a root cause
    "Other",
    # the activity types raised for a trend are named after it
    "Rising Star",
    "Volume Dropping",
}
SELECTION_REF = re.compile(
    r"model:ir\.model\.fields\.selection,name:logistics_crm\."
    r"selection__(?P<model>.+?)__(?P<field>.+?)__(?P<value>.+)$"
)
RECORD_REF = re.compile(r"model:(?P<model>[a-z_.]+),name:")


def _selection_meanings(pot):
    """{(model, field): frozenset of its values}: fields with the same values
    share a selection, hence a meaning (e.g. the tier on eight models)."""
    values = {}
    for entry in pot:
        for occurrence, _line in entry.occurrences:
            match = SELECTION_REF.match(occurrence)
            if match:
                key = (match["model"], match["field"])
                values.setdefault(key, set()).add(match["value"])
    return {key: frozenset(vals) for key, vals in values.items()}


def test_one_meaning_per_msgid(pot):
    """A msgid labels one selection (one meaning), or a selection value and no
    record name: 'At Risk' for an SLA, a lifecycle and a trend got one Chinese
    translation for three meanings."""
    meanings = _selection_meanings(pot)
    shared = []
    for entry in pot:
        if entry.msgid in TRUE_SYNONYMS:
            continue
        selections, records = set(), set()
        for occurrence, _line in entry.occurrences:
            match = SELECTION_REF.match(occurrence)
            if match:
                selections.add(meanings[(match["model"], match["field"])])
            elif (record := RECORD_REF.match(occurrence)) and record["model"] not in (
                "ir.model.fields.selection",
                "ir.model.fields",
                "ir.model",
            ):
                records.add(record["model"])
        if len(selections) > 1 or (selections and records):
            shared.append(entry.msgid)
    assert not shared, shared


def test_one_meaning_check_catches_a_shared_msgid():
    entry = polib.POEntry(
        msgid="At Risk",
        occurrences=[
            (
                "model:ir.model.fields.selection,name:logistics_crm."
                "selection__logistics_ticket__sla_status__at_risk",
                "",
            ),
            (
                "model:ir.model.fields.selection,name:logistics_crm."
                "selection__res_partner__lifecycle_stage__at_risk",
                "",
            ),
            (
                "model:ir.model.fields.selection,name:logistics_crm."
                "selection__res_partner__lifecycle_stage__new",
                "",
            ),
        ],
    )
    pot = polib.POFile()
    pot.append(entry)
    with pytest.raises(AssertionError, match="At Risk"):
        test_one_meaning_per_msgid(pot)
