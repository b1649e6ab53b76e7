import pytest

from conftest import load_logic_module

dedupe = load_logic_module("dedupe")

# a valid code (check character L) and the same with a wrong check character
VALID_CODE = "91110000600037341L"
WRONG_CHECK = "91110000600037341X"


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("上海远航物流有限公司", "上海远航物流"),
        ("上海远航物流有限责任公司", "上海远航物流"),
        ("上海远航物流股份有限公司", "上海远航物流"),
        ("上海远航物流集团股份有限公司", "上海远航物流"),
        ("上海远航物流（集团）有限公司", "上海远航物流"),
        ("上海 远航 物流（中国）有限公司", "上海远航物流"),
        ("上海远航物流(中国)有限公司", "上海远航物流"),
        ("上海远航物流【中国】有限公司", "上海远航物流"),
        ("ＦＡＲ ＳＡＩＬ　Logistics", "farsaillogistics"),
        ("Far Sail Logistics Co., Ltd.", "farsaillogistics"),
        ("Far Sail Logistics Co.,Ltd", "farsaillogistics"),
        ("FAR-SAIL logistics (China) Co. Limited", "farsaillogistics"),
        ("Far Sail Logistics Inc.", "farsaillogistics"),
        ("Far Sail Logistics LLC", "farsaillogistics"),
        ("Far Sail Logistics GmbH", "farsaillogistics"),
        ("Far Sail Logistics Group Holdings Limited", "farsaillogistics"),
        ("ＡＢＣ物流有限公司", "abc物流"),
    ],
)
def test_company_names_fold_to_one_key(name, key):
    assert dedupe.normalize_company_name(name) == key


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # a region in brackets is not noise: another legal entity
        ("华为技术(深圳)有限公司", "华为技术有限公司"),
        # a branch is not its head office
        ("远航物流有限公司上海分公司", "远航物流有限公司"),
        # a legal form inside a word is part of the name
        ("Costco Wholesale", "Cost Wholesale"),
        ("Incoterms Logistics", "Terms Logistics"),
    ],
)
def test_different_companies_keep_different_keys(first, second):
    assert dedupe.normalize_company_name(first) != dedupe.normalize_company_name(second)


@pytest.mark.parametrize("name", ["有限公司", "Co., Ltd.", "（中国）有限公司"])
def test_a_bare_legal_form_keeps_a_key(name):
    assert dedupe.normalize_company_name(name)


@pytest.mark.parametrize("name", ["", None, "  ", "（）"])
def test_empty_names_have_no_key(name):
    assert dedupe.normalize_company_name(name) == ""


def test_credit_code_compacted_upper_case():
    assert dedupe.compact_credit_code(" 9111 0000-6000 3734 1l ") == VALID_CODE
    # full-width characters typed with a Chinese input method
    assert (
        dedupe.compact_credit_code("９１１１００００６０００３７３４１Ｌ") == VALID_CODE
    )
    assert dedupe.compact_credit_code(None) == ""


def test_credit_code_check_character():
    assert dedupe.is_valid_credit_code(VALID_CODE)
    assert dedupe.is_valid_credit_code(VALID_CODE.lower())
    assert not dedupe.is_valid_credit_code(WRONG_CHECK)
    assert not dedupe.is_valid_credit_code(VALID_CODE[:-1])
    assert not dedupe.is_valid_credit_code("")


@pytest.mark.parametrize(
    "number",
    [
        "138 0013 8000",
        "+86 138-0013-8000",
        "0086 13800138000",
        "+８６　１３８００１３８０００",
    ],
)
def test_mobile_numbers_in_e164(number):
    assert dedupe.phone_key(number, "CN", 86) == "+8613800138000"


def test_landline_drops_the_trunk_prefix():
    assert dedupe.phone_key("021-6234 5678", "CN", 86) == "+862162345678"
    assert dedupe.phone_key("+86 21 6234 5678", "CN", 86) == "+862162345678"


def test_country_of_the_partner_reads_national_numbers():
    assert dedupe.phone_key("030 1234567", "DE", 49) == "+49301234567"
    assert dedupe.phone_key("030 1234567", "CN", 86) != "+49301234567"


@pytest.mark.parametrize("number", ["", None, "12", "ext"])
def test_short_numbers_have_no_key(number):
    assert dedupe.phone_key(number, "CN", 86) == ""


def test_fallback_without_phonenumbers(monkeypatch):
    monkeypatch.setattr(dedupe, "phonenumbers", None)
    assert dedupe.phone_key("138 0013 8000", "CN", 86) == "+8613800138000"
    assert dedupe.phone_key("+86 138 0013 8000", "CN", 86) == "+8613800138000"
    assert dedupe.phone_key("0086 138 0013 8000", "CN", 86) == "+8613800138000"
    assert dedupe.phone_key("021-6234 5678 转 801", "CN", 86) == "+862162345678"
    assert dedupe.phone_key("021-6234 5678") == "02162345678"
