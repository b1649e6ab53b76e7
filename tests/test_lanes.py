from conftest import load_logic_module

lanes = load_logic_module("lanes")


def test_lanes_as_reps_type_them():
    assert lanes.parse_lanes("Shanghai - Hamburg, Ningbo - Rotterdam") == [
        ("Shanghai", "Hamburg"),
        ("Ningbo", "Rotterdam"),
    ]
    assert lanes.parse_lanes("Shenzhen - Frankfurt; Hong Kong  -  Amsterdam\n") == [
        ("Shenzhen", "Frankfurt"),
        ("Hong Kong", "Amsterdam"),
    ]


def test_arrows_words_and_chinese_separators():
    assert lanes.parse_lanes("Qingdao → Tokyo, Qingdao -> Busan, Xiamen to Manila") == [
        ("Qingdao", "Tokyo"),
        ("Qingdao", "Busan"),
        ("Xiamen", "Manila"),
    ]
    assert lanes.parse_lanes("上海至汉堡，宁波到鹿特丹；青岛－釜山") == [
        ("上海", "汉堡"),
        ("宁波", "鹿特丹"),
        ("青岛", "釜山"),
    ]


def test_port_of_call_hyphenated_names_and_remarks():
    assert lanes.parse_lanes("Penang - Singapore - Amsterdam") == [
        ("Penang", "Amsterdam")
    ]
    assert lanes.parse_lanes("Saint-Nazaire - Shanghai") == [
        ("Saint-Nazaire", "Shanghai")
    ]
    assert lanes.parse_lanes("Shanghai-Hamburg") == [("Shanghai", "Hamburg")]
    assert lanes.parse_lanes("Yiwu - Duisburg (rail)") == [("Yiwu", "Duisburg (rail)")]


def test_no_lane_without_two_places_and_each_lane_once():
    assert lanes.parse_lanes("") == []
    assert lanes.parse_lanes(None) == []
    assert lanes.parse_lanes("Shanghai, , - Hamburg") == []
    assert lanes.parse_lanes("Shanghai - Hamburg, shanghai -  HAMBURG") == [
        ("Shanghai", "Hamburg")
    ]


def test_lane_key_ignores_case_and_spacing():
    assert lanes.lane_key(" Hong  Kong", "amsterdam") == lanes.lane_key(
        "hong kong", "Amsterdam "
    )
    assert lanes.lane_key("Shanghai", "Hamburg") != lanes.lane_key(
        "Hamburg", "Shanghai"
    )
