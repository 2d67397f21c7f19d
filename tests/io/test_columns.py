"""Reading and writing single cells of the roster workbook."""

import datetime

import pytest
from django.core.validators import validate_email
from hypothesis import given
from hypothesis import strategies as st

from tongxin.core.idnumber import parse_id_number
from tongxin.core.validators import validate_mobile
from tongxin.io.columns import (
    KINDS,
    MEMBER_COLUMNS,
    ORG_COLUMNS,
    CellError,
    format_value,
    header_label,
    offered,
    parse_value,
)
from tongxin.orgs.models import OrganizationKind

MEMBER = {c.key: c for c in MEMBER_COLUMNS}
ORG = {c.key: c for c in ORG_COLUMNS}
D = datetime.date


def read(key, raw, columns=MEMBER):
    return parse_value(columns[key], raw)


def refused(key, raw, columns=MEMBER) -> str:
    with pytest.raises(CellError) as caught:
        parse_value(columns[key], raw)
    return str(caught.value)


# --- the column tables -------------------------------------------------------------------------


def test_the_member_columns_follow_the_roster_template_in_order():
    assert [c.key for c in MEMBER_COLUMNS] == [
        "name", "id_number", "gender", "birth_date", "ethnicity", "native_place", "education",
        "degree", "school_major", "title", "title_level", "work_unit", "unit_nature", "job_post",
        "admin_rank", "post_start", "sector", "is_retired", "is_cross_member", "upper_middle",
        "person_kind", "political_status", "admitted_on", "org_code", "party_posts", "phone",
        "email", "note",
    ]  # fmt: skip
    # 入会日期 is required of members only (人员类别 成员): the check asks it row by row.
    assert [c.key for c in MEMBER_COLUMNS if c.required] == ["name", "org_code"]
    assert [c.key for c in ORG_COLUMNS] == [
        "code", "name", "parent_code", "kind", "categories", "established", "party"
    ]  # fmt: skip
    assert [c.key for c in ORG_COLUMNS if c.required] == ["code", "name", "kind"]


def test_headers_are_the_plain_chinese_names_and_every_kind_is_known():
    assert header_label(MEMBER["org_code"]) == "所在组织编码"
    for column in MEMBER_COLUMNS + ORG_COLUMNS:
        assert column.kind in KINDS
        assert "*" not in header_label(column)
        assert column.help


def test_every_offered_label_is_read_back():
    for column in MEMBER_COLUMNS + ORG_COLUMNS:
        for label in column.choices:
            parse_value(column, label)  # raises if a drop-down offers what cannot be read


# --- text --------------------------------------------------------------------------------------


def test_text_is_trimmed_with_full_width_spaces_and_inner_runs_collapsed():
    assert read("work_unit", "\u3000某某大学   法学院 \u00a0") == "某某大学 法学院"
    assert read("school_major", "北京\u200b大学") == "北京大学"
    assert read("note", None) == ""
    assert read("note", "   ") == ""


def test_a_note_keeps_its_line_breaks():
    assert read("note", " 第一行 \n\n 第二行\u3000\u3000说明 ") == "第一行\n第二行 说明"


def test_names_padded_with_spaces_between_chinese_characters_are_joined():
    assert read("name", "王\u3000\u3000伟") == "王伟"
    assert read("name", "John  Smith") == "John Smith"


def test_numbers_in_text_columns_lose_the_excel_decimal():
    assert read("job_post", 123.0) == "123"
    assert read("job_post", 12.5) == "12.5"
    assert read("note", 7) == "7"


def test_text_longer_than_the_model_field_is_refused():
    assert read("name", "张" * 50) == "张" * 50
    assert refused("name", "张" * 51) == "不能超过50个字，现有51个字"
    assert "200" in refused("name", "某" * 201, ORG)


# --- dates -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "2014-07-01", "2014/7/1", "2014.07.01", "2014年7月1日", "2014年07月01号", "20140701",
        " 2014-7-1 ", "２０１４－０７－０１", "2014-07-01 00:00:00", "2014/7/1 8:30",
        D(2014, 7, 1), datetime.datetime(2014, 7, 1, 9, 30), 41821, 41821.0, 41821.75,
    ],
)  # fmt: skip
def test_dates_are_read_in_every_usual_form(raw):
    assert read("admitted_on", raw) == D(2014, 7, 1)


@pytest.mark.parametrize("raw", ["2014.07", "2014-07", "2014/7", "2014年7月", "201407"])
def test_a_month_alone_gives_the_first_of_the_month(raw):
    assert read("admitted_on", raw) == D(2014, 7, 1)


def test_excel_serial_numbers_count_from_1899_12_30_and_skip_the_phantom_leap_day():
    assert read("birth_date", 61) == D(1900, 3, 1)
    assert read("birth_date", 1) == D(1900, 1, 1)
    assert read("birth_date", 45658) == D(2025, 1, 1)
    assert "1900-02-29" in refused("birth_date", 60)


def test_a_blank_date_is_none():
    assert read("birth_date", None) is None
    assert read("birth_date", "  ") is None


def test_impossible_dates_are_refused_by_name():
    assert refused("admitted_on", "2014-02-30") == "“2014-02-30”不是有效日期"
    assert refused("admitted_on", "2014-13") == "“2014-13”不是有效日期"


def test_dates_outside_1900_to_2100_are_refused():
    assert "1900年至2100年" in refused("birth_date", "1899-12-31")
    assert "1900年至2100年" in refused("birth_date", D(2101, 1, 1))
    assert "不是日期" in refused("birth_date", 3_000_000)


def test_unreadable_dates_name_the_accepted_forms():
    message = refused("admitted_on", "去年七月")
    assert message.startswith("“去年七月”不是可识别的日期")
    assert "2014-07-01" in message and "2014年7月1日" in message
    assert "不是日期" in refused("admitted_on", True)


# --- choices -----------------------------------------------------------------------------------


def test_gender_is_stored_as_the_national_code():
    assert read("gender", "女") == "2"
    assert read("gender", " 男 ") == "1"
    assert read("gender", "2") == "2"
    assert read("gender", 1.0) == "1"
    assert read("gender", None) == ""
    assert refused("gender", "F") == "“F”不是可选的性别，应为：男、女"


def test_ethnicity_is_read_with_or_without_zu():
    assert read("ethnicity", "汉") == "01"
    assert read("ethnicity", "蒙古族") == "02"
    assert "不是可选的民族" in refused("ethnicity", "火星族")


def test_education_accepts_the_usual_short_forms():
    assert read("education", "本科") == "21"
    assert read("education", "大学本科毕业") == "21"
    assert read("education", "硕士研究生") == "14"
    assert read("education", "大专") == "31"
    assert "不是可选的学历" in refused("education", "本课")


def test_degree_none_is_an_empty_code_and_a_typo_lists_the_choices():
    assert read("degree", "硕士") == "3"
    assert read("degree", "工学博士") == "2"
    assert read("degree", "无") == ""
    assert read("degree", None) == ""
    assert refused("degree", "硕土") == "“硕土”不是可选的学位，应为：博士、硕士、学士、无"


def test_unit_nature_and_sector_are_stored_as_codes():
    assert read("unit_nature", "事业单位") == "20"
    assert read("sector", "医药卫生") == "health"
    assert "教育、文化艺术" in refused("sector", "体育")


def test_admin_rank_tells_not_given_from_none():
    assert read("admin_rank", None) is None
    assert read("admin_rank", "无") == ""
    assert read("admin_rank", "县处级副职") == "132"
    assert read("admin_rank", "副处级") == "132"
    assert read("admin_rank", "科员级") == "150"
    assert "乡科级副职" in refused("admin_rank", "副教授")


@pytest.mark.django_db
def test_org_kind_is_stored_as_its_code():
    assert read("kind", "支部", ORG) == "branch"
    assert read("kind", "基层委员会", ORG) == "grassroots_committee"
    assert read("kind", "街道党工委", ORG) == "street_committee"
    allowed = "委员会、基层委员会、总支、支部、小组、部门、街道党工委"
    assert allowed in refused("kind", "党小组", ORG)


@pytest.mark.django_db
def test_a_kind_the_administrator_adds_is_read_at_once_and_written_back_by_name():
    assert "片区党委" not in refused("kind", "片区党委", ORG).split("应为：")[1]
    OrganizationKind.objects.create(code="area_committee", name="片区党委")
    assert read("kind", "片区党委", ORG) == "area_committee"
    assert format_value(ORG["kind"], "area_committee") == "片区党委"
    assert offered(ORG["kind"])[-1] == "片区党委"


def test_title_level_blank_is_left_to_derivation_and_none_is_empty():
    assert read("title_level", None) is None
    assert read("title_level", "无") == ""
    assert read("title_level", "副高级") == "2"
    assert read("title_level", "初级") == "4"
    assert "正高级、副高级、中级、初级、无" in refused("title_level", "高级")


def test_retirement_and_yes_no_columns_are_booleans_or_none():
    assert read("is_retired", "在职") is False
    assert read("is_retired", "退休") is True
    assert read("is_retired", "离退休") is True
    assert read("is_retired", None) is None
    assert "在职、离退休" in refused("is_retired", "病休")
    yes_no = [
        ("是", True), ("否", False), ("Y", True), ("n", False), ("TRUE", True), ("false", False),
        (1, True), (0.0, False), (True, True), (False, False),
    ]  # fmt: skip
    for raw, expected in yes_no:
        assert read("upper_middle", raw) is expected
    assert read("is_cross_member", "") is None
    assert refused("is_cross_member", "也许") == "“也许”应填“是”或“否”"


# --- numbers that must stay text ---------------------------------------------------------------


def test_id_numbers_are_normalised_and_checked():
    assert read("id_number", " 11010519491231002x ") == "11010519491231002X"
    assert read("id_number", "１１０１０５１９４９１２３１００２Ｘ") == "11010519491231002X"
    assert read("id_number", None) == ""
    assert "校验位" in refused("id_number", "110105194912310021")
    assert "15位旧号码" in refused("id_number", "110105491231002")


def test_an_id_number_that_excel_stored_as_a_number_is_refused_with_the_fix():
    message = refused("id_number", 110105194912310020)
    assert message == (
        "身份证号被Excel存成了数字（110105194912310020），末几位已丢失；"
        "请把该列设为“文本”格式后重新填写"
    )
    assert "1.10105E+17" in refused("id_number", 1.1010519491231002e17)
    assert "被Excel存成了数字（1.10105E+17）" in refused("id_number", "1.10105E+17")


def test_phone_numbers_stored_as_numbers_are_intact_and_checked():
    assert read("phone", 13800138000) == "13800138000"
    assert read("phone", 13800138000.0) == "13800138000"
    assert read("phone", "138-0013-8000") == "13800138000"
    assert read("phone", "+86 138 0013 8000") == "13800138000"
    assert read("phone", "１３８００１３８０００") == "13800138000"
    assert read("phone", None) == ""
    assert refused("phone", "0531-8888888") == "手机号码应为以1开头的11位数字"
    assert "科学计数法" in refused("phone", "1.38001E+10")


def test_email_is_checked():
    assert read("email", " zhang@example.com ") == "zhang@example.com"
    assert read("email", "zhang＠example.com") == "zhang@example.com"
    assert read("email", None) == ""
    assert "电子邮箱格式不正确" in refused("email", "zhang@")


# The usual cell skips normalisation (a fast path for 100,000-row imports); these properties
# hold it to the full validators: it never accepts what they refuse, never reads differently.
_EMAILISH = st.text(alphabet="aZ09._+-@xn.-", min_size=1, max_size=30) | st.emails()
_DIGITISH = st.text(alphabet="0123456789X ", min_size=17, max_size=19)


@given(_EMAILISH)
def test_an_email_the_plain_form_accepts_django_accepts_too(text):
    try:
        parsed = read("email", text)
    except CellError:
        return
    validate_email(parsed)
    assert parsed == text.strip()


@given(st.text(alphabet="0123456789", min_size=10, max_size=12) | _DIGITISH)
def test_a_phone_the_plain_form_accepts_the_validator_accepts_too(text):
    try:
        parsed = read("phone", text)
    except CellError:
        return
    validate_mobile(parsed)


@given(_DIGITISH)
def test_an_id_number_reads_the_same_with_or_without_the_plain_form(text):
    spaced = f" {text} "  # not plain: goes through the full normalisation
    try:
        plain = read("id_number", text)
    except CellError as exc:
        assert refused("id_number", spaced) == str(exc)
    else:
        assert read("id_number", spaced) == plain
        parse_id_number(plain)


def test_codes_keep_their_leading_zeros_and_lose_excel_decimals():
    assert read("org_code", " 0101 ") == "0101"
    assert read("org_code", 101) == "101"
    assert read("org_code", 101.0) == "101"
    assert read("code", "０１", ORG) == "01"
    assert read("parent_code", None, ORG) == ""
    assert "50" in refused("code", "1" * 51, ORG)


def test_lists_split_on_the_usual_separators():
    assert read("categories", "县区支部、高校支部,直属支部；其他 / 其他", ORG) == [
        "县区支部", "高校支部", "直属支部", "其他"
    ]  # fmt: skip
    assert read("party_posts", "支部主委") == ["支部主委"]
    assert read("party_posts", " 、 ") == []
    assert read("party_posts", None) == []


def test_time_cells_are_refused_except_in_the_note():
    assert "时间" in refused("admitted_on", datetime.time(8, 30))
    assert read("note", datetime.time(8, 30)) == "08:30:00"


# --- export ------------------------------------------------------------------------------------


def test_export_writes_labels_that_import_back():
    cases = {
        "gender": "2", "ethnicity": "01", "education": "21", "degree": "3", "title_level": "5",
        "unit_nature": "20", "admin_rank": "132", "sector": "health",
    }  # fmt: skip
    for key, value in cases.items():
        label = format_value(MEMBER[key], value)
        assert isinstance(label, str) and label != value
        assert read(key, label) == value
    assert format_value(MEMBER["gender"], "2") == "女"
    assert format_value(MEMBER["education"], "21") == "大学本科毕业"


def test_export_of_blanks_and_of_none_values():
    assert format_value(MEMBER["title_level"], "") == "无"
    assert format_value(MEMBER["title_level"], None) is None
    assert format_value(MEMBER["admin_rank"], "") == "无"
    assert format_value(MEMBER["admin_rank"], None) is None
    assert format_value(MEMBER["degree"], "") is None
    assert format_value(MEMBER["name"], "") is None
    assert format_value(MEMBER["party_posts"], []) is None


def test_export_of_dates_booleans_and_lists():
    assert format_value(MEMBER["admitted_on"], D(2014, 7, 1)) == D(2014, 7, 1)
    assert format_value(MEMBER["admitted_on"], datetime.datetime(2014, 7, 1, 8)) == D(2014, 7, 1)
    assert format_value(MEMBER["upper_middle"], True) == "是"
    assert format_value(MEMBER["is_cross_member"], False) == "否"
    assert format_value(MEMBER["is_retired"], True) == "离退休"
    assert format_value(MEMBER["is_retired"], False) == "在职"
    assert format_value(MEMBER["party_posts"], ["支部主委", "委员"]) == "支部主委、委员"
    assert format_value(ORG["categories"], ["县区支部"]) == "县区支部"


def test_an_unknown_code_is_exported_as_is_rather_than_failing():
    assert format_value(MEMBER["sector"], "sports") == "sports"
