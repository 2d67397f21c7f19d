import pytest

from tongxin.core.codes import (
    CIVIL_SERVICE_GRADES,
    DEGREE_GROUPS,
    EDUCATION_GROUPS,
    EDUCATION_SHORT_FORMS,
    END_REASONS,
    PUBLIC_INSTITUTION_GRADES,
    RANK_GROUPS,
    START_REASONS,
    TITLE_LEVEL_GROUPS,
    TITLES,
    AdminRank,
    AssessmentGrade,
    Degree,
    Education,
    Ethnicity,
    Gender,
    OrgKind,
    PoliticalStatus,
    SpellReason,
    TitleLevel,
    degree_group,
    education_group,
    parse_choice,
    parse_degree,
    parse_education,
    parse_ethnicity,
    parse_gender,
    parse_political_status,
    parse_title_level,
    rank_group,
    title_level_for,
    title_level_group,
)


def test_the_tables_carry_the_national_codes():
    assert Gender.FEMALE == "2" and Gender.UNSTATED.label == "未说明的性别"
    assert Ethnicity.HAN == "01" and Ethnicity.HAN.label == "汉族"
    assert Ethnicity.JINUO == "56" and Ethnicity.FOREIGN_ORIGIN == "98"
    assert PoliticalStatus("10").label == "九三学社社员"
    assert AdminRank("199").label == "未定职公务员"
    assert Degree.HONORARY_DOCTOR == "1"


def test_the_ethnicity_table_has_56_groups_and_two_others():
    assert [e.value for e in Ethnicity] == [f"{n:02d}" for n in range(1, 57)] + ["97", "98"]
    assert len(set(Ethnicity.labels)) == 58


def test_the_education_table_has_every_detailed_code_and_no_category():
    assert len(Education.values) == 33
    assert "10" not in Education.values and "28" in Education.values
    assert Education("73").label == "初中肄业"


@pytest.mark.parametrize(
    "text, expected",
    [("01", "01"), ("汉族", "01"), ("  汉族　", "01"), ("blah", None), ("", ""), (None, "")],
)
def test_parse_choice_reads_a_value_or_a_label_and_ignores_full_width_spaces(text, expected):
    assert parse_choice(Ethnicity, text) == expected


def test_parse_choice_accepts_aliases_and_plain_pairs():
    assert parse_choice(Gender, "男性", {"男性": "1"}) == "1"
    assert parse_choice([("a", "甲")], "甲") == "a"
    assert parse_choice(AssessmentGrade, "Excellent") == "excellent"


def test_parse_choice_reads_full_width_digits():
    assert parse_choice(PoliticalStatus, "０３") == "03"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("汉", "01"),
        ("汉族", "01"),
        ("蒙古", "02"),
        ("蒙古族", "02"),
        ("维吾尔", "05"),
        ("蒙族", "02"),
        ("土家", "15"),
        ("土", "30"),
        ("其他", "97"),
        ("火星族", None),
        ("", ""),
    ],
)
def test_parse_ethnicity_accepts_names_with_or_without_zu(text, expected):
    assert parse_ethnicity(text) == expected


@pytest.mark.parametrize(
    "code, group",
    [
        ("11", "研究生"),
        ("19", "研究生"),
        ("21", "大学本科"),
        ("28", "大学本科"),
        ("31", "大学专科"),
        ("41", "中专及以下"),
        ("61", "中专及以下"),
        ("90", "中专及以下"),
        ("", None),
        (None, None),
        ("x1", None),
    ],
)
def test_education_group_puts_each_code_in_its_statistics_group(code, group):
    assert education_group(code) == group


def test_every_education_code_has_a_group():
    assert {education_group(code) for code in Education.values} == set(EDUCATION_GROUPS)
    assert EDUCATION_GROUPS == ("研究生", "大学本科", "大学专科", "中专及以下")


@pytest.mark.parametrize(
    "text, code",
    [
        ("博士", "11"),
        ("博士研究生", "11"),
        ("硕士", "14"),
        ("研究生", "14"),
        ("本科", "21"),
        ("大专", "31"),
        ("中专", "41"),
        ("高中", "61"),
        ("初中", "71"),
        ("小学", "81"),
        ("大学本科肄业", "23"),
        ("21", "21"),
        ("幼儿园", None),
    ],
)
def test_parse_education_reads_the_short_forms_staff_write(text, code):
    assert parse_education(text) == code


def test_every_full_education_label_is_a_short_form_of_its_code():
    for value, label in Education.choices:
        assert EDUCATION_SHORT_FORMS[label] == value


@pytest.mark.parametrize(
    "text, code",
    [
        ("博士", "2"),
        ("硕士", "3"),
        ("学士", "4"),
        ("名誉博士", "1"),
        ("工学博士", "2"),
        ("管理学硕士", "3"),
        ("工商管理硕士", "3"),
        ("临床医学博士", "2"),
        ("文学学士", "4"),
        ("硕士学位", "3"),
        ("346", "3"),
        ("无", ""),
        ("", ""),
        ("博士后", None),
        ("大专", None),
    ],
)
def test_parse_degree_takes_the_level_from_the_ending(text, code):
    assert parse_degree(text) == code


def test_degree_group_counts_honorary_doctorates_as_doctorates():
    assert DEGREE_GROUPS == ("博士", "硕士", "学士")
    assert [degree_group(c) for c in ("1", "2", "3", "4", "", None)] == [
        "博士",
        "博士",
        "硕士",
        "学士",
        None,
        None,
    ]


def test_parse_gender_and_political_status_accept_everyday_words():
    assert parse_gender("女性") == "2"
    assert parse_political_status("民革") == "04"
    assert parse_political_status("中共党员") == "01"
    assert parse_political_status("无党派") == "12"


def test_title_level_group_merges_assistant_and_junior_into_chuji():
    assert TITLE_LEVEL_GROUPS == ("正高级", "副高级", "中级", "初级", "无")
    assert [title_level_group(c) for c in ("1", "2", "3", "4", "5", "", None, "7")] == [
        "正高级",
        "副高级",
        "中级",
        "初级",
        "初级",
        "无",
        "无",
        None,
    ]


@pytest.mark.parametrize(
    "name, code, level",
    [
        ("教授", "011", "1"),
        ("副教授", "012", "2"),
        ("讲师", "013", "3"),
        ("助教", "014", "4"),
        ("高级工程师", "082", "2"),
        ("工程师", "083", "3"),
        ("助理工程师", "084", "4"),
        ("技术员", "085", "5"),
        ("主任医师", "231", "1"),
        ("副主任医师", "232", "2"),
        ("主治医师", "233", "3"),
        ("医师", "234", "4"),
        ("医士", "235", "5"),
        ("高级会计师", "132", "2"),
        ("会计师", "133", "3"),
        ("编审", "151", "1"),
        ("副编审", "152", "2"),
        ("编辑", "153", "3"),
        ("中学高级教师", "052", "2"),
        ("一级教师", "053", "3"),
    ],
)
def test_titles_carry_the_examples_of_gb_t_8561(name, code, level):
    assert TITLES[name] == (code, level)


def test_every_national_title_code_ends_with_its_level():
    for name, (code, level) in TITLES.items():
        assert level in TitleLevel.values, name
        if code.isdigit():
            assert len(code) == 3 and code[-1] == level, name
        else:
            assert code.startswith("L") and code[-1] == level, name


@pytest.mark.parametrize(
    "name, level",
    [
        ("正高级工程师", "1"),
        ("正高级教师", "1"),
        ("研究员", "1"),
        ("副研究员", "2"),
        ("助理研究员", "3"),
        ("一级律师", "1"),
        ("四级律师", "4"),
        ("主任记者", "2"),
        ("研究馆员", "1"),
        ("助理馆员", "4"),
        ("高级政工师", "2"),
        ("一级演员", "1"),
        (" 讲师（高校） ", "3"),
        ("宇航员", ""),
        ("", ""),
    ],
)
def test_title_level_for_looks_up_a_title_name(name, level):
    assert title_level_for(name) == level


@pytest.mark.parametrize(
    "text, code",
    [
        ("正高级", "1"),
        ("副高级", "2"),
        ("副高", "2"),
        ("中级", "3"),
        ("初级", "4"),
        ("助理级", "4"),
        ("员级", "5"),
        ("中级职称", "3"),
        ("3", "3"),
        ("无", ""),
        ("", ""),
        ("高级", None),
        ("特级", None),
    ],
)
def test_parse_title_level_refuses_the_ambiguous_gaoji(text, code):
    assert parse_title_level(text) == code


def test_rank_groups_cover_principal_and_deputy_ranks_in_report_order():
    assert list(RANK_GROUPS) == ["省部级", "厅局级", "县处级", "乡科级"]
    assert rank_group(AdminRank.BUREAU_DEPUTY) == "厅局级"
    assert rank_group("131") == "县处级"
    assert rank_group("150") is None
    assert rank_group("") is None
    for codes in RANK_GROUPS.values():
        assert set(codes) <= set(AdminRank.values)


def test_assessment_grade_sets_for_each_kind_of_unit():
    assert [AssessmentGrade(g).label for g in CIVIL_SERVICE_GRADES] == [
        "优秀",
        "称职",
        "基本称职",
        "不称职",
    ]
    assert [AssessmentGrade(g).label for g in PUBLIC_INSTITUTION_GRADES] == [
        "优秀",
        "合格",
        "基本合格",
        "不合格",
    ]


def test_spell_reasons_split_into_starts_and_ends():
    assert START_REASONS == ("admitted", "transferred_in")
    assert set(START_REASONS) | set(END_REASONS) == set(SpellReason.values)
    assert not set(START_REASONS) & set(END_REASONS)


def test_org_kinds_use_the_glossary_names():
    assert OrgKind.values == [
        "committee",
        "grassroots_committee",
        "general_branch",
        "branch",
        "group",
    ]
