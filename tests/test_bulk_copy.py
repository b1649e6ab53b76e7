from conftest import load_logic_module

bulk_copy = load_logic_module("bulk_copy")


def test_copy_text_escapes_and_nulls():
    text = bulk_copy.copy_text([(1, "A", None, True), (2, "tab\there", 1.5, False)])
    assert text == "1\tA\t\\N\tt\n2\ttab\\there\t1.5\tf\n"


def test_copy_text_escapes_backslash_and_newlines():
    assert bulk_copy.copy_text([("a\\b\nc",)]) == "a\\\\b\\nc\n"


def test_copy_text_empty():
    assert bulk_copy.copy_text([]) == ""
