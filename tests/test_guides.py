"""User guides in docs/guide: both languages, every page, links that resolve."""

import re

import pytest

from conftest import ADDON_DIR

ROOT = ADDON_DIR.parent
GUIDE = ROOT / "docs" / "guide"
LANGUAGES = ("zh_CN", "en")
ROLE_PAGES = (
    "manager.md",
    "rep.md",
    "service_desk.md",
    "configuration.md",
    "customer_pool.md",
)
LINK = re.compile(r"!?\[[^\]]*\]\(([^)#\s]+)")
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_role_has_a_page_in_each_language(lang):
    index = (GUIDE / lang / "README.md").read_text()
    for page in ROLE_PAGES:
        assert (GUIDE / lang / page).is_file(), f"{lang}/{page} is missing"
        assert f"]({page})" in index, f"{lang}/README.md does not link {page}"


@pytest.mark.parametrize("page", ROLE_PAGES)
def test_chinese_pages_are_in_chinese(page):
    zh = (GUIDE / "zh_CN" / page).read_text()
    en = (GUIDE / "en" / page).read_text()
    assert len(CJK.findall(zh)) > 200
    assert not CJK.search(en.replace("中文", ""))


@pytest.mark.parametrize(
    "path",
    sorted(GUIDE.rglob("*.md")) + [ROOT / "README.md"],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_relative_links_and_pictures_resolve(path):
    for target in LINK.findall(path.read_text()):
        if "://" in target or target.startswith("mailto:"):
            continue
        assert (path.parent / target).exists(), f"{path.name} links a missing {target}"


def test_readme_first_screen_points_newcomers_to_the_guides():
    first_screen = "\n".join((ROOT / "README.md").read_text().splitlines()[:25])
    assert "make run" in first_screen and "make test" in first_screen
    assert "docs/guide" in first_screen


def test_guide_menu_points_at_the_guide_folders():
    """The in-app *User Guide* opens docs/guide/<lang>/README.md of the project."""
    source = (ADDON_DIR / "models" / "res_users_guide.py").read_text()
    assert "docs/guide/{folder}/README.md" in source
    for folder in ("zh_CN", "en"):
        assert (GUIDE / folder / "README.md").is_file()


ASCII_NEXT_TO_CHINESE = re.compile(r"[\u4e00-\u9fff][,:;()\"]|[,:;()\"][\u4e00-\u9fff]")
# the course's words, as on the screens (tests/test_vocabulary.py for the catalogues)
NOT_OUR_WORDS = ("重点客户", "潜力客户", "客户等级", "等级策略")


@pytest.mark.parametrize("page", ROLE_PAGES + ("README.md",))
def test_chinese_pages_speak_like_the_screens(page):
    text = (GUIDE / "zh_CN" / page).read_text()
    assert not ASCII_NEXT_TO_CHINESE.findall(text)
    assert not [word for word in NOT_OUR_WORDS if word in text]
