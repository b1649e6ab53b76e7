import pytest

from conftest import load_logic_module

mail_domain = load_logic_module("mail_domain")


@pytest.mark.parametrize(
    ("value", "domain"),
    [
        ("qq.com", "qq.com"),
        ("  @QQ.com. ", "qq.com"),
        ("Someone@Vip.163.com", "vip.163.com"),
        ("", ""),
        (None, ""),
    ],
)
def test_normalize_domain(value, domain):
    assert mail_domain.normalize_domain(value) == domain


@pytest.mark.parametrize(
    "domain", ["qq.com", "vip.qq.com", "189.cn", "my-shipper.example.com", "中文.中国"]
)
def test_valid_domains(domain):
    assert mail_domain.is_valid_domain(domain)


@pytest.mark.parametrize(
    "domain",
    [
        "",
        "qq",
        "a b.com",
        "a..com",
        "-qq.com",
        "qq-.com",
        "q_q.com",
        "x" * 250 + ".com",
    ],
)
def test_invalid_domains(domain):
    assert not mail_domain.is_valid_domain(domain)


@pytest.mark.parametrize(
    ("email", "domain"),
    [("a@qq.com", "qq.com"), ("@qq.com", ""), ("qq.com", ""), ("", ""), (None, "")],
)
def test_email_domain(email, domain):
    assert mail_domain.email_domain(email) == domain


def test_domain_candidates_cover_parents_but_not_the_top_level():
    assert mail_domain.domain_candidates("vip.qq.com") == ["vip.qq.com", "qq.com"]
    assert mail_domain.domain_candidates("QQ.com") == ["qq.com"]
    assert mail_domain.domain_candidates("com") == []
    assert mail_domain.domain_candidates("") == []
